/**
 * `npm run bench`: the ARM client against the local API Center, in process and over loopback HTTP,
 * side by side in one run; medians of repeated runs, and ratios; then the sections of bench/section.ts,
 * the size of tools/list, bulk registration (bench/bulk.ts) and reliability (bench/reliability.ts).
 * Writes BENCHMARKS.md.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiCenterArmClient } from "../src/azure/arm-client.js";
import { credentialFor } from "../src/azure/credentials.js";
import { inProcessHttpClient } from "../src/azure/in-process.js";
import { LocalTokenCredential } from "../src/azure/pipeline.js";
import { serveEmulator } from "../src/emulator/http-server.js";
import { LocalApiCenter } from "../src/emulator/local-api-center.js";
import type { ResourceRef } from "../src/arm/resource-id.js";
import { lintSection } from "./lint.js";
import { startupSection } from "./startup.js";
import { timeRuns } from "./timing.js";
import { measureHostile, renderHostile } from "./hostile.js";
import { measureBulk, renderBulk } from "./bulk.js";
import { measureReliability, renderReliability } from "./reliability.js";
import { renderIndex } from "./index-report.js";
import { measureToolsList, renderToolsList } from "./tools-list-tokens.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const SCOPE = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "bench", serviceName: "bench" };
const ws: ResourceRef = { subscriptionId: SCOPE.subscriptionId, resourceGroupName: SCOPE.resourceGroupName, chain: [{ kind: "service", name: "bench" }, { kind: "workspace", name: "default" }] };
const api = (name: string): ResourceRef => ({ ...ws, chain: [...ws.chain, { kind: "api", name }] });
const def = (name: string): ResourceRef => ({ ...ws, chain: [...ws.chain, { kind: "api", name }, { kind: "version", name: "v1-0" }, { kind: "definition", name: "openapi" }] });


interface Backend {
  name: string;
  client: ApiCenterArmClient;
  close(): Promise<void>;
}

async function backends(dir: string): Promise<Backend[]> {
  const inProc = new LocalApiCenter({ db: join(dir, "inproc.db"), seed: SCOPE });
  const overHttp = new LocalApiCenter({ db: join(dir, "http.db"), seed: SCOPE });
  const http = await serveEmulator(overHttp);
  return [
    {
      name: "in-process",
      client: new ApiCenterArmClient({ endpoint: "https://local-api-center.invalid", credential: new LocalTokenCredential(), httpClient: inProcessHttpClient((r) => inProc.handle(r)) }),
      close: () => inProc.close(),
    },
    {
      name: "HTTP loopback",
      client: new ApiCenterArmClient({ endpoint: http.url, credential: credentialFor(http.url) }),
      close: async () => {
        await http.close();
        await overHttp.close();
      },
    },
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-bench-"));
  const spec = readFileSync(createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json"), "utf8");
  const rows: Array<[string, number[]]> = [];
  const bs = await backends(dir);
  try {
    const measure = async (label: string, runs: number, fn: (b: Backend) => Promise<unknown>) => {
      const figures: number[] = [];
      for (const b of bs) figures.push(await timeRuns(runs, () => fn(b)));
      rows.push([label, figures]);
    };
    const created = new Map<string, number>();
    await measure("create an API (PUT)", 200, (b) => {
      const n = (created.get(b.name) ?? 0) + 1;
      created.set(b.name, n);
      return b.client.createOrUpdate("api", api(`api-${n}`), { title: "Bench", kind: "rest" });
    });
    await measure("get an API (GET)", 200, (b) => b.client.get("api", api("api-1")));
    for (const b of bs) {
      for (let i = 0; i < 800; i++) await b.client.createOrUpdate("api", api(`more-${i}`), { title: `More ${i}`, kind: i % 3 ? "rest" : "graphql" });
    }
    await measure("list 1,000 APIs (10 pages)", 20, (b) => b.client.listAll("api", ws));
    await measure("list with $filter kind eq 'graphql'", 20, (b) => b.client.listAll("api", ws, { filter: "kind eq 'graphql'" }));
    for (const b of bs) {
      await b.client.createOrUpdate("version", { ...ws, chain: [...ws.chain, { kind: "api", name: "more-1" }, { kind: "version", name: "v1-0" }] }, { title: "1", lifecycleStage: "production" });
      await b.client.createOrUpdate("definition", def("more-1"), { title: "OpenAPI" });
    }
    await measure("import GitHub's 13 MB OpenAPI (inline)", 5, (b) => b.client.importSpecification(def("more-1"), { value: spec }));
    await measure("export it again", 5, (b) => b.client.exportSpecification(def("more-1")));
  } finally {
    for (const b of bs) await b.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const table = rows.map(([label, [a, b]]) => `| ${label} | ${a!.toFixed(2)} | ${b!.toFixed(2)} | ${(b! / a!).toFixed(2)}x |`);
  const intelligence = renderIntelligence();
  const toolsList = renderToolsList(await measureToolsList());
  const hostile = renderHostile(await measureHostile());
  const reliability = renderReliability(await measureReliability());
  const bulkRegistration = renderBulk(await measureBulk());
  const doc = [
    "# Benchmarks",
    "",
    "Every figure here comes from one command, run on the machine named below; figures are medians,",
    "and each row's two columns were measured side by side in the same run. Machines are noisy: compare",
    "ratios within a table, not figures across runs.",
    "",
    "## The ARM client against the local API Center",
    "",
    "Command: `npm run bench` (bench/run.ts). The same client code either hands requests to the local",
    "API Center in process (the embedded default) or sends them over loopback HTTP (`apicenter-mcp",
    "emulator`), both on SQLite files in WAL mode with full sync.",
    "",
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "| operation | in-process (ms, median) | HTTP loopback (ms, median) | HTTP / in-process |",
    "|---|---|---|---|",
    ...table,
    "",
    ...intelligence,
    ...toolsList,
    ...hostile,
    ...bulkRegistration,
    ...reliability,
    ...(process.env.BENCH_SKIP_LINT ? [] : lintSection()),
    ...(await startupSection()),
  ].join("\n");
  writeFileSync("BENCHMARKS.md", doc);
  process.stdout.write(`${doc}\n`);
}

/** Runs one section of bench/section.ts in its own process (its own peak memory) and reads its JSON line. */
function section(...args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, [join(HERE, "section.js"), ...args], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.trim().split("\n").pop()!) as Record<string, number>;
}

const ms = (v: number | undefined) => (v === undefined ? "" : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

function renderIntelligence(): string[] {
  const specs = [section("spec", "analyze")];
  return [
    ...renderIndex(),
    "## Spec tools on GitHub's OpenAPI",
    "",
    "Command: `npm run bench` (section `spec analyze`): `@octokit/openapi`'s api.github.com.json, imported into the local API Center, then",
    "analyze_spec (parse and summarise) in its own process, once. lint_spec has a section of its own below.",
    "",
    "| tool | spec size | time | result | peak memory |",
    "|---|---|---|---|---|",
    ...specs.map((r) => `| ${r.mode === undefined ? "" : `${r.mode}_spec`} | ${(r.bytes! / 1e6).toFixed(1)} MB | ${ms(r.ms)} | ${"operations" in r ? `${r.operations} operations` : `${r.findings} findings`} | ${r.peakMiB} MiB |`),
    "",
  ];
}

main().then(
  // The SDK's HTTP client leaves a request's timeout timer running when its connection fails (the reliability runs): do not wait for them.
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
