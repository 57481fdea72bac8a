/**
 * Benchmarks of the inventory index, one section per process (each its own peak memory), one JSON
 * line out; bench/run.ts runs them and writes their tables.
 *   node dist/bench/index-bench.js crawl <apis> <latencyMs> <concurrency> <reserve>
 *     the index's crawl against a standalone local API Center throttling like ARM
 *   node dist/bench/index-bench.js latency <apis> <latencyMs> <concurrency>
 *     the same crawl with latency and no throttling (the other half of the bound)
 *   node dist/bench/index-bench.js saved <apis> <latencyMs>
 *     a new session's first answer with the index the last one saved, and without
 *   node dist/bench/index-bench.js scale <apis>
 *     the embedded local backend: first build, restart, search, audit, write-then-search, peak memory
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ARM_LIMITS, type OperationType } from "../src/arm/throttling.js";
import { ApiCenterArmClient } from "../src/azure/arm-client.js";
import { changeSourceOf } from "../src/azure/changes.js";
import { credentialFor } from "../src/azure/credentials.js";
import { ArmGateway } from "../src/azure/gateway.js";
import { inProcessHttpClient } from "../src/azure/in-process.js";
import { LocalTokenCredential } from "../src/azure/pipeline.js";
import { Curation } from "../src/domain/curation.js";
import { Intelligence } from "../src/domain/intelligence/intelligence.js";
import { InventoryIndex } from "../src/domain/intelligence/inventory-index.js";
import { LocalApiCenter } from "../src/emulator/local-api-center.js";
import { SqliteIndexStore } from "../src/index-store/sqlite-index-store.js";
import { SpectralLinter } from "../src/spectral/spectral-linter.js";
import { CLI, EMULATOR_READY, spawnListening } from "../test/helpers/cli-process.js";
import { SCOPE, seedInventory } from "./seed.js";
import { median, timeRuns } from "./timing.js";

const ws = { workspace: "default" };
const service = { subscriptionId: SCOPE.subscriptionId, resourceGroup: SCOPE.resourceGroupName, serviceName: SCOPE.serviceName };
const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seeded(n: number): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-bench-"));
  const db = join(dir, "a.db");
  const api = new LocalApiCenter({ db, seed: SCOPE });
  await seedInventory(api, n);
  await api.close();
  return { dir, db };
}

function remote(url: string, reserve = 0.2) {
  const client = new ApiCenterArmClient({ endpoint: url, credential: credentialFor(url), budget: { reserve } });
  const gateway = new ArmGateway(client, service, "bench");
  return { client, gateway };
}

/**
 * The bound on a crawl: per operation type, the calls beyond what the bucket holds above the reserve,
 * at the refill rate; or calls x latency / concurrency when that is larger.
 */
function bound(sent: Record<OperationType, number>, reserve: number, latencyMs: number, concurrency: number): number {
  const byBucket = (Object.keys(sent) as OperationType[]).map((t) => (Math.max(0, sent[t] - ARM_LIMITS[t].size * (1 - reserve)) / ARM_LIMITS[t].refillPerSecond) * 1000);
  const calls = sent.reads + sent.writes + sent.deletes;
  return Math.max(...byBucket, (calls * latencyMs) / concurrency);
}

