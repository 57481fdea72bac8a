/** BENCHMARKS.md by sections: a bench that runs alone rewrites its own section and keeps the others. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Replaces the section whose heading is `lines[0]` (up to the next `## `), or appends it. */
export function writeSection(lines: string[], file = "BENCHMARKS.md"): void {
  const heading = lines[0]!;
  const doc = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const all = doc.split("\n");
  const start = all.indexOf(heading);
  const section = [...lines, ...(lines[lines.length - 1] === "" ? [] : [""])];
  if (start === -1) {
    writeFileSync(file, `${doc.replace(/\n*$/, "\n\n")}${section.join("\n")}`);
    return;
  }
  let end = all.findIndex((l, i) => i > start && l.startsWith("## "));
  if (end === -1) end = all.length;
  writeFileSync(file, [...all.slice(0, start), ...section, ...all.slice(end)].join("\n"));
}
