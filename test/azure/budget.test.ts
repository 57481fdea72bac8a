/**
 * Pacing on ARM's request budget: the ARM client against a local API Center that throttles like ARM,
 * on a shared virtual clock where it matters (a held request advances the clock instead of waiting).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApiCenterArmClient } from "../../src/azure/arm-client.js";
import type { BudgetOptions } from "../../src/azure/budget.js";
import { inProcessHttpClient } from "../../src/azure/in-process.js";
import { LocalTokenCredential } from "../../src/azure/pipeline.js";
import { ArmGateway } from "../../src/azure/gateway.js";
import { DomainError } from "../../src/domain/errors.js";
import { InventoryIndex } from "../../src/domain/intelligence/inventory-index.js";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import type { ThrottleOptions } from "../../src/emulator/throttle.js";
import { LOCAL_SCOPE, ref } from "../helpers/backends.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const service = ref(LOCAL_SCOPE);
const SVC_URL = `https://local-api-center.invalid/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}?api-version=2024-03-01`;

/** A throttled local API Center and a client pacing on it; `virtual` puts both on one clock that sleeping advances. */
function setup(opts: { throttle?: Omit<ThrottleOptions, "now">; budget?: BudgetOptions; virtual?: boolean } = {}) {
  const clock = { ms: 5_000_000 };
  const now = opts.virtual ? () => clock.ms : Date.now;
  const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE, throttle: { ...opts.throttle, now } });
  const client = new ApiCenterArmClient({
    endpoint: "https://local-api-center.invalid",
    credential: new LocalTokenCredential(),
    httpClient: inProcessHttpClient((r) => api.handle(r)),
    maxRetries: 0,
    budget: {
      ...opts.budget,
      ...(opts.virtual
        ? {
            now,
            sleep: async (ms: number) => {
              clock.ms += ms;
            },
          }
        : {}),
    },
  });
  /** A caller outside this client spending from the same principal's bucket. */
  const elsewhere = () => api.handle({ method: "GET", url: SVC_URL, headers: { authorization: "Bearer local-api-center" } });
  return { api, client, bulk: client.bulk(), clock, elsewhere };
}

describe("pacing on ARM's request budget", () => {
  test("a long bulk run meets no 429 and ends at the bound: the burst down to the reserve, then the refill rate", async () => {
    const { api, bulk, clock } = setup({ virtual: true, budget: { reserve: 0.2 } });
    const start = clock.ms;
    for (let i = 0; i < 600; i++) await bulk.getService(LOCAL_SCOPE);
    const elapsed = clock.ms - start;
    const bound = ((600 - 250 * 0.8) / 25) * 1000;
    assert.equal(bulk.budgetStats().throttled, 0);
    assert.equal(bulk.budgetStats().sent.reads, 600);
    assert.ok(elapsed >= bound * 0.99 && elapsed <= bound * 1.02, `${elapsed} ms for a bound of ${bound} ms`);
    await api.close();
  });

  test("bulk work leaves the reserve: interactive calls then go at once, down to an empty bucket", async () => {
    const { api, client, bulk, clock } = setup({ virtual: true, budget: { reserve: 0.2 } });
    for (let i = 0; i < 200; i++) await bulk.getService(LOCAL_SCOPE);
    const t = clock.ms;
    await bulk.getService(LOCAL_SCOPE);
    assert.ok(clock.ms > t, "the 201st bulk call waits: the bucket is at its reserve of 50");
    const before = client.budgetStats().heldMs;
    const t2 = clock.ms;
    for (let i = 0; i < 49; i++) await client.getService(LOCAL_SCOPE);
    assert.equal(clock.ms, t2, "49 interactive calls spend the reserve without waiting");
    assert.equal(client.budgetStats().heldMs, before);
    await client.getService(LOCAL_SCOPE);
    assert.ok(clock.ms - t2 <= 40, "then one token at a time");
    assert.equal(client.budgetStats().throttled, 0);
    await api.close();
  });

  test("what others spend from the same bucket shows in the next answer, and the bulk work waits for it", async () => {
    const { api, bulk, clock, elsewhere } = setup({ virtual: true, budget: { reserve: 0.2 } });
    for (let i = 0; i < 50; i++) await bulk.getService(LOCAL_SCOPE);
    for (let i = 0; i < 150; i++) assert.equal((await elsewhere()).status, 200);
    const t = clock.ms;
    await bulk.getService(LOCAL_SCOPE);
    assert.equal(clock.ms, t, "the estimate still says 200: this one goes, and its answer says 49");
    await bulk.getService(LOCAL_SCOPE);
    assert.ok(clock.ms - t >= 40, "now the bulk call waits for the reserve to refill");
    assert.equal(bulk.budgetStats().throttled, 0);
    await api.close();
  });

  test("a service with smaller buckets than ARM's: a 429 says when the next token comes, and the estimate follows", async () => {
    const { api, client, clock } = setup({ virtual: true, throttle: { reads: { size: 3, refillPerSecond: 1 } } });
    for (let i = 0; i < 3; i++) await client.getService(LOCAL_SCOPE);
    await assert.rejects(client.getService(LOCAL_SCOPE), (e: DomainError) => e.kind === "throttled");
    const t = clock.ms;
    await client.getService(LOCAL_SCOPE);
    assert.ok(clock.ms - t >= 1000, "the next call waits out the Retry-After");
    const refusals: boolean[] = [];
    for (let i = 0; i < 40; i++) {
      refusals.push(
        await client.getService(LOCAL_SCOPE).then(
          () => false,
          (e: DomainError) => e.kind === "throttled",
        ),
      );
    }
    assert.ok(client.budgetStats().throttled <= 8, `${client.budgetStats().throttled} refusals: the assumed refill rate settles`);
    assert.deepEqual(refusals.slice(-20), Array(20).fill(false), "and then none");
    await api.close();
  });

  test("concurrent bulk calls on real time meet no 429", async () => {
    const { api, bulk } = setup({ throttle: { reads: { size: 10, refillPerSecond: 100 } }, budget: { reserve: 0, limits: { reads: { size: 10, refillPerSecond: 100 } } } });
    let left = 80;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (left-- > 0) await bulk.listAll("workspace", service);
      }),
    );
    assert.equal(bulk.budgetStats().throttled, 0);
    assert.equal(bulk.budgetStats().sent.reads, 80);
    await api.close();
  });

  test("a held call ends when its caller gives up", async () => {
    const { api, bulk } = setup({ throttle: { reads: { size: 1, refillPerSecond: 0.01 } }, budget: { limits: { reads: { size: 1, refillPerSecond: 0.01 } } } });
    await bulk.getService(LOCAL_SCOPE);
    const abort = new AbortController();
    const held = bulk.listAll("workspace", service, { abortSignal: abort.signal });
    setTimeout(() => abort.abort(), 20);
    await assert.rejects(held);
    assert.equal(bulk.budgetStats().sent.reads, 1, "the held call was never sent");
    await api.close();
  });

  test("the reserve is a share between 0 and 0.9", () => {
    assert.throws(() => setup({ budget: { reserve: 1 } }), /between 0 and 0.9/);
  });
});