/** The crawl against ARM's limits, then (buckets full again) the revalidating crawl; interactive calls probe meanwhile. */
async function crawl(n: number, latencyMs: number, concurrency: number, reserve: number) {
  const { dir, db } = await seeded(n);
  const emulator = await spawnListening(["emulator", "--port", "0", "--db", db, "--latency", String(latencyMs), "--throttle"], EMULATOR_READY);
  try {
    const { client, gateway } = remote(emulator.url, reserve);
    const index = new InventoryIndex(gateway.bulk(), { concurrency });
    const runs = [];
    for (const refresh of [false, true]) {
      const before = client.budgetStats();
      // What an interactive tool call meets meanwhile: one every half second.
      const probes: number[] = [];
      let crawling = true;
      const probing = (async () => {
        while (crawling) {
          const t = performance.now();
          await client.getService(SCOPE);
          probes.push(performance.now() - t);
          await sleep(500);
        }
      })();
      const t = performance.now();
      const snapshot = await index.get(ws, { refresh });
      const ms = performance.now() - t;
      crawling = false;
      await probing;
      const after = client.budgetStats();
      const sent = { reads: after.sent.reads - before.sent.reads, writes: after.sent.writes - before.sent.writes, deletes: 0 };
      const probeSent = probes.length;
      // The probes spent reads too; the crawl's own calls are what it counted.
      const crawlSent = { ...sent, reads: sent.reads - probeSent };
      runs.push({
        crawl: refresh ? "revalidation" : "first",
        apis: snapshot.apis.size,
        calls: snapshot.crawl.calls,
        reads: crawlSent.reads,
        writes: crawlSent.writes,
        specsExported: snapshot.crawl.specsExported,
        throttled: after.throttled - before.throttled,
        ms,
        boundMs: bound({ reads: crawlSent.reads + probeSent, writes: crawlSent.writes, deletes: 0 }, reserve, latencyMs, concurrency),
        probes: probes.length,
        probeMedianMs: median(probes),
        probeMaxMs: Math.max(...probes),
        missing: snapshot.missing.size,
      });
      // Both buckets full again before the next crawl, so each starts from the same budget.
      if (!refresh) await sleep(Math.max(...Object.values(ARM_LIMITS).map((l) => (l.size / l.refillPerSecond) * 1000)) + 1000);
    }
    return { apis: n, latencyMs, concurrency, reserve, runs, peakMiB: peakMiB() };
  } finally {
    emulator.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function latency(n: number, latencyMs: number, concurrency: number) {
  const { dir, db } = await seeded(n);
  const emulator = await spawnListening(["emulator", "--port", "0", "--db", db, "--latency", String(latencyMs)], EMULATOR_READY);
  try {
    const { gateway } = remote(emulator.url);
    const index = new InventoryIndex(gateway.bulk(), { concurrency });
    const intelligence = new Intelligence(gateway, index, new SpectralLinter());
    const t = performance.now();
    const first = await intelligence.search({ ...ws, query: "refunds", limit: 10 });
    const buildMs = performance.now() - t;
    const calls = (await index.get(ws)).crawl.calls;
    const second = await timeRuns(5, () => intelligence.audit(ws));
    return { apis: n, latencyMs, concurrency, buildMs, calls, idealMs: (calls * latencyMs) / concurrency, secondQuestionMs: second, found: first.total, peakMiB: peakMiB() };
  } finally {
    emulator.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** spawn -> MCP initialize -> search_apis answered, through the built CLI in Azure mode. */
async function firstAnswerOfNewSession(emulatorUrl: string, indexDb: string): Promise<{ ms: number; fromSaved: boolean; total: number }> {
  const t = performance.now();
  const client = new Client({ name: "bench-saved-index", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "--index-db", indexDb, "--db", join(indexDb, "..", "unused.db")],
      env: { ...process.env, AZURE_SUBSCRIPTION_ID: SCOPE.subscriptionId, APICENTER_RESOURCE_GROUP: SCOPE.resourceGroupName, APICENTER_SERVICE: SCOPE.serviceName, APICENTER_ARM_ENDPOINT: emulatorUrl } as Record<string, string>,
      stderr: "ignore",
    }),
  );
  try {
    const answer = (await client.callTool({ name: "search_apis", arguments: { query: "refunds" } }, undefined, { timeout: 600_000 })) as { structuredContent?: { total: number; freshness: { fromSaved?: boolean } } };
    return { ms: performance.now() - t, fromSaved: answer.structuredContent?.freshness.fromSaved === true, total: answer.structuredContent?.total ?? -1 };
  } finally {
    await client.close();
  }
}

async function saved(n: number, latencyMs: number) {
  const { dir, db } = await seeded(n);
  const emulator = await spawnListening(["emulator", "--port", "0", "--db", db, "--latency", String(latencyMs)], EMULATOR_READY);
  try {
    const indexDb = join(dir, "index.db");
    // The last session: its index built and saved.
    const store = new SqliteIndexStore(indexDb);
    const last = remote(emulator.url);
    await new InventoryIndex(last.gateway.bulk(), { store, concurrency: 8 }).get(ws);
    await sleep(200);
    store.close();
    // A new session in process: the saved index loaded, the first question answered.
    const reopened = new SqliteIndexStore(indexDb);
    const next = remote(emulator.url);
    const index = new InventoryIndex(next.gateway.bulk(), { store: reopened, concurrency: 8 });
    const intelligence = new Intelligence(next.gateway, index, new SpectralLinter());
    const t = performance.now();
    const first = await intelligence.search({ ...ws, query: "refunds", limit: 10 });
    const inProcessMs = performance.now() - t;
    reopened.close();
    // The same through the built CLI, from spawn to the answer; then a session with no saved index.
    const withSaved = await firstAnswerOfNewSession(emulator.url, indexDb);
    const cold = await firstAnswerOfNewSession(emulator.url, join(dir, "fresh.index.db"));
    return {
      apis: n,
      latencyMs,
      inProcessMs,
      inProcessFromSaved: first.freshness.fromSaved,
      cliSavedMs: withSaved.ms,
      cliSavedFromSaved: withSaved.fromSaved,
      cliColdMs: cold.ms,
      found: first.total,
      peakMiB: peakMiB(),
    };
  } finally {
    emulator.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The domain over the embedded local API Center, wired as the CLI wires it. */
function embedded(db: string, indexDb: string) {
  const api = new LocalApiCenter({ db, seed: SCOPE, pageSize: 1000 });
  const client = new ApiCenterArmClient({ endpoint: "https://local-api-center.invalid", credential: new LocalTokenCredential(), httpClient: inProcessHttpClient((r) => api.handle(r)) });
  const gateway = new ArmGateway(client, service, "bench", (ref) => api.readWorkspace(ref));
  const store = new SqliteIndexStore(indexDb);
  const index = new InventoryIndex(gateway.bulk(), { store, changes: changeSourceOf(api) });
  return {
    index,
    intelligence: new Intelligence(gateway, index, new SpectralLinter()),
    curation: new Curation(gateway, (kind, path) => index.invalidate(kind, path)),
    async close() {
      await sleep(100);
      store.close();
      await api.close();
    },
  };
}

async function scale(n: number) {
  const { dir, db } = await seeded(n);
  const indexDb = join(dir, "index.db");
  try {
    const first = embedded(db, indexDb);
    let t = performance.now();
    await first.index.get(ws);
    const buildMs = performance.now() - t;
    await first.close();

    const session = embedded(db, indexDb);
    t = performance.now();
    const restart = await session.intelligence.search({ ...ws, query: "refunds for orders", limit: 10 });
    const restartMs = performance.now() - t;
    const queries = ["refunds for orders", "customer reviews", "pricing", "shipping labels inventory", "loyalty points"];
    let q = 0;
    const searchMs = await timeRuns(20, () => session.intelligence.search({ ...ws, query: queries[q++ % queries.length]!, limit: 10 }));
    const filteredMs = await timeRuns(20, () => session.intelligence.search({ ...ws, query: "invoices", kind: "rest", customProperties: { "owner-team": "team-3" }, limit: 10 }));
    t = performance.now();
    const audit = await session.intelligence.audit(ws);
    const firstAuditMs = performance.now() - t;
    const auditMs = await timeRuns(5, () => session.intelligence.audit(ws));
    // One write through the server, then the next answer: the index re-reads just that API.
    const afterWrite = await timeRuns(5, async () => {
      await session.curation.registerApi({ ...ws, apiName: "api-1", title: "Payments 1", kind: "rest", summary: "rewritten" });
      await session.intelligence.search({ ...ws, query: "rewritten", limit: 1 });
    });
    const auditAfterWriteMs = await timeRuns(5, async () => {
      await session.curation.registerApi({ ...ws, apiName: "api-2", title: "Payments 2", kind: "rest", summary: `changed ${Math.random()}` });
      await session.intelligence.audit(ws);
    });
    await session.close();
    return {
      apis: n,
      buildMs,
      restartMs,
      restartFromSaved: restart.freshness.fromSaved,
      searchMs,
      filteredSearchMs: filteredMs,
      firstAuditMs,
      auditMs,
      auditAfterWriteMs,
      findings: audit.findings.reduce((sum, f) => sum + f.entities.length, 0),
      writeThenSearchMs: afterWrite,
      peakMiB: peakMiB(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [section, ...args] = process.argv.slice(2);
const num = (i: number, fallback: number) => Number(args[i] ?? fallback);
const run =
  section === "crawl"
    ? crawl(num(0, 300), num(1, 10), num(2, 8), num(3, 0.2))
    : section === "latency"
      ? latency(num(0, 2000), num(1, 10), num(2, 16))
      : section === "saved"
        ? saved(num(0, 2000), num(1, 10))
        : section === "scale"
          ? scale(num(0, 2000))
          : Promise.reject(new Error(`unknown section ${section}`));
run.then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
