/** BENCHMARKS.md, one section at a time: a benchmark run alone rewrites its own section and leaves the others. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const FILE = "BENCHMARKS.md";

/** Replaces the section that starts with `title` (a `## ` heading), or appends it. */
export function writeSection(title: string, lines: string[]): void {
  const doc = existsSync(FILE) ? readFileSync(FILE, "utf8") : "# Benchmarks\n";
  const start = doc.indexOf(title);
  const section = lines.join("\n");
  if (start < 0) {
    writeFileSync(FILE, `${doc.trimEnd()}\n\n${section}`);
    return;
  }
  const next = doc.indexOf("\n## ", start + title.length);
  writeFileSync(FILE, doc.slice(0, start) + section + (next < 0 ? "" : doc.slice(next + 1)));
}

/** Removes the section that starts with `title`, if there is one (a benchmark that no longer runs). */
export function removeSection(title: string): void {
  if (!existsSync(FILE)) return;
  const doc = readFileSync(FILE, "utf8");
  const start = doc.indexOf(title);
  if (start < 0) return;
  const next = doc.indexOf("\n## ", start + title.length);
  writeFileSync(FILE, doc.slice(0, start) + (next < 0 ? "" : doc.slice(next + 1)));
}
