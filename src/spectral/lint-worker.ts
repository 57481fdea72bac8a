/** The lint worker thread: one Spectral run, its results posted back. */
import { parentPort, workerData } from "node:worker_threads";
import { runSpectral, type LintJob } from "./spectral-linter.js";

runSpectral(workerData as LintJob).then(
  (results) => parentPort!.postMessage({ results }),
  (e: Error) => parentPort!.postMessage({ error: e.message }),
);
