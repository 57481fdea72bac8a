/**
 * Hostile input against the built CLI, counted: every tool with one argument broken (wrong type, past
 * its limit, a name or service string that would step out of its ARM path segment) over stdio and
 * Streamable HTTP; raw frames on stdio (text, JSON, JSON-RPC-shaped requests, an oversized line); link
 * imports aimed inside the network. Part of `npm run bench`; alone, `node dist/bench/hostile.js` prints
 * the figures and rewrites its section of BENCHMARKS.md. BENCH_HOSTILE_CALLS sets the calls per probe.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { MAX_MESSAGE_BYTES } from "../src/mcp/transports.js";
import { startClient, type Transport } from "../test/e2e/clients.js";
import { buildCase, namesField } from "../test/helpers/hostile.js";
import { RawStdio, rawFrames } from "../test/helpers/raw-stdio.js";
import { runAlone } from "./benchmarks-md.js";

const CALLS = Number(process.env.BENCH_HOSTILE_CALLS ?? 2000);

interface ToolFuzz {
  transport: Transport;
  calls: number;
  refusedByName: number;
  accepted: number;
  refusedOtherwise: number;
  internalErrors: number;
  largestAnswer: number;
  alive: boolean;
}

async function toolFuzz(transport: Transport): Promise<ToolFuzz> {
  const c = await startClient({ era: transport === "stdio" ? "legacy" : "modern", transport });
  const out: ToolFuzz = { transport, calls: 0, refusedByName: 0, accepted: 0, refusedOtherwise: 0, internalErrors: 0, largestAnswer: 0, alive: false };
  const draws = fc.sample(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat({ max: 200_000 })), { seed: 1, numRuns: CALLS });
  try {
    for (const [t, f, h, size] of draws) {
      const k = buildCase(t, f, h, size);
      const r = await c.callTool(k.tool.name, k.args);
      const text = r.content.map((x) => x.text ?? "").join("\n");
      out.calls++;
      out.largestAnswer = Math.max(out.largestAnswer, JSON.stringify(r).length);
      if (/Internal error/.test(text)) out.internalErrors++;
      else if (!r.isError) out.accepted++;
      else if (namesField(text, k.field)) out.refusedByName++;
      else out.refusedOtherwise++;
    }
    out.alive = !(await c.callTool("list_apis", {})).isError;
  } finally {
    await c.close();
  }
  return out;
}

interface FrameFuzz {
  frames: number;
  requests: number;
  answered: number;
  internalErrors: number;
  oversizedAnswered: boolean;
  exitCode: number | null;
}

async function frameFuzz(): Promise<FrameFuzz> {
  const s = new RawStdio();
  const frames = fc.sample(rawFrames(), { seed: 2, numRuns: CALLS });
  await s.initialize();
  const ids: unknown[] = [];
  for (const f of frames) {
    await s.send(f.line);
    if (f.id !== undefined) ids.push(f.id);
  }
  const head = Buffer.from('{"jsonrpc":"2.0","id":"oversized","method":"tools/call","params":{"name":"import_spec","arguments":{"specContent":"');
  await s.send(Buffer.concat([head, Buffer.alloc(MAX_MESSAGE_BYTES + 1024, 0x61), Buffer.from('"}}}')]));
  await s.send(JSON.stringify({ jsonrpc: "2.0", id: "last", method: "ping" }));
  await s.answerTo("last");
  let answered = 0;
  for (const id of ids) if (await s.answerTo(id, 10_000).then(() => true, () => false)) answered++;
  const oversizedAnswered = (await s.answerTo("oversized", 10_000).catch(() => undefined))?.error?.code === -32600;
  const internalErrors = s.answers.filter((a) => a.error?.code === -32603).length;
  return { frames: frames.length + 1, requests: ids.length, answered, internalErrors, oversizedAnswered, exitCode: await s.close() };
}

interface Ssrf {
  links: number;
  refused: number;
  reachedInside: number;
}

async function ssrf(): Promise<Ssrf> {
  const hits: string[] = [];
  const inside = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.end("openapi: 3.0.0\ninfo: {title: INTERNAL, version: '1'}\npaths: {}\n");
  });
  await new Promise<void>((r) => inside.listen(0, "127.0.0.1", r));
  const port = (inside.address() as AddressInfo).port;
  const hosts = ["127.0.0.1", "[::1]", "localhost", "0.0.0.0", "2130706433", "0x7f.1", "017700000001", "127.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "169.254.169.254", "[fd00::1]", "10.0.0.1", "192.168.0.1", "100.64.0.1"];
  const c = await startClient({ era: "modern", transport: "stdio" });
  let refused = 0;
  try {
    await c.callTool("register_api", { apiName: "inside", title: "Inside", versionName: "v1-0", lifecycleStage: "design" });
    for (const host of hosts) {
      const r = await c.callTool("import_spec", { apiName: "inside", versionName: "v1-0", definitionName: "openapi", specUrl: `http://${host}:${port}/openapi.yaml` });
      if (r.isError && /refused to fetch/.test(r.content[0]?.text ?? "")) refused++;
    }
  } finally {
    await c.close();
    inside.close();
  }
  return { links: hosts.length, refused, reachedInside: hits.length };
}

export interface Hostile {
  tools: ToolFuzz[];
  frames: FrameFuzz;
  links: Ssrf;
}

export async function measureHostile(): Promise<Hostile> {
  return { tools: [await toolFuzz("stdio"), await toolFuzz("http")], frames: await frameFuzz(), links: await ssrf() };
}

export const HOSTILE_TITLE = "## Reliability: hostile input";

export function renderHostile({ tools, frames, links }: Hostile): string[] {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  return [
    HOSTILE_TITLE,
    "",
    `Command: \`npm run bench\` (or alone: \`npm run build && node dist/bench/hostile.js\`; ${CALLS} calls per probe, seeded). The built CLI on the embedded local API Center.`,
    "Tool calls: each takes a tool's smallest valid arguments and breaks one (wrong type, past its limit, a name or service string that",
    "would leave its ARM path segment); every one must be refused, naming the argument, and no answer may be large.",
    "",
    "| transport | calls | refused, naming the argument | accepted | refused otherwise | internal errors | largest answer | still serving |",
    "|---|---|---|---|---|---|---|---|",
    ...tools.map((t) => `| ${t.transport} | ${t.calls} | ${t.refusedByName} | ${t.accepted} | ${t.refusedOtherwise} | ${t.internalErrors} | ${kb(t.largestAnswer)} | ${t.alive ? "yes" : "no"} |`),
    "",
    `Raw frames on stdio (text, JSON, JSON-RPC-shaped requests with random methods and params, tool calls with random arguments), then one line of ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB + 1 KiB:`,
    "",
    "| frames | requests with an id | answered | internal errors | oversized line answered (-32600, its id) | exit code at end of input |",
    "|---|---|---|---|---|---|",
    `| ${frames.frames} | ${frames.requests} | ${frames.answered} | ${frames.internalErrors} | ${frames.oversizedAnswered ? "yes" : "no"} | ${frames.exitCode} |`,
    "",
    "Link imports aimed inside the network (loopback, private, link-local, metadata and CGNAT addresses in every spelling) at a server on loopback:",
    "",
    "| links | refused before connecting | requests that reached the server |",
    "|---|---|---|",
    `| ${links.links} | ${links.refused} | ${links.reachedInside} |`,
    "",
  ];
}

runAlone(import.meta.url, HOSTILE_TITLE, measureHostile, renderHostile);
