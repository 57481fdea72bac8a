/**
 * Writes under faults, end to end below MCP: the ARM client, through the fault-injecting proxy, to a
 * standalone local API Center (`apicenter-mcp emulator`). Each test scripts its faults: an answer
 * cut off mid-body is retried; when it keeps being cut, the plan is undone and the error says so;
 * an undo that fails is reported by name; a restore is conditional (If-Match) and leaves another
 * writer's change alone.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ApiCenterArmClient } from "../../src/azure/arm-client.js";
import { credentialFor } from "../../src/azure/credentials.js";
import { ArmGateway } from "../../src/azure/gateway.js";
import { LOCAL_SERVICE } from "../../src/config/config.js";
import { Curation } from "../../src/domain/curation.js";
import { DomainError } from "../../src/domain/errors.js";
import { EMULATOR_READY, spawnListening, type CliProcess } from "../helpers/cli-process.js";
import { startFaultProxy, type FaultProxy, type FaultScript } from "../helpers/fault-proxy.js";

const SPEC = JSON.stringify({ openapi: "3.0.3", info: { title: "Faulty", version: "1.0.0" }, paths: { "/x": { get: { responses: { 200: { description: "ok" } } } } } });
const ws = { workspace: "default" };

let dir: string;
let emulator: CliProcess & { url: string };
let proxy: FaultProxy;
let gateway: ArmGateway;
let curation: Curation;
/** Straight to the local API Center, no faults: to see what is really there. */
let direct: ArmGateway;

const gatewayTo = (url: string, requestTimeoutMs?: number) =>
  new ArmGateway(
    new ApiCenterArmClient({ endpoint: url, credential: credentialFor(url), maxRetries: 2, retryDelayMs: 10, pollIntervalMs: 10, ...(requestTimeoutMs ? { requestTimeoutMs } : {}) }),
    LOCAL_SERVICE,
    "test",
  );

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "apicenter-faults-"));
  emulator = await spawnListening(["emulator", "--port", "0", "--db", join(dir, "a.db")], EMULATOR_READY);
  proxy = await startFaultProxy({ target: emulator.url, retryAfterSeconds: 0, slowMs: [1500, 1500] });
  gateway = gatewayTo(proxy.url);
  direct = gatewayTo(emulator.url);
  curation = new Curation(gateway);
});

after(async () => {
  await proxy.close();
  emulator.child.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Faults for requests matching `method` and a path ending in `suffix`, the first `times` of them (all when omitted). */
function on(method: string, suffix: string, fault: ReturnType<FaultScript> & string, times = Infinity): FaultScript {
  return ({ method: m, path, n }) => (m === method && path.toLowerCase().endsWith(suffix.toLowerCase()) && n <= times ? fault : undefined);
}

async function register(apiName: string, extra: Record<string, unknown> = {}) {
  return curation.registerApi({ ...ws, apiName, title: "Faulty", version: { name: "v-1", lifecycleStage: "design" }, spec: { content: SPEC }, ...extra });
}

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DomainError, `a DomainError, not ${String(e)}`);
    return e;
  }
  assert.fail("the write should have failed");
}

