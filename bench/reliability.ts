/**
 * Reliability under faults, crashes and concurrency: register_api calls (an API, a version, a
 * definition and a ~20 KB spec each) whose every ARM request passes the fault-injecting proxy
 * (test/helpers/fault-proxy.ts) on its way to a standalone local API Center (`apicenter-mcp
 * emulator`), and a server SIGKILLed in a loop. After each scenario the inventory is read straight
 * from the local API Center and every call is classified: completed (acknowledged and whole), clean
 * failure (an error, and nothing of it left), dirty (an error, and something of it left: reported
 * when the error names it), half-made APIs, lost (acknowledged, not whole), crashes (a server process
 * that died unasked, or an internal error). Part of `npm run bench`; alone,
 * `npm run build && node dist/bench/reliability.js` rewrites its section of BENCHMARKS.md.
 * Scale: BENCH_RELIABILITY_CALLS (per fault mix, default 40), BENCH_RELIABILITY_KILLS (per backend,
 * default 5), BENCH_RELIABILITY_CLIENTS (default 32) x BENCH_RELIABILITY_CLIENT_CALLS (default 2),
 * BENCH_RELIABILITY_SEED (default 7).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { ApiCenterArmClient } from "../src/azure/arm-client.js";
import { credentialFor } from "../src/azure/credentials.js";
import { ArmGateway } from "../src/azure/gateway.js";
import { inProcessHttpClient } from "../src/azure/in-process.js";
import { LocalTokenCredential } from "../src/azure/pipeline.js";
import { LOCAL_SERVICE } from "../src/config/config.js";
import { Curation } from "../src/domain/curation.js";
import { DomainError } from "../src/domain/errors.js";
import type { ApiCenterGateway } from "../src/domain/gateway.js";
import { LocalApiCenter } from "../src/emulator/local-api-center.js";
import { FileJournal } from "../src/journal/file-journal.js";
import { EMULATOR_READY, MCP_HTTP_READY, spawnListening, stopCli, type CliProcess } from "../test/helpers/cli-process.js";
import { FAULTS, seededRandom, startFaultProxy, type Fault, type FaultMix } from "../test/helpers/fault-proxy.js";
import { checkIntegrity } from "../test/helpers/integrity.js";
import { openApiOfSize } from "../test/helpers/sized-spec.js";
import { StdioRpc } from "../test/helpers/stdio-rpc.js";
import { runAlone } from "./benchmarks-md.js";

export const SECTION_TITLE = "## RELIABILITY";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SPEC_BYTES = 20_000;
const AZURE_ENV = { AZURE_SUBSCRIPTION_ID: LOCAL_SERVICE.subscriptionId, APICENTER_RESOURCE_GROUP: LOCAL_SERVICE.resourceGroup, APICENTER_SERVICE: LOCAL_SERVICE.serviceName };

export const MIXES: Array<{ name: string; mix: FaultMix }> = [
  { name: "429 with Retry-After: 1 (20%)", mix: { throttle: 0.2 } },
  { name: "500 after applying (10%) + 503 (10%)", mix: { error500: 0.1, unavailable: 0.1 } },
  { name: "reset before the answer (20%)", mix: { resetBefore: 0.2 } },
  { name: "answer cut mid-body (20%)", mix: { cutMidBody: 0.2 } },
  { name: "slow, 50-500 ms (30%)", mix: { slow: 0.3 } },
  { name: "all of them (5% each)", mix: Object.fromEntries(FAULTS.map((f) => [f, 0.05])) as FaultMix },
  // Harsh enough that retries run out and undos meet faults too: the rollback and its report at work.
  { name: "harsh: cut mid-body or reset before the answer (25% each)", mix: { cutMidBody: 0.25, resetBefore: 0.25 } },
];

export interface Row {
  scenario: string;
  command: string;
  calls: number;
  requests: number;
  faults: Partial<Record<Fault, number>>;
  completed: number;
  cleanFailures: number;
  dirty: number;
  /** Dirty calls whose error named what was left behind. */
  reported: number;
  /** Errors that said nothing was kept while something was. */
  misreported: number;
  halfMade: number;
  lost: number;
  crashes: number;
  /** Crash scenarios: kills, and plans a kill interrupted (left in the journal) and the next start undid. */
  kills?: number;
  interrupted?: number;
  recovered?: number;
  ms: number;
}

