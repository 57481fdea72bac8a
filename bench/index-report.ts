/**
 * The inventory index's part of BENCHMARKS.md: runs the sections of bench/index-bench.ts (each in its
 * own process) and renders their tables; alone (`node dist/bench/index-report.js`, after a build) it
 * rewrites its sections of BENCHMARKS.md. Sizes scale through the environment, so the default
 * `npm run bench` stays feasible on two cores:
 *   BENCH_THROTTLE_APIS (200; a comma list for several rows), BENCH_RESERVE (0.2), BENCH_APIS (2000), BENCH_LATENCY_MS (10),
 *   BENCH_CONCURRENCY (16), BENCH_SCALES ("2000,20000").
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ARM_LIMITS } from "../src/arm/throttling.js";
import { removeSection, writeSection } from "./benchmarks-md.js";

const HERE = dirname(fileURLToPath(import.meta.url));

function section(...args: string[]): any {
  const out = execFileSync(process.execPath, [join(HERE, "index-bench.js"), ...args], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const ms = (v: number | undefined) => (v === undefined ? "" : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const env = (name: string, fallback: string) => process.env[name] ?? fallback;

/** The titles of the sections this report writes, and of those it replaced. */
const TITLES = [
  "## The index's crawl against ARM's throttling",
  "## The index's crawl over a remote ARM with latency",
  "## A new session's first answer, with the index the last one saved",
  "## The embedded local backend at scale",
];
const REPLACED = ["## The inventory index over a remote ARM", "## Search and audit on the local backend"];