describe("a write whose answer is cut off", () => {
  test("is retried (PUT is idempotent) and the plan completes", async () => {
    proxy.setScript(on("PUT", "/apis/cut-once/versions/v-1", "cutMidBody", 1));
    const r = await register("cut-once");
    assert.equal(r.applied, 4);
    assert.ok((await direct.find("definition", { ...ws, api: "cut-once", version: "v-1", definition: "openapi" }))?.properties.specification);
    assert.equal(proxy.seen.filter((s) => s.method === "PUT" && s.path.endsWith("/versions/v-1")).length, 2, "sent again after the cut");
  });

  test("an import whose answers keep being cut is undone: no half-made API, and the error says what happened", async () => {
    proxy.setScript(on("POST", "/importSpecification", "cutMidBody"));
    const e = await rejection(register("cut-import"));
    assert.match(e.message, /import the specification into API definition 'openapi'/);
    assert.match(e.message, /the answer was cut off/);
    assert.match(e.message, /the write may have been applied/);
    assert.match(e.message, /Undone cleanly, nothing was kept: deleted API 'cut-import'/);
    assert.doesNotMatch(e.message, /could not be reached/);
    assert.equal(await direct.find("api", { ...ws, api: "cut-import" }), null, "the API is gone, version and definition with it");
  });

  test("a reset before the answer to the API's PUT, every time: the API it may have created is deleted", async () => {
    proxy.setScript(on("PUT", "/apis/reset-api", "resetBefore"));
    const e = await rejection(register("reset-api"));
    assert.match(e.message, /create or update API 'reset-api'.*write may have been applied.*Undone cleanly, nothing was kept: deleted API 'reset-api'/);
    assert.equal(await direct.find("api", { ...ws, api: "reset-api" }), null);
  });

  test("an attempt that times out is sent again, and one that always does is undone and said to be unanswered", async () => {
    const impatient = new Curation(gatewayTo(proxy.url, 500));
    proxy.setScript(on("PUT", "/apis/slow-once/versions/v-1", "slow", 1));
    const r = await impatient.registerApi({ ...ws, apiName: "slow-once", title: "Slow", version: { name: "v-1", lifecycleStage: "design" }, spec: { content: SPEC } });
    assert.equal(r.applied, 4);
    proxy.setScript(on("PUT", "/apis/slow-always/versions/v-1", "slow"));
    const e = await rejection(impatient.registerApi({ ...ws, apiName: "slow-always", title: "Slow", version: { name: "v-1", lifecycleStage: "design" }, spec: { content: SPEC } }));
    assert.match(e.message, /create or update API version 'v-1' in API 'slow-always': no answer within 500 ms; the write may have been applied\. Undone cleanly, nothing was kept: deleted API 'slow-always' with the API version 'v-1' under it\.$/);
    proxy.setScript(undefined);
    assert.equal(await direct.find("api", { ...ws, api: "slow-always" }), null);
  });

  test("a PUT refused outright needs no undo: nothing was changed", async () => {
    proxy.setScript(undefined);
    const e = await rejection(curation.registerApi({ ...ws, apiName: "refused", title: "Refused", customProperties: { undeclared: 1 } }));
    assert.match(e.message, /Nothing was changed\.$/);
  });
});

describe("rollback reporting", () => {
  test("when the API's delete fails, the error names the API left behind and why", async () => {
    const script: FaultScript = async (r) => (await on("POST", "/importSpecification", "cutMidBody")(r)) ?? (await on("DELETE", "/apis/left-behind", "unavailable")(r));
    proxy.setScript(script);
    const e = await rejection(register("left-behind"));
    assert.match(e.message, /Not cleanly undone: left behind API 'left-behind' with the API version 'v-1' and API definition 'openapi' under it \(its delete failed: .*HTTP 503.*\)\. Run the call again to complete it, or delete what was left\.$/);
    assert.doesNotMatch(e.message, /nothing was kept/i);
    proxy.setScript(undefined);
    assert.ok(await direct.find("api", { ...ws, api: "left-behind" }), "the API the message names is indeed there");
    await direct.delete("api", { ...ws, api: "left-behind" });
  });

  test("an API that existed is restored with If-Match, to what it was", async () => {
    proxy.setScript(undefined);
    await curation.registerApi({ ...ws, apiName: "restored", title: "Before", summary: "as it was" });
    const sent = proxy.seen.length;
    proxy.setScript(on("POST", "/importSpecification", "cutMidBody"));
    const e = await rejection(register("restored", { title: "After", summary: "rewritten" }));
    assert.match(e.message, /Undone cleanly, nothing was kept: .*restored API 'restored'/);
    proxy.setScript(undefined);
    const now = await direct.get("api", { ...ws, api: "restored" });
    assert.equal(now.properties.title, "Before");
    assert.equal(now.properties.summary, "as it was");
    const restore = proxy.seen.slice(sent).filter((s) => s.method === "PUT" && s.path.endsWith("/apis/restored")).pop();
    assert.ok(restore?.headers["if-match"], "the restoring PUT is conditional");
    assert.equal(await direct.find("version", { ...ws, api: "restored", version: "v-1" }), null, "the version it created is gone");
  });

  test("a change another writer made meanwhile is left alone, and named", async () => {
    proxy.setScript(undefined);
    await curation.registerApi({ ...ws, apiName: "contested", title: "Before" });
    let raced = false;
    proxy.setScript(async (r) => {
      if (r.method !== "POST" || !r.path.endsWith("/importSpecification")) return undefined;
      if (!raced) {
        raced = true;
        await direct.put("api", { ...ws, api: "contested" }, { title: "Someone else", kind: "rest" });
      }
      return "cutMidBody";
    });
    const e = await rejection(register("contested", { title: "Mine" }));
    assert.match(e.message, /left behind API 'contested' \(changed by another writer since this call changed it, so not restored\)/);
    proxy.setScript(undefined);
    assert.equal((await direct.get("api", { ...ws, api: "contested" })).properties.title, "Someone else");
  });
});