interface Outcome {
  api: string;
  ok: boolean;
  message?: string;
  internal?: boolean;
}

async function classify(gateway: ApiCenterGateway, prefix: string, outcomes: Outcome[]) {
  const state = await checkIntegrity(gateway, outcomes.filter((o) => o.ok).map((o) => o.api));
  const whole = new Set(state.whole.filter((n) => n.startsWith(prefix)));
  const half = new Set(state.halfMade.filter((n) => n.startsWith(prefix)));
  const failed = outcomes.filter((o) => !o.ok);
  const dirty = failed.filter((o) => whole.has(o.api) || half.has(o.api));
  return {
    completed: outcomes.filter((o) => o.ok && whole.has(o.api)).length,
    cleanFailures: failed.length - dirty.length,
    dirty: dirty.length,
    reported: dirty.filter((o) => o.message?.includes("left behind") && o.message.includes(`'${o.api}'`)).length,
    misreported: dirty.filter((o) => /nothing was kept|Nothing was changed/i.test(o.message ?? "") && !o.message?.includes("left behind")).length,
    halfMade: half.size,
    lost: state.lost.filter((n) => n.startsWith(prefix)).length,
    crashes: outcomes.filter((o) => o.internal).length,
  };
}

const direct = (url: string) => new ArmGateway(new ApiCenterArmClient({ endpoint: url, credential: credentialFor(url) }), LOCAL_SERVICE, "bench");

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

/** N register_api calls from the domain, 8 at a time, through the proxy with one fault mix; the client's retry settings are the product's. */
async function faultMix(emulatorUrl: string, dir: string, index: number, name: string, mix: FaultMix, calls: number, seed: number): Promise<Row> {
  const proxy = await startFaultProxy({ target: emulatorUrl, mix, seed: seed + index, retryAfterSeconds: 1, slowMs: [50, 500] });
  const gateway = new ArmGateway(new ApiCenterArmClient({ endpoint: proxy.url, credential: credentialFor(proxy.url) }), LOCAL_SERVICE, "bench");
  const curation = new Curation(gateway, undefined, { journal: new FileJournal(join(dir, `journal-${index}`)) });
  const prefix = `mix${index}-`;
  const outcomes: Outcome[] = [];
  const t = performance.now();
  await inParallel([...Array(calls).keys()], 8, async (i) => {
    const api = `${prefix}${i}`;
    try {
      await curation.registerApi({ workspace: "default", apiName: api, title: `Mix ${index} ${i}`, version: { name: "v-1" }, spec: { content: openApiOfSize(i, SPEC_BYTES) } });
      outcomes.push({ api, ok: true });
    } catch (e) {
      outcomes.push({ api, ok: false, message: (e as Error).message, internal: !(e instanceof DomainError) });
    }
  });
  const ms = performance.now() - t;
  await proxy.close();
  const { requests, ...faults } = proxy.counts;
  return {
    scenario: `fault mix: ${name}`,
    command: `mix ${index}: ${calls} calls, 8 at a time, seed ${seed + index}`,
    calls,
    requests,
    faults,
    ...(await classify(direct(emulatorUrl), prefix, outcomes)),
    ms,
  };
}

function journalRecords(base: string): number {
  if (!existsSync(base)) return 0;
  return readdirSync(base).reduce((n, d) => n + readdirSync(join(base, d)).filter((f) => f.endsWith(".json")).length, 0);
}