test("the inventory index's crawl through a throttled local API Center meets no 429, and leaves the reserve", async () => {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-budget-"));
  try {
    const db = join(dir, "a.db");
    const seeding = new LocalApiCenter({ db, seed: LOCAL_SCOPE });
    const WS = `/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}/workspaces/default`;
    const send = (method: string, path: string, body: unknown) =>
      seeding.handle({ method, url: `https://local${WS}${path}?api-version=2024-03-01`, headers: { authorization: "Bearer seed" }, body: JSON.stringify(body) });
    for (let i = 0; i < 40; i++) {
      await send("PUT", `/apis/api-${i}`, { properties: { title: `Api ${i}`, kind: "rest" } });
      await send("PUT", `/apis/api-${i}/versions/v1-0`, { properties: { title: "v1", lifecycleStage: "production" } });
      await send("PUT", `/apis/api-${i}/versions/v1-0/definitions/openapi`, { properties: { title: "OpenAPI" } });
      await send("POST", `/apis/api-${i}/versions/v1-0/definitions/openapi/importSpecification`, { format: "inline", value: JSON.stringify({ openapi: "3.0.3", info: { title: `Api ${i}`, version: "1" }, paths: { [`/p${i}`]: {} } }) });
    }
    await seeding.close();
    const limits = { reads: { size: 20, refillPerSecond: 200 }, writes: { size: 10, refillPerSecond: 100 } };
    const api = new LocalApiCenter({ db, throttle: limits });
    const client = new ApiCenterArmClient({
      endpoint: "https://local-api-center.invalid",
      credential: new LocalTokenCredential(),
      httpClient: inProcessHttpClient((r) => api.handle(r)),
      maxRetries: 0,
      budget: { reserve: 0.2, limits },
    });
    const gateway = new ArmGateway(client, { subscriptionId: LOCAL_SCOPE.subscriptionId, resourceGroup: LOCAL_SCOPE.resourceGroupName, serviceName: LOCAL_SCOPE.serviceName }, "test");
    const index = new InventoryIndex(gateway.bulk(), { concurrency: 8 });
    const snapshot = await index.get({ workspace: "default" });
    assert.equal(snapshot.apis.size, 40);
    assert.equal(snapshot.missing.size, 0);
    assert.equal(client.budgetStats().throttled, 0);
    assert.deepEqual(client.budgetStats().sent, { reads: 4 + 40 * 3, writes: 40, deletes: 0 });
    // What the crawl left: an interactive call is not held back.
    const held = client.budgetStats().heldMs;
    await client.getService(LOCAL_SCOPE);
    assert.equal(client.budgetStats().throttled, 0);
    assert.equal(client.budgetStats().heldMs, held);
    await api.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
