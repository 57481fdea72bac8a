/**
 * Raw frames on the built CLI's stdin: what is not JSON, not JSON-RPC, has bad params or is larger
 * than the server takes is answered as JSON-RPC 2.0 says (-32700, -32600 with the id when it can be
 * read, -32602), logged in one line, and the server keeps serving. A seeded fuzz of raw frames
 * proves no request with an id goes unanswered.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { MAX_MESSAGE_BYTES } from "../../src/mcp/transports.js";
import { RawStdio, rawFrames } from "../helpers/raw-stdio.js";

test("bad frames are answered as JSON-RPC 2.0 says, logged in one line each, and the server keeps serving", async () => {
  const s = new RawStdio();
  try {
    await s.initialize();
    await s.send("this is not json");
    await s.send('{"jsonrpc":"2.0","id":1,"method":');
    await s.send(JSON.stringify({ jsonrpc: "2.0", id: 5, method: 1 }));
    await s.send(JSON.stringify({ jsonrpc: "2.0", id: "s-6", method: "tools/call", params: "not an object" }));
    await s.send(JSON.stringify({ id: 7, method: "ping" }));
    await s.send(JSON.stringify([{ jsonrpc: "2.0", id: 8, method: "ping" }]));
    await s.send(JSON.stringify({ jsonrpc: "2.0", id: 9, method: "resources/read", params: { uri: 5 } }));
    await s.send(JSON.stringify({ jsonrpc: "2.0", id: 10, method: "tools/list", params: { cursor: 5 } }));
    await s.send(JSON.stringify({ jsonrpc: "2.0", id: 11, method: "tools/call", params: {} }));
    await s.send("");
    await s.send(JSON.stringify({ jsonrpc: "2.0", id: "after", method: "ping" }));

    assert.deepEqual((await s.answerTo(5)).error?.code, -32600);
    assert.deepEqual((await s.answerTo("s-6")).error?.code, -32600);
    assert.deepEqual((await s.answerTo(7)).error?.code, -32600, "jsonrpc \"2.0\" is required");
    assert.match((await s.answerTo(8)).error!.message, /batches are not supported/);
    for (const id of [9, 10, 11]) {
      const a = await s.answerTo(id);
      assert.equal(a.error?.code, -32602, JSON.stringify(a));
      assert.ok(a.error!.message.length < 600);
    }
    assert.match((await s.answerTo(9)).error!.message, /params\.uri/);
    assert.deepEqual((await s.answerTo("after")).result, {});
    const parseErrors = s.answers.filter((a) => a.error?.code === -32700);
    assert.equal(parseErrors.length, 2, "both lines that are not JSON are answered");
    assert.ok(parseErrors.every((a) => a.id === null && a.jsonrpc === "2.0"));
    assert.ok(s.answers.every((a) => a.jsonrpc === "2.0"));

    const log = s.proc.stderr();
    assert.equal(log.match(/stdio: /g)?.length, 6, `one line per refused frame:\n${log}`);
    assert.doesNotMatch(log, /\n\s+at /, "no stack traces");
    assert.doesNotMatch(log, /this is not json/, "the frame's content is not logged");
  } finally {
    assert.equal(await s.close(), 0);
  }
});

test(`a line over ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB is discarded and answered with its id; the next one is served`, async () => {
  const s = new RawStdio();
  try {
    await s.initialize();
    const head = Buffer.from('{"jsonrpc":"2.0","id":"huge","method":"tools/call","params":{"name":"import_spec","arguments":{"content":"');
    const tail = Buffer.from('"}}}');
    const filler = Buffer.alloc(MAX_MESSAGE_BYTES + 1024 - head.length - tail.length, 0x61);
    await s.send(Buffer.concat([head, filler, tail]));
    const trailing = Buffer.concat([Buffer.from('{"method":"ping","params":{"pad":"'), Buffer.alloc(MAX_MESSAGE_BYTES, 0x62), Buffer.from('"},"jsonrpc":"2.0","id":42}')]);
    await s.send(trailing);
    await s.send(JSON.stringify({ jsonrpc: "2.0", id: "next", method: "ping" }));
    const refused = await s.answerTo("huge");
    assert.equal(refused.error?.code, -32600);
    assert.match(refused.error!.message, /more than the \d+ this server takes/);
    assert.equal((await s.answerTo(42)).error?.code, -32600, "the id at the end of the line is found too");
    assert.deepEqual((await s.answerTo("next")).result, {});
    assert.equal(s.proc.child.exitCode, null, "still running");
  } finally {
    assert.equal(await s.close(), 0);
  }
});

test("seeded fuzz of raw frames: every request with an id is answered once, every answer is JSON-RPC 2.0, the server survives", async () => {
  const s = new RawStdio();
  const frame = rawFrames();
  try {
    await s.initialize();
    const sent: unknown[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 20 }), async (frames) => {
        for (const f of frames) {
          await s.send(f.line);
          if (f.id !== undefined) sent.push(f.id);
        }
      }),
      { seed: 20261123, numRuns: 40 },
    );
    await s.send(JSON.stringify({ jsonrpc: "2.0", id: "last", method: "ping" }));
    await s.answerTo("last");
    for (const id of sent) await s.answerTo(id, 30_000);
    const answered = s.answers.filter((a) => a.id !== undefined && a.id !== null && ("result" in a || "error" in a)).map((a) => a.id);
    assert.equal(answered.length, new Set(answered).size, "no id is answered twice");
    assert.ok(s.answers.every((a) => a.jsonrpc === "2.0"));
    const codes = s.answers.filter((a) => a.error).map((a) => a.error!.code);
    assert.ok(codes.every((c) => [-32700, -32600, -32601, -32602].includes(c)), JSON.stringify(codes));
    assert.doesNotMatch(s.proc.stderr(), /unexpected:|\n\s+at /, "nothing the server took for a bug of its own");
  } finally {
    assert.equal(await s.close(), 0);
  }
});
