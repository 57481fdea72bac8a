/** The lint worker thread (a piscina worker): one lint per task. */
import { lintSpec } from "./lint.js";
import type { LintJob } from "./ruleset.js";

export default function lintWorker(job: LintJob) {
  return lintSpec(job);
}
