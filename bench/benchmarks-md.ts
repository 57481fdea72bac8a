/** BENCHMARKS.md, one section at a time: a benchmark run alone rewrites its own section and leaves the others. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const FILE = "BENCHMARKS.md";

/** Replaces the section that starts with `title` (a `## ` heading), or appends it. */
export function writeSection(title: string, lines: string[]): void {
  const doc = existsSync(FILE) ? readFileSync(FILE, "utf8") : "# Benchmarks\n";
  const start = doc.indexOf(title);
  const section = `${lines.join("\n").trimEnd()}\n`;
  if (start < 0) {
    writeFileSync(FILE, `${doc.trimEnd()}\n\n${section}`);
    return;
  }
  const next = doc.indexOf("\n## ", start + title.length);
  writeFileSync(FILE, doc.slice(0, start) + section + (next < 0 ? "" : `\n${doc.slice(next + 1)}`));
}

/**
 * Runs one benchmark when its file is the entry point: measures, rewrites its section, prints it, and exits
 * (the SDK's HTTP client can leave a failed request's timeout timer running for minutes: nothing waits for it).
 * `verdict` may name a reason to exit 1 (a budget exceeded).
 */
export function runAlone<R>(
  moduleUrl: string,
  title: string,
  measure: () => Promise<R>,
  render: (r: R) => string[],
  verdict: (r: R) => string | undefined = () => undefined,
): void {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return;
  measure().then(
    (r) => {
      const lines = render(r);
      writeSection(title, lines);
      process.stdout.write(`${lines.join("\n")}\n`);
      const failed = verdict(r);
      if (failed) process.stderr.write(`${failed}\n`);
      process.exit(failed ? 1 : 0);
    },
    (e: Error) => {
      process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
      process.exit(1);
    },
  );
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
