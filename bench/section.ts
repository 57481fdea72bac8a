/**
 * One benchmark section per process (so each reports its own peak memory): prints one JSON line.
 *   node dist/bench/section.js index-latency <apis> <latencyMs> <concurrency>
 *   node dist/bench/section.js scale <apis>
 *   node dist/bench/section.js spec <analyze|lint>
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiCenterArmClient } from "../src/azure/arm-client.js";
import { credentialFor } from "../src/azure/credentials.js";
import { ArmGateway } from "../src/azure/gateway.js";
import { inProcessHttpClient } from "../src/azure/in-process.js";
import { LocalTokenCredential } from "../src/azure/pipeline.js";
import { Curation } from "../src/domain/curation.js";
import { Intelligence } from "../src/domain/intelligence/intelligence.js";
import { InventoryIndex } from "../src/domain/intelligence/inventory-index.js";
import { SpectralLinter } from "../src/spectral/spectral-linter.js";
import { LocalApiCenter } from "../src/emulator/local-api-center.js";
import { EMULATOR_READY, spawnListening } from "../test/helpers/cli-process.js";
import { SCOPE, seedInventory } from "./seed.js";
import { timeRuns } from "./timing.js";

const ws = { workspace: "default" };
const service = { subscriptionId: SCOPE.subscriptionId, resourceGroup: SCOPE.resourceGroupName, serviceName: SCOPE.serviceName };
const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

function inProcessClient(api: LocalApiCenter): ApiCenterArmClient {
  return new ApiCenterArmClient({
    endpoint: "https://local-api-center.invalid",
    credential: new LocalTokenCredential(),
    httpClient: inProcessHttpClient((r) => api.handle(r)),
  });
}

async function indexLatency(n: number, latencyMs: number, concurrency: number) {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-bench-"));
  const db = join(dir, "a.db");
  const api = new LocalApiCenter({ db, seed: SCOPE });
  const seedStart = performance.now();
  await seedInventory(api, n);
  const seedMs = performance.now() - seedStart;
  await api.close();
  // The standalone local API Center in its own process, as a remote ARM would be.
  const emulator = await spawnListening(["emulator", "--port", "0", "--db", db, "--latency", String(latencyMs)], EMULATOR_READY);
  try {
    const client = new ApiCenterArmClient({ endpoint: emulator.url, credential: credentialFor(emulator.url) });
    const gateway = new ArmGateway(client, service, "bench");
    const index = new InventoryIndex(gateway, { concurrency });
    const intelligence = new Intelligence(gateway, index, new SpectralLinter());
    const t = performance.now();
    const first = await intelligence.search({ ...ws, query: "refunds", limit: 10 });
    const buildMs = performance.now() - t;
    const calls = first.freshness.crawlCalls;
    const second = await timeRuns(5, () => intelligence.audit(ws));
    return { apis: n, latencyMs, concurrency, seedMs, buildMs, calls, idealMs: (calls * latencyMs) / concurrency, secondQuestionMs: second, peakMiB: peakMiB() };
  } finally {
    emulator.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function scale(n: number) {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-bench-"));
  const api = new LocalApiCenter({ db: join(dir, "a.db"), seed: SCOPE, pageSize: 1000 });
  try {
    await seedInventory(api, n);
    const gateway = new ArmGateway(inProcessClient(api), service, "bench");
    const index = new InventoryIndex(gateway, { concurrency: 8 });
    const intelligence = new Intelligence(gateway, index, new SpectralLinter());
    const curation = new Curation(gateway, (kind, path) => index.invalidate(kind, path));
    const t = performance.now();
    await index.get(ws);
    const buildMs = performance.now() - t;
    const queries = ["refunds for orders", "customer reviews", "pricing", "shipping labels inventory", "loyalty points"];
    let q = 0;
    const searchMs = await timeRuns(20, () => intelligence.search({ ...ws, query: queries[q++ % queries.length]!, limit: 10 }));
    const filteredMs = await timeRuns(20, () => intelligence.search({ ...ws, query: "invoices", kind: "rest", customProperties: { "owner-team": "team-3" }, limit: 10 }));
    const auditMs = await timeRuns(5, () => intelligence.audit(ws));
    const findings = (await intelligence.audit(ws)).findings.reduce((n, f) => n + f.entities.length, 0);
    // One write through the server, then the next answer: the index re-reads just that API.
    const afterWrite = await timeRuns(5, async () => {
      await curation.registerApi({ ...ws, apiName: "api-1", title: "Payments 1", kind: "rest", summary: "rewritten" });
      await intelligence.search({ ...ws, query: "rewritten", limit: 1 });
    });
    return { apis: n, buildMs, searchMs, filteredSearchMs: filteredMs, auditMs, findings, writeThenSearchMs: afterWrite, peakMiB: peakMiB() };
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function specTool(mode: "analyze" | "lint") {
  const text = readFileSync(createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json"), "utf8");
  const api = new LocalApiCenter({ db: ":memory:", seed: SCOPE });
  try {
    const gateway = new ArmGateway(inProcessClient(api), service, "bench");
    const curation = new Curation(gateway);
    await curation.registerApi({ ...ws, apiName: "github", title: "GitHub", version: { name: "v1-0", lifecycleStage: "production" }, spec: { content: text } });
    const intelligence = new Intelligence(gateway, new InventoryIndex(gateway), new SpectralLinter());
    const ref = { api: "github", version: "v1-0", definition: "openapi" };
    const before = peakMiB();
    const t = performance.now();
    const out = mode === "analyze" ? await intelligence.analyze(ws, ref, { limit: 200 }) : await intelligence.lint(ws, ref, { limit: 10 });
    const ms = performance.now() - t;
    const detail = mode === "analyze" ? { operations: (out as { summary: { operationCount: number } }).summary.operationCount } : { findings: (out as { total: number }).total };
    return { mode, bytes: Buffer.byteLength(text), ms, peakMiB: peakMiB(), peakBeforeMiB: before, ...detail };
  } finally {
    await api.close();
  }
}

const [section, ...args] = process.argv.slice(2);
const run =
  section === "index-latency"
    ? indexLatency(Number(args[0] ?? 2000), Number(args[1] ?? 10), Number(args[2] ?? 16))
    : section === "scale"
      ? scale(Number(args[0] ?? 2000))
      : section === "spec"
        ? specTool((args[0] ?? "analyze") as "analyze" | "lint")
        : Promise.reject(new Error(`unknown section ${section}`));
run.then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
