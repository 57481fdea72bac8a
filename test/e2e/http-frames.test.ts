/**
 * Raw bodies POSTed to the built CLI's /mcp: params a method refuses are -32602 (not -32603), a
 * seeded fuzz of bodies gets a JSON-RPC answer to every POST and no 5xx, and the server keeps
 * serving with one warning line per refused request, no stack.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { spawnServer } from "./clients.js";

let server: Awaited<ReturnType<typeof spawnServer>>;
before(async () => {
  server = await spawnServer(["--http", "--port", "0"]);
});
after(() => void server.child.kill());

const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" };

/** Status and the JSON-RPC messages of the answer, whether plain JSON or server-sent events. */
async function post(body: string): Promise<{ status: number; messages: Array<{ id?: unknown; error?: { code: number; message: string }; result?: unknown }> }> {
  const res = await fetch(server.url!, { method: "POST", headers: HEADERS, body });
  const text = await res.text();
  const json = res.headers.get("content-type")?.includes("text/event-stream")
    ? text.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6))
    : text.trim() ? [text] : [];
  return { status: res.status, messages: json.map((j) => JSON.parse(j)) };
}

test("params a method refuses are answered -32602 with the issue on one line", async () => {
  for (const [id, method, params, field] of [
    [1, "resources/read", { uri: 5 }, /params\.uri/],
    [2, "tools/list", { cursor: 5 }, /params\.cursor/],
    [3, "prompts/get", { name: 7 }, /params\.name|name/],
  ] as const) {
    const r = await post(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    const answer = r.messages.find((m) => m.id === id);
    assert.equal(answer?.error?.code, -32602, JSON.stringify(r));
    assert.match(answer!.error!.message, field);
    assert.doesNotMatch(answer!.error!.message, /\n/);
  }
});

test("seeded fuzz of bodies: every POST is answered without a 5xx, and the server keeps serving", async () => {
  let next = 0;
  const body = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
    fc
      .record({
        jsonrpc: fc.oneof({ arbitrary: fc.constant("2.0"), weight: 5 }, fc.constantFrom("1.0", 2)),
        method: fc.oneof({ arbitrary: fc.constantFrom("ping", "tools/list", "tools/call", "resources/read", "prompts/get", "completion/complete", "no/such"), weight: 5 }, fc.integer()),
        params: fc.oneof(fc.dictionary(fc.constantFrom("name", "uri", "cursor", "arguments", "ref"), fc.jsonValue({ maxDepth: 2 })), fc.jsonValue({ maxDepth: 2 })),
      })
      .map((r) => JSON.stringify({ ...r, id: next++ })),
  );
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const r = await post(b);
      assert.ok(r.status < 500, `${r.status} for ${b.slice(0, 200)}`);
      assert.ok([200, 202, 400, 404, 406, 415].includes(r.status), `status ${r.status}`);
      for (const m of r.messages) assert.ok(!m.error || m.error.code !== -32603, `internal error for ${b.slice(0, 200)}: ${m.error?.message}`);
    }),
    { seed: 20261124, numRuns: 80, includeErrorInReport: true },
  );
  const ping = await post(JSON.stringify({ jsonrpc: "2.0", id: "alive", method: "ping" }));
  assert.deepEqual(ping.messages.find((m) => m.id === "alive")?.result, {});
  assert.doesNotMatch(server.stderr(), /unexpected:|\n\s+at /, "no request was taken for a bug, no stack was printed");
});
