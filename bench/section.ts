/**
 * One benchmark section per process (so each reports its own peak memory): prints one JSON line.
 * (The inventory index's sections are in bench/index-bench.ts.)
 *   node dist/bench/section.js spec <analyze|lint>
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ApiCenterArmClient } from "../src/azure/arm-client.js";
import { ArmGateway } from "../src/azure/gateway.js";
import { inProcessHttpClient } from "../src/azure/in-process.js";
import { LocalTokenCredential } from "../src/azure/pipeline.js";
import { Curation } from "../src/domain/curation.js";
import { Intelligence } from "../src/domain/intelligence/intelligence.js";
import { InventoryIndex } from "../src/domain/intelligence/inventory-index.js";
import { SpectralLinter } from "../src/spectral/spectral-linter.js";
import { LocalApiCenter } from "../src/emulator/local-api-center.js";
import { SCOPE } from "./seed.js";

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
const run = section === "spec" ? specTool((args[0] ?? "analyze") as "analyze" | "lint") : Promise.reject(new Error(`unknown section ${section}`));
run.then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
