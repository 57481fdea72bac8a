/**
 * A seeded, bounded fuzz of every tool over both transports against the built CLI: each call takes a
 * tool's smallest valid arguments and breaks one of them (a value of the wrong type, one past its
 * limit or megabytes long, a name that would step out of its ARM path segment). The server must never
 * crash or answer with a bug, no answer may exceed the size bound, and every refusal names the
 * argument it refuses.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { buildCase, namesField } from "../helpers/hostile.js";
import { startClient, type TestClient, type Transport } from "./clients.js";

const SEED = 20261122;
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
/** No answer to a fuzzed call may be larger (the inventory is empty or nearly so). */
const ANSWER_BOUND = 64 * 1024;

async function fuzz(transport: Transport): Promise<void> {
  const c: TestClient = await startClient({ era: transport === "stdio" ? "legacy" : "modern", transport });
  let calls = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.nat(), fc.nat({ max: 200_000 }), async (t, f, h, size) => {
        const k = buildCase(t, f, h, size);
        const r = await c.callTool(k.tool.name, k.args);
        calls++;
        const answer = JSON.stringify(r);
        const label = `${k.tool.name} ${k.field} (${k.how})`;
        assert.ok(answer.length <= ANSWER_BOUND, `${label}: answer of ${answer.length} bytes`);
        const text = r.content.map((x) => x.text ?? "").join("\n");
        assert.doesNotMatch(text, /Internal error/, `${label}: ${text.slice(0, 300)}`);
        // Every breakage the case makes is one the server must refuse, naming what it refuses.
        assert.equal(r.isError, true, `${label} was accepted: ${text.slice(0, 300)}`);
        assert.ok(namesField(text, k.field), `${label}: the refusal does not name the field: ${text.slice(0, 300)}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
    );
    const alive = await c.callTool("list_apis", {});
    assert.ok(!alive.isError, "the server still serves");
  } finally {
    await c.close();
  }
  assert.equal(calls, RUNS);
}

test("fuzzed arguments to every tool over stdio: refused by name, bounded, never a crash", () => fuzz("stdio"));
test("fuzzed arguments to every tool over Streamable HTTP: refused by name, bounded, never a crash", () => fuzz("http"));