export function renderIndex(): string[] {
  const throttleApis = env("BENCH_THROTTLE_APIS", "200").split(",");
  const reserve = env("BENCH_RESERVE", "0.2");
  const latency = env("BENCH_LATENCY_MS", "10");
  const concurrency = env("BENCH_CONCURRENCY", "16");
  const apis = env("BENCH_APIS", "2000");
  const scales = env("BENCH_SCALES", "2000,20000").split(",");

  const crawls = throttleApis.map((n) => section("crawl", n, latency, "8", reserve));
  const lat = section("latency", apis, latency, concurrency);
  const saved = section("saved", apis, latency);
  const scaled = scales.map((n) => section("scale", n));
  const l = ARM_LIMITS;
  return [
    TITLES[0]!,
    "",
    `Command: \`BENCH_THROTTLE_APIS=${throttleApis.join(",")} npm run bench\` (or alone, with this report's other sections: \`BENCH_THROTTLE_APIS=${throttleApis.join(",")} node dist/bench/index-report.js\`;`,
    `each N is \`node dist/bench/index-bench.js crawl N ${latency} 8 ${reserve}\`; the default N is 200).`,
    `A standalone local API Center throttling like ARM (\`apicenter-mcp emulator --throttle --latency ${latency}\`: per subscription and principal, reads ${l.reads.size} tokens`,
    `refilled at ${l.reads.refillPerSecond}/s, writes ${l.writes.size} at ${l.writes.refillPerSecond}/s; \`exportSpecification\` is a POST, so a write, as live Azure counts it), the inventory N APIs x 2 versions x 1`,
    "definition with a spec + 1 deployment, crawled by the index through the ARM pipeline's pacing with 8 APIs in flight, leaving",
    `${Number(reserve) * 100}% of each bucket to interactive calls. Meanwhile an interactive call (get a service) every 0.5 s measures what other tools meet.`,
    "The bound: per bucket, the calls beyond what it holds above the reserve at the refill rate, or calls x latency / concurrency",
    "if larger. 'revalidation' is the crawl a saved or expired index runs: specs whose definition did not change are not exported again.",
    "",
    "| crawl | APIs | ARM calls on the wire (reads + writes) | calls per API (besides 4 lists) | 429s | time | bound | time / bound | interactive calls meanwhile: median, max |",
    "|---|---|---|---|---|---|---|---|---|",
    ...crawls.flatMap((crawl) => crawl.runs).map(
      (r: any) =>
        `| ${r.crawl} | ${r.apis} | ${r.reads + r.writes} (${r.reads} + ${r.writes}) | ${((r.reads + r.writes - 4) / r.apis).toFixed(1)} | ${r.throttled} | ${ms(r.ms)} | ${ms(r.boundMs)} | ${(r.ms / r.boundMs).toFixed(2)}x | ${ms(r.probeMedianMs)}, ${ms(r.probeMaxMs)} (${r.probes} calls) |`,
    ),
    "",
    TITLES[1]!,
    "",
    `Command: \`npm run bench\` (\`node dist/bench/index-bench.js latency ${apis} ${latency} ${concurrency}\`). The local API Center in its own process`,
    `(\`apicenter-mcp emulator --latency ${latency}\`, no throttling): every call costs ${latency} ms plus its work; the ideal is calls x latency / concurrency.`,
    "",
    "| APIs | latency | concurrency | ARM calls | build | ideal | build / ideal | second question (audit, from the index) |",
    "|---|---|---|---|---|---|---|---|",
    `| ${lat.apis} | ${lat.latencyMs} ms | ${lat.concurrency} | ${lat.calls} | ${ms(lat.buildMs)} | ${ms(lat.idealMs)} | ${(lat.buildMs / lat.idealMs).toFixed(2)}x | ${ms(lat.secondQuestionMs)} |`,
    "",
    TITLES[2]!,
    "",
    `Command: \`npm run bench\` (\`node dist/bench/index-bench.js saved ${apis} ${latency}\`). Azure mode against the standalone local API Center`,
    `(${latency} ms per call, ${apis} APIs). A session crawls and saves its index; then a new one asks search_apis. In process: from a new index`,
    "over the saved file to the answer. Through the CLI: from spawning `apicenter-mcp` (stdio) to the search_apis answer, side by side",
    "with a new session that has no saved index (it crawls first). Answers from a saved index say so (`fromSaved`) and revalidate in the background.",
    "",
    "| APIs | in process, saved index | CLI spawn to answer, saved index | CLI spawn to answer, no saved index |",
    "|---|---|---|---|",
    `| ${saved.apis} | ${ms(saved.inProcessMs)} | ${ms(saved.cliSavedMs)} | ${ms(saved.cliColdMs)} |`,
    "",
    TITLES[3]!,
    "",
    `Command: \`npm run bench\` (\`node dist/bench/index-bench.js scale N\` for N in ${scales.join(", ")}), wired as the CLI wires it: the index reads`,
    "whole workspaces from the database, saves itself beside it, and learns other processes' writes from the database's history of",
    "changes. First build: an empty index to its first answer. Restart: a new process's first search, from the saved index. Search and",
    "audit: medians over repeated questions from the index; the audit keeps per-API results, so after a write only that API is judged",
    "again ('write, then audit'). Peak memory is the process's maximum resident set.",
    "",
    "| APIs | first build | restart to first answer | search (text) | search (text + filters) | first audit | audit | write, then audit | findings | write, then search | peak memory |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...scaled.map(
      (r: any) =>
        `| ${r.apis} | ${ms(r.buildMs)} | ${ms(r.restartMs)} | ${ms(r.searchMs)} | ${ms(r.filteredSearchMs)} | ${ms(r.firstAuditMs)} | ${ms(r.auditMs)} | ${ms(r.auditAfterWriteMs)} | ${r.findings} | ${ms(r.writeThenSearchMs)} | ${r.peakMiB} MiB |`,
    ),
    "",
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lines = renderIndex();
  const starts = TITLES.map((t) => lines.indexOf(t));
  TITLES.forEach((title, i) => writeSection(title, lines.slice(starts[i], starts[i + 1] ?? lines.length)));
  for (const title of REPLACED) removeSection(title);
  process.stdout.write(`${lines.join("\n")}\n`);
}
