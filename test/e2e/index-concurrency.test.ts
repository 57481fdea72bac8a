/**
 * The inventory index across clients and processes, through the built CLI: 32 clients of one server
 * in Azure mode (against a standalone local API Center) each find their own write in their next
 * search; two servers on one local database see each other's writes; a restarted server answers from
 * the index the last one saved.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { EMULATOR_READY, MCP_HTTP_READY, spawnListening, type CliProcess } from "../helpers/cli-process.js";

const dir = mkdtempSync(join(tmpdir(), "apicenter-index-e2e-"));
const running: CliProcess[] = [];
after(() => {
  for (const p of running) p.child.kill();
  rmSync(dir, { recursive: true, force: true });
});

const AZURE_ENV = { AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000000", APICENTER_RESOURCE_GROUP: "local", APICENTER_SERVICE: "local" };

async function server(args: string[], env: Record<string, string> = {}) {
  const p = await spawnListening(["--http", "--port", "0", ...args], MCP_HTTP_READY, env);
  running.push(p);
  return p;
}

async function stop(p: CliProcess) {
  p.child.kill("SIGTERM");
  if (p.child.exitCode === null) await once(p.child, "exit");
}

async function connect(url: string) {
  const client = new Client({ name: "index-e2e", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = (await (client.callTool as any)({ name, arguments: args }, { timeout: 120_000 })) as { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: any };
    assert.ok(!r.isError, `${name}: ${r.content[0]?.text}`);
    return { ...r.structuredContent, text: r.content.map((c) => c.text ?? "").join("\n") };
  };
  return { call, close: () => client.close() };
}

test("32 clients of one server in Azure mode: each write is in the writer's next search", async () => {
  const emulator = await spawnListening(["emulator", "--port", "0", "--db", join(dir, "remote.db")], EMULATOR_READY);
  running.push(emulator);
  const mcp = await server(["--db", join(dir, "azure-mode.db")], { ...AZURE_ENV, APICENTER_ARM_ENDPOINT: emulator.url });
  const clients = await Promise.all(Array.from({ length: 32 }, () => connect(mcp.url)));
  try {
    await clients[0]!.call("search_apis", { query: "anything" });
    const misses: string[] = [];
    await Promise.all(
      clients.map(async (c, i) => {
        for (let round = 0; round < 3; round++) {
          const word = `kiwi${i}x${round}`;
          await c.call("register_api", { apiName: `client-${i}-${round}`, title: `Client ${i} round ${round}`, summary: `the ${word} api` });
          const found = await c.call("search_apis", { query: word });
          if (found.total !== 1) misses.push(`client ${i} round ${round}`);
        }
      }),
    );
    assert.deepEqual(misses, []);
    const listed = await clients[1]!.call("list_apis", { limit: 200 });
    assert.equal(listed.total, 96, "list_apis answers from the same index");
    assert.equal(typeof listed.indexAgeSeconds, "number", "and says how old it is");
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await stop(mcp);
    await stop(emulator);
  }
});

test("two servers on one local database see each other's writes; a restarted one answers from the saved index", async () => {
  const db = join(dir, "shared.db");
  const a = await server(["--db", db]);
  const b = await server(["--db", db]);
  const ca = await connect(a.url);
  const cb = await connect(b.url);
  try {
    await ca.call("register_api", { apiName: "from-a", title: "From A", summary: "a narwhal" });
    assert.equal((await cb.call("search_apis", { query: "narwhal" })).total, 1);
    assert.equal((await ca.call("search_apis", { query: "platypus" })).total, 0);
    await cb.call("register_api", { apiName: "from-b", title: "From B", summary: "a platypus" });
    const seen = await ca.call("search_apis", { query: "platypus" });
    assert.deepEqual(seen.results.map((r: { name: string }) => r.name), ["from-b"], "A sees B's write in its next answer");
  } finally {
    await ca.close();
    await cb.close();
    await stop(a);
    await stop(b);
  }
  const restarted = await server(["--db", db]);
  const c = await connect(restarted.url);
  try {
    const first = await c.call("search_apis", { query: "platypus narwhal" });
    assert.equal(first.total, 2);
    assert.match(first.text, /The index is saved by an earlier session/, "answered from the index the last servers saved, and says so");
  } finally {
    await c.close();
    await stop(restarted);
  }
});
