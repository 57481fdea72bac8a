/**
 * The directories the server writes in (the local database's, the saved index's, the journal's),
 * made before anything opens them. Made one level at a time rather than with `mkdirSync(..., {
 * recursive: true })`: on some file systems (Linux's /proc) Node's recursive mkdir retries forever,
 * so `--db /proc/x/y.db` spun at full CPU, deaf to SIGTERM, instead of saying what is wrong.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../config/config.js";

/** Makes the directory that will hold `file`; a ConfigError naming `what` (the flag or variable to fix) when it cannot. */
export function ensureDirectoryOf(file: string, what: string): void {
  if (file === ":memory:") return;
  const missing: string[] = [];
  let at = dirname(resolve(file));
  while (!existsSync(at)) {
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  try {
    if (existsSync(at) && !statSync(at).isDirectory()) throw new Error(`${at} is not a directory`);
    for (const dir of missing.reverse()) mkdirSync(dir);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new ConfigError(`cannot make the directory for ${what} (${file}): ${reason}; choose a writable path`);
  }
}
