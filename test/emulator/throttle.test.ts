/** ARM's token-bucket throttling in the local API Center, on an injected clock. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import { operationType } from "../../src/arm/throttling.js";
import type { ThrottleOptions } from "../../src/emulator/throttle.js";
import type { EmulatorResponse } from "../../src/emulator/wire.js";
import { LOCAL_SCOPE } from "../helpers/backends.js";

const SVC = `/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}`;
const API = `${SVC}/workspaces/default/apis`;

function throttled(options: Omit<ThrottleOptions, "now"> = {}) {
  const clock = { ms: 1_000_000 };
  const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE, throttle: { ...options, now: () => clock.ms } });
  const send = (method: string, path: string, opts: { token?: string; body?: unknown } = {}) =>
    api.handle({
      method,
      url: `https://local${path}?api-version=2024-03-01`,
      headers: { authorization: `Bearer ${opts.token ?? "caller"}` },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
  return { api, clock, send };
}

const remaining = (r: EmulatorResponse, header: string) => Number(r.headers[`x-ms-ratelimit-remaining-${header}`]);

describe("ARM throttling in the local API Center", () => {
  test("GET and HEAD are reads, DELETE a delete, every other verb (POST actions too) a write", () => {
    assert.deepEqual(["GET", "head", "DELETE", "PUT", "PATCH", "POST"].map(operationType), ["reads", "reads", "deletes", "writes", "writes", "writes"]);
  });

  test("reads: a burst of 250, then 429 with Retry-After and ARM's error until tokens refill at 25 per second", async () => {
    const { api, clock, send } = throttled();
    const first = await send("GET", SVC);
    assert.equal(first.status, 200);
    assert.equal(remaining(first, "subscription-reads"), 249);
    assert.equal(remaining(first, "subscription-global-reads"), 3749);
    for (let i = 1; i < 250; i++) assert.equal((await send("GET", SVC)).status, 200, `read ${i + 1}`);
    const refused = await send("GET", SVC);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers["retry-after"], "1");
    assert.equal(remaining(refused, "subscription-reads"), 0);
    const error = (JSON.parse(refused.body!) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, "SubscriptionRequestsThrottled");
    assert.match(error.message, new RegExp(`Number of 'read' requests for subscription '${LOCAL_SCOPE.subscriptionId}' actor '[0-9a-f]{12}' exceeded\\. Please try again after '1' seconds`));
    assert.doesNotMatch(refused.body!, /caller/, "the bearer token is never echoed");
    clock.ms += 1000;
    for (let i = 0; i < 25; i++) assert.equal((await send("GET", SVC)).status, 200, `refilled read ${i + 1}`);
    assert.equal((await send("GET", SVC)).status, 429);
    clock.ms += 40;
    assert.equal((await send("HEAD", `${API}/none`)).status, 404, "one token back after 1/25 s: the request reaches the provider");
    await api.close();
  });

  test("writes and deletes have their own buckets, and a refused write changes nothing", async () => {
    const { api, clock, send } = throttled({ writes: { size: 2, refillPerSecond: 0.5 }, deletes: { size: 1, refillPerSecond: 10 } });
    const put = await send("PUT", `${API}/alpha`, { body: { properties: { title: "A", kind: "rest" } } });
    assert.equal(remaining(put, "subscription-writes"), 1);
    assert.equal(remaining(put, "subscription-global-writes"), 29);
    assert.equal(put.headers["x-ms-ratelimit-remaining-subscription-reads"], undefined);
    const exported = await send("POST", `${SVC}/exportMetadataSchema`, { body: { assignedTo: "api" } });
    assert.equal(exported.status, 200);
    assert.equal(remaining(exported, "subscription-writes"), 0, "a POST action is a write, as live Azure counts it");
    const refused = await send("PUT", `${API}/bravo`, { body: { properties: { title: "B", kind: "rest" } } });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers["retry-after"], "2", "one token at 0.5 per second is 2 s away");
    assert.match(refused.body!, /Number of 'write' requests/);
    assert.equal((await send("GET", `${API}/bravo`)).status, 404, "the refused PUT never reached the provider");
    const del = await send("DELETE", `${API}/alpha`);
    assert.equal(del.status, 204, "deletes draw on their own bucket");
    assert.equal(remaining(del, "subscription-deletes"), 0);
    assert.equal((await send("DELETE", `${API}/alpha`)).status, 429);
    clock.ms += 2000;
    const later = await send("PUT", `${API}/bravo`, { body: { properties: { title: "B", kind: "rest" } } });
    assert.equal(later.status, 200, later.body);
    await api.close();
  });

  test("buckets are per subscription and per principal, under a global bucket shared by all principals", async () => {
    const { api, send } = throttled({ reads: { size: 2, refillPerSecond: 1 }, globalFactor: 2 });
    const other = "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.ApiCenter/services";
    for (let i = 0; i < 2; i++) assert.equal((await send("GET", SVC, { token: "alice" })).status, 200);
    assert.equal((await send("GET", SVC, { token: "alice" })).status, 429);
    assert.equal((await send("GET", other, { token: "alice" })).status, 200, "another subscription has its own buckets");
    const bob = await send("GET", SVC, { token: "bob" });
    assert.equal(bob.status, 200, "another principal has its own bucket");
    assert.equal(remaining(bob, "subscription-reads"), 1);
    assert.equal(remaining(bob, "subscription-global-reads"), 1);
    assert.equal((await send("GET", SVC, { token: "bob" })).status, 200);
    const carol = await send("GET", SVC, { token: "carol" });
    assert.equal(carol.status, 429, "the global bucket (2 x 2) is spent even though carol's own is full");
    assert.equal(remaining(carol, "subscription-reads"), 2);
    await api.close();
  });

  test("tenant-level requests draw on tenant buckets", async () => {
    const { api, send } = throttled({ reads: { size: 1, refillPerSecond: 1 } });
    const ops = await send("GET", "/providers/Microsoft.ApiCenter/operations");
    assert.equal(ops.status, 200);
    assert.equal(remaining(ops, "tenant-reads"), 0);
    const refused = await send("GET", "/providers/Microsoft.ApiCenter/operations");
    assert.equal(refused.status, 429);
    assert.match(refused.body!, /TenantRequestsThrottled.*'read' requests for tenant/);
    assert.equal((await send("GET", SVC)).status, 200, "the subscription's bucket is untouched");
    await api.close();
  });

  test("off unless asked for: no headers, no refusals", async () => {
    const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE });
    for (let i = 0; i < 300; i++) {
      const r = await api.handle({ method: "GET", url: `https://local${SVC}?api-version=2024-03-01`, headers: { authorization: "Bearer x" } });
      assert.equal(r.status, 200);
      assert.equal(r.headers["x-ms-ratelimit-remaining-subscription-reads"], undefined);
    }
    await api.close();
  });

  test("limits that cannot refill are refused at start", () => {
    assert.throws(() => new LocalApiCenter({ db: ":memory:", throttle: { reads: { size: 10, refillPerSecond: 0 } } }), /refill rate above 0/);
  });
});