/** The server over stdio registering in a loop, SIGKILLed at a random moment, `kills` times; then one more start, which must leave nothing half-made. */
async function killLoop(backend: "local" | "azure", emulatorUrl: string, dir: string, kills: number, seed: number): Promise<Row> {
  const random = seededRandom(seed);
  const db = join(dir, `kill-${backend}.db`);
  const args = ["--db", db];
  const extra = backend === "azure" ? { ...AZURE_ENV, APICENTER_ARM_ENDPOINT: emulatorUrl } : {};
  const prefix = `kill-${backend}-`;
  const outcomes: Outcome[] = [];
  let interrupted = 0;
  let recovered = 0;
  let crashes = 0;
  const t = performance.now();
  for (let round = 0; round < kills; round++) {
    const server = await StdioRpc.start(args, extra);
    let stop = false;
    const loop = (async () => {
      for (let i = 0; !stop; i++) {
        const api = `${prefix}${round}-${i}`;
        const r = await server.callTool("register_api", { apiName: api, title: `Kill ${round} ${i}`, versionName: "v-1", specContent: openApiOfSize(i, SPEC_BYTES) }).catch(() => undefined);
        if (!r) return; // Killed mid-call: never acknowledged, so neither counted nor expected.
        outcomes.push({ api, ok: !r.isError, ...(r.isError ? { message: r.content[0]?.text ?? "" } : {}), internal: !!r.isError && /^Internal error/.test(r.content[0]?.text ?? "") });
      }
    })();
    await new Promise((r) => setTimeout(r, 300 + random() * 1000));
    stop = true;
    if (server.proc.child.exitCode !== null) crashes += 1;
    await server.kill("SIGKILL");
    await loop;
    recovered += (server.proc.stderr().match(/recovered a plan interrupted at/g) ?? []).length;
    interrupted += journalRecords(join(dir, "journal"));
  }
  const last = await StdioRpc.start(args, extra);
  await last.callTool("register_api", { apiName: `${prefix}final`, title: "Final", versionName: "v-1", specContent: openApiOfSize(0, SPEC_BYTES) }).then((r) => outcomes.push({ api: `${prefix}final`, ok: !r.isError }));
  await last.close();
  recovered += (last.proc.stderr().match(/recovered a plan interrupted at/g) ?? []).length;
  const ms = performance.now() - t;
  let counts;
  if (backend === "local") {
    const local = new LocalApiCenter({ db });
    try {
      const client = new ApiCenterArmClient({ endpoint: "https://local-api-center.invalid", credential: new LocalTokenCredential(), httpClient: inProcessHttpClient((r) => local.handle(r)) });
      counts = await classify(new ArmGateway(client, LOCAL_SERVICE, "bench"), prefix, outcomes);
    } finally {
      await local.close();
    }
  } else {
    counts = await classify(direct(emulatorUrl), prefix, outcomes);
  }
  return {
    scenario: `SIGKILL loop, ${backend === "local" ? "local backend" : "Azure mode (standalone local API Center)"}`,
    command: `${kills} kills after 0.3-1.3 s of writes, seed ${seed}`,
    calls: outcomes.length,
    requests: 0,
    faults: {},
    ...counts,
    crashes: counts.crashes + crashes,
    kills,
    interrupted,
    recovered,
    ms,
  };
}

/** One server over Streamable HTTP (Azure mode, through the proxy with every fault at 2%), `clients` MCP clients at once. */
async function concurrentClients(emulatorUrl: string, dir: string, clients: number, callsEach: number, seed: number): Promise<Row> {
  const proxy = await startFaultProxy({ target: emulatorUrl, mix: Object.fromEntries(FAULTS.map((f) => [f, 0.02])) as FaultMix, seed, retryAfterSeconds: 1, slowMs: [50, 500] });
  const server: CliProcess & { url: string } = await spawnListening(["--http", "--port", "0", "--db", join(dir, "clients.db")], MCP_HTTP_READY, { ...AZURE_ENV, APICENTER_ARM_ENDPOINT: proxy.url });
  const prefix = "client-";
  const outcomes: Outcome[] = [];
  const t = performance.now();
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const client = new Client({ name: `bench-${c}`, version: "1.0.0" });
        await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
        try {
          for (let i = 0; i < callsEach; i++) {
            const api = `${prefix}${c}-${i}`;
            const r = (await client.callTool({ name: "register_api", arguments: { apiName: api, title: `Client ${c} ${i}`, versionName: "v-1", specContent: openApiOfSize(c * callsEach + i, SPEC_BYTES) } })) as { isError?: boolean; content: Array<{ text?: string }> };
            const text = r.content[0]?.text ?? "";
            outcomes.push({ api, ok: !r.isError, ...(r.isError ? { message: text } : {}), internal: !!r.isError && /^Internal error/.test(text) });
          }
        } finally {
          await client.close();
        }
      }),
    );
  } finally {
    const crashed = server.child.exitCode !== null;
    await stopCli(server);
    await proxy.close();
    if (crashed) outcomes.push({ api: "(server)", ok: false, internal: true });
  }
  const ms = performance.now() - t;
  const { requests, ...faults } = proxy.counts;
  return {
    scenario: `${clients} concurrent MCP clients over Streamable HTTP (Azure mode, every fault at 2%)`,
    command: `${clients} clients x ${callsEach} calls, seed ${seed}`,
    calls: clients * callsEach,
    requests,
    faults,
    ...(await classify(direct(emulatorUrl), prefix, outcomes)),
    ms,
  };
}

