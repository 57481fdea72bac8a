/**
 * Bulk registration (issue 10 §7): N generated OpenAPI specs of realistic size (50-500 KB, seeded),
 * each through register_api over stdio to the built CLI, one after the other as an assistant would
 * send them: on the embedded local backend, and in Azure mode against a standalone local API Center
 * throttling like ARM (`apicenter-mcp emulator --throttle`), its requests counted on the wire by a
 * pass-through proxy (no faults). Part of `npm run bench`; alone, `npm run build && node
 * dist/bench/bulk.js` rewrites its section of BENCHMARKS.md. Scale: BENCH_BULK_SPECS (default 500;
 * the issue's figure is 2000), BENCH_BULK_SEED.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { ARM_LIMITS, operationType } from "../src/arm/throttling.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCAL_SERVICE } from "../src/config/config.js";
import { EMULATOR_READY, spawnListening, stopCli } from "../test/helpers/cli-process.js";
import { seededRandom, startFaultProxy } from "../test/helpers/fault-proxy.js";
import { openApiOfSize } from "../test/helpers/sized-spec.js";
import { StdioRpc } from "../test/helpers/stdio-rpc.js";
import { runAlone } from "./benchmarks-md.js";

export const SECTION_TITLE = "## Bulk registration";
/** ARM writes one register_api with a spec makes: the API, the version and the definition (PUT), the import (POST). */
const WRITES_PER_CALL = 4;

/** What went over the wire to the throttled ARM endpoint. */
export interface Wire {
  reads: number;
  writes: number;
  throttled: number;
  /** The bound: per bucket, the requests beyond a full bucket at its refill rate (ms); the largest. */
  boundMs: number;
}

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
  wire?: Wire;
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

export async function measureBulk(): Promise<{ runs: BulkRun[] }> {
  const n = Number(process.env.BENCH_BULK_SPECS ?? 500);
  const seed = Number(process.env.BENCH_BULK_SEED ?? 3);
  const dir = mkdtempSync(join(tmpdir(), "apicenter-bulk-"));
  const runs: BulkRun[] = [];
  try {
    const db = join(dir, "local.db");
    runs.push(await bulk("embedded local API Center", ["--db", db], {}, n, seed, [db]));
    const remote = join(dir, "throttled.db");
    const emulator = await spawnListening(["emulator", "--port", "0", "--db", remote, "--throttle"], EMULATOR_READY);
    const proxy = await startFaultProxy({ target: emulator.url });
    try {
      const env = { AZURE_SUBSCRIPTION_ID: LOCAL_SERVICE.subscriptionId, APICENTER_RESOURCE_GROUP: LOCAL_SERVICE.resourceGroup, APICENTER_SERVICE: LOCAL_SERVICE.serviceName, APICENTER_ARM_ENDPOINT: proxy.url };
      const run = await bulk("Azure mode, local API Center throttling like ARM", ["--db", join(dir, "journal.db")], env, n, seed, [remote]);
      const count = (type: "reads" | "writes") => proxy.seen.filter((r) => operationType(r.method) === type).length;
      const sent = { reads: count("reads"), writes: count("writes") };
      const boundMs = Math.max(...(["reads", "writes"] as const).map((t) => (Math.max(0, sent[t] - ARM_LIMITS[t].size) / ARM_LIMITS[t].refillPerSecond) * 1000));
      runs.push({ ...run, wire: { ...sent, throttled: proxy.seen.filter((r) => r.status === 429).length, boundMs } });
    } finally {
      await proxy.close();
      await stopCli(emulator);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { runs };
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

export function renderBulk(r: { runs: BulkRun[] }): string[] {
  const n = r.runs[0]?.specs ?? 0;
  const w = ARM_LIMITS.writes;
  return [
    SECTION_TITLE,
    "",
    `Command: \`BENCH_BULK_SPECS=${n} npm run bench\` (or alone: \`npm run build && BENCH_BULK_SPECS=${n} node dist/bench/bulk.js\`). ${n} generated OpenAPI 3.0 specs`,
    "of 50-500 KB (seeded, test/helpers/sized-spec.ts), each registered with its API, version and definition by one register_api call over stdio",
    `to the built CLI, one call at a time: ${WRITES_PER_CALL} ARM writes a call (three PUTs and the import). First on the embedded local backend; then in Azure`,
    `mode against \`apicenter-mcp emulator --throttle\` (ARM's buckets: writes ${w.size} refilled at ${w.refillPerSecond}/s, reads ${ARM_LIMITS.reads.size} at ${ARM_LIMITS.reads.refillPerSecond}/s), its requests counted`,
    "on the wire by a pass-through proxy. The bound is the writes beyond a full bucket at the refill rate (the same for reads; the larger);",
    "interactive calls (register_api is one) may spend the whole bucket, so no reserve is taken off.",
    "",
    "| backend | specs | spec text | tool calls | failed | total time | calls/s | median call | p95 call | ARM requests (reads + writes) | 429s | bound | time / bound | database after |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...r.runs.map(
      (x) =>
        `| ${x.backend} | ${x.specs} | ${mb(x.bytes)} | ${x.calls} | ${x.failed} | ${s(x.ms)} | ${(x.calls / (x.ms / 1000)).toFixed(1)} | ${s(x.medianMs)} | ${s(x.p95Ms)} | ` +
        (x.wire ? `${x.wire.reads + x.wire.writes} (${x.wire.reads} + ${x.wire.writes}) | ${x.wire.throttled} | ${x.wire.boundMs ? `${s(x.wire.boundMs)} | ${(x.ms / x.wire.boundMs).toFixed(2)}x` : "0 (within a full bucket) | "} | ` : "in process | | | | ") +
        `${x.dbBytes ? mb(x.dbBytes) : ""} |`,
    ),
    "",
  ];
}

runAlone(import.meta.url, SECTION_TITLE, measureBulk, renderBulk);
