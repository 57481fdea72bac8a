/**
 * Bulk registration (issue 10 §7): N generated OpenAPI specs of realistic size (50-500 KB, seeded),
 * each through register_api over stdio (the built CLI, embedded local backend), one after the
 * other as an assistant would send them. Part of `npm run bench`; alone,
 * `npm run build && node dist/bench/bulk.js` rewrites its section of BENCHMARKS.md. Scale:
 * BENCH_BULK_SPECS (default 500; the figure is 2000), BENCH_BULK_SEED.
 *
 * Against a throttled ARM: set BENCH_BULK_THROTTLED_EMULATOR_ARGS to the `apicenter-mcp emulator`
 * flags that turn its throttling on (that local API Center is being built: this hook waits for it)
 * and the same bulk runs in Azure mode against it, reported as ARM writes per second against
 * Azure's bound of 10.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCAL_SERVICE } from "../src/config/config.js";
import { EMULATOR_READY, spawnListening, stopCli } from "../test/helpers/cli-process.js";
import { seededRandom } from "../test/helpers/fault-proxy.js";
import { openApiOfSize } from "../test/helpers/sized-spec.js";
import { StdioRpc } from "../test/helpers/stdio-rpc.js";
import { runAlone } from "./benchmarks-md.js";

export const SECTION_TITLE = "## Bulk registration";
/** Azure Resource Manager's documented bound for writes, per subscription: the throttled local API Center enforces it. */
const ARM_WRITES_PER_SECOND = 10;
/** ARM writes one register_api with a spec makes: the API, the version and the definition (PUT), the import (POST). */
const WRITES_PER_CALL = 4;

export interface BulkRun {
  backend: string;
  specs: number;
  bytes: number;
  calls: number;
  failed: number;
  ms: number;
  medianMs: number;
  p95Ms: number;
  dbBytes?: number;
}

const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

async function bulk(backend: string, args: string[], env: Record<string, string>, n: number, seed: number, dbFiles: string[]): Promise<BulkRun> {
  const random = seededRandom(seed);
  const sizes = Array.from({ length: n }, () => Math.round(50_000 + random() * 450_000));
  const server = await StdioRpc.start(args, env);
  const times: number[] = [];
  let bytes = 0;
  let failed = 0;
  const t = performance.now();
  try {
    for (const [i, size] of sizes.entries()) {
      const spec = openApiOfSize(i, size, `Bulk ${i}`);
      bytes += Buffer.byteLength(spec);
      const start = performance.now();
      const r = await server.callTool("register_api", { apiName: `bulk-${i}`, versionName: "v-1", specContent: spec });
      times.push(performance.now() - start);
      if (r.isError) failed += 1;
    }
  } finally {
    await server.close();
  }
  const ms = performance.now() - t;
  times.sort((a, b) => a - b);
  const dbBytes = dbFiles.reduce((s, f) => s + sizeOf(f) + sizeOf(`${f}-wal`), 0);
  return { backend, specs: n, bytes, calls: n, failed, ms, medianMs: times[Math.floor(n / 2)]!, p95Ms: times[Math.min(n - 1, Math.floor(n * 0.95))]!, ...(dbBytes ? { dbBytes } : {}) };
}

export async function measureBulk(): Promise<{ runs: BulkRun[]; throttledArgs?: string }> {
  const n = Number(process.env.BENCH_BULK_SPECS ?? 500);
  const seed = Number(process.env.BENCH_BULK_SEED ?? 3);
  const throttledArgs = process.env.BENCH_BULK_THROTTLED_EMULATOR_ARGS;
  const dir = mkdtempSync(join(tmpdir(), "apicenter-bulk-"));
  const runs: BulkRun[] = [];
  try {
    const db = join(dir, "local.db");
    runs.push(await bulk("embedded local API Center", ["--db", db], {}, n, seed, [db]));
    if (throttledArgs) {
      const remote = join(dir, "throttled.db");
      const emulator = await spawnListening(["emulator", "--port", "0", "--db", remote, ...throttledArgs.split(/\s+/).filter(Boolean)], EMULATOR_READY);
      try {
        const env = { AZURE_SUBSCRIPTION_ID: LOCAL_SERVICE.subscriptionId, APICENTER_RESOURCE_GROUP: LOCAL_SERVICE.resourceGroup, APICENTER_SERVICE: LOCAL_SERVICE.serviceName, APICENTER_ARM_ENDPOINT: emulator.url };
        runs.push(await bulk(`throttled local API Center (emulator ${throttledArgs})`, ["--db", join(dir, "journal.db")], env, n, seed, [remote]));
      } finally {
        await stopCli(emulator);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { runs, ...(throttledArgs ? { throttledArgs } : {}) };
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

export function renderBulk(r: { runs: BulkRun[]; throttledArgs?: string }): string[] {
  const n = r.runs[0]?.specs ?? 0;
  return [
    SECTION_TITLE,
    "",
    `Command: \`BENCH_BULK_SPECS=${n} npm run bench\` (or alone: \`npm run build && BENCH_BULK_SPECS=${n} node dist/bench/bulk.js\`). ${n} generated OpenAPI 3.0 specs`,
    "of 50-500 KB (seeded, test/helpers/sized-spec.ts), each registered with its API, version and definition by one register_api call over stdio",
    `to the built CLI, one call at a time. ARM writes: ${WRITES_PER_CALL} per call (three PUTs and the import).`,
    "",
    "| backend | specs | spec text | tool calls | failed | total time | calls/s | ARM writes/s | vs ARM's 10 writes/s | median call | p95 call | database after |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...r.runs.map((x) => {
      const writesPerSecond = (x.calls * WRITES_PER_CALL) / (x.ms / 1000);
      return `| ${x.backend} | ${x.specs} | ${mb(x.bytes)} | ${x.calls} | ${x.failed} | ${s(x.ms)} | ${(x.calls / (x.ms / 1000)).toFixed(1)} | ${writesPerSecond.toFixed(1)} | ${(writesPerSecond / ARM_WRITES_PER_SECOND).toFixed(2)}x | ${s(x.medianMs)} | ${s(x.p95Ms)} | ${x.dbBytes ? mb(x.dbBytes) : ""} |`;
    }),
    "",
    r.throttledArgs
      ? `The throttled run is Azure mode against \`apicenter-mcp emulator ${r.throttledArgs}\`: its ARM writes/s over 10 is how close the server keeps to the bound.`
      : "Not run yet: the same bulk against the throttled local API Center (ARM's 10 writes/s), which is being built; when it lands, set BENCH_BULK_THROTTLED_EMULATOR_ARGS to its emulator flags (the hook in bench/bulk.ts).",
    "",
  ];
}

runAlone(import.meta.url, SECTION_TITLE, measureBulk, renderBulk);