export async function measureReliability(): Promise<Row[]> {
  const seed = env("BENCH_RELIABILITY_SEED", 7);
  const dir = mkdtempSync(join(tmpdir(), "apicenter-reliability-"));
  const emulator = await spawnListening(["emulator", "--port", "0", "--db", join(dir, "emulator.db")], EMULATOR_READY);
  const rows: Row[] = [];
  try {
    const calls = env("BENCH_RELIABILITY_CALLS", 40);
    for (const [i, { name, mix }] of MIXES.entries()) rows.push(await faultMix(emulator.url, dir, i, name, mix, calls, seed));
    const kills = env("BENCH_RELIABILITY_KILLS", 5);
    rows.push(await killLoop("local", emulator.url, dir, kills, seed));
    rows.push(await killLoop("azure", emulator.url, dir, kills, seed + 1));
    rows.push(await concurrentClients(emulator.url, dir, env("BENCH_RELIABILITY_CLIENTS", 32), env("BENCH_RELIABILITY_CLIENT_CALLS", 2), seed));
  } finally {
    await stopCli(emulator);
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function renderReliability(rows: Row[]): string[] {
  const faults = (r: Row) => {
    const list = Object.entries(r.faults).filter(([, n]) => n);
    return list.length ? list.map(([f, n]) => `${f} ${n}`).join(", ") : r.kills !== undefined ? `${r.kills} SIGKILLs` : "none";
  };
  return [
    SECTION_TITLE,
    "",
    "Command: `npm run bench` (or alone: `npm run build && node dist/bench/reliability.js`; scale with BENCH_RELIABILITY_CALLS, _KILLS, _CLIENTS,",
    "_CLIENT_CALLS, _SEED). Every call is register_api with a ~20 KB OpenAPI spec: an API, a version, a definition and the import. Faults are injected",
    "per ARM request by test/helpers/fault-proxy.ts between the ARM client and a standalone local API Center (`apicenter-mcp emulator`), seeded;",
    "the client keeps the product's retry settings (3 retries, Retry-After honoured). Afterwards the inventory is read straight from the local",
    "API Center. *completed*: acknowledged and whole; *clean failures*: an error, and nothing of the call left; *dirty*: an error, and something",
    "of it left (*reported*: the error named it as left behind; *misreported*: the error said nothing was kept); *half-made*: APIs without their",
    "version, definition or spec; *lost*: acknowledged but not whole; *crashes*: a server that died unasked, or an internal error. In the SIGKILL",
    "loops, *calls* are the calls answered before a kill (the one a kill cuts is never answered, so neither counted nor expected).",
    "",
    "| scenario | calls | ARM requests | faults injected | completed | clean failures | dirty (reported / misreported) | half-made | lost | crashes | time | run |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.calls} | ${r.requests || ""} | ${faults(r)} | ${r.completed} | ${r.cleanFailures} | ${r.dirty} (${r.reported} / ${r.misreported}) | ${r.halfMade} | ${r.lost} | ${r.crashes} | ${seconds(r.ms)} | ${r.command} |`,
    ),
    "",
    ...rows
      .filter((r) => r.kills !== undefined)
      .map((r) => `${r.scenario}: ${r.kills} kills left ${r.interrupted} plan(s) in the journal mid-write; the next starts logged ${r.recovered} recovery line(s) and undid them.`),
    "",
  ];
}

runAlone(import.meta.url, SECTION_TITLE, measureReliability, renderReliability);
