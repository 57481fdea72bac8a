/**
 * The local API Center stores no oversized value: every free-text field is capped at the service's
 * limit (or, where the swagger states none, the wire contract's), and refusals never echo the value.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { STATED_LIMITS, UNSTATED_LIMITS } from "../../src/arm/models.js";
import { LOCAL_SCOPE, startEmulator } from "../helpers/backends.js";

let emu: Awaited<ReturnType<typeof startEmulator>>;
const WS = `/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}/workspaces/default`;
const HUGE = "x".repeat(5 * 1024 * 1024);

async function send(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.http.url}${path}${path.includes("?") ? "&" : "?"}api-version=2024-03-01`, {
    method,
    headers: { authorization: "Bearer t", "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text };
}

async function refused(method: string, path: string, body: unknown, field: RegExp) {
  const r = await send(method, path, body);
  assert.equal(r.status, 400, `${path}: ${r.text.slice(0, 200)}`);
  assert.match(r.text, field);
  assert.ok(r.text.length < 2000, `the refusal is short (${r.text.length} bytes)`);
}

before(async () => {
  emu = await startEmulator();
  assert.equal((await send("PUT", `${WS}/apis/big`, { properties: { title: "Big", kind: "rest" } })).status, 200);
  assert.equal((await send("PUT", `${WS}/apis/big/versions/v-1`, { properties: { title: "1", lifecycleStage: "design" } })).status, 200);
  assert.equal((await send("PUT", `${WS}/apis/big/versions/v-1/definitions/openapi`, { properties: { title: "OpenAPI" } })).status, 200);
});
after(() => emu.close());

test("a 5 MB specification name or version is refused, and every later answer stays small", async () => {
  const path = `${WS}/apis/big/versions/v-1/definitions/openapi/importSpecification`;
  await refused("POST", path, { format: "inline", value: '{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}', specification: { name: HUGE } }, /specification\.name/);
  await refused("POST", path, { format: "inline", value: '{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}', specification: { name: "openapi", version: HUGE } }, /specification\.version/);
  const got = await send("GET", `${WS}/apis/big/versions/v-1/definitions/openapi`);
  assert.ok(got.text.length < 2000, `the definition stayed small: ${got.text.length} bytes`);
});

test("every free-text field is capped at its limit", async () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [`${WS}/apis/big`, { title: "x".repeat(STATED_LIMITS.title + 1), kind: "rest" }, /properties\.title/],
    [`${WS}/apis/big`, { title: "t", kind: "rest", description: "x".repeat(STATED_LIMITS.apiDescription + 1) }, /properties\.description/],
    [`${WS}/apis/big`, { title: "t", kind: "rest", contacts: Array.from({ length: UNSTATED_LIMITS.contacts + 1 }, () => ({ name: "n" })) }, /properties\.contacts/],
    [`${WS}/apis/big`, { title: "t", kind: "rest", customProperties: { note: HUGE } }, /properties\.customProperties/],
    [`${WS}/apis/big/versions/v-1/definitions/openapi`, { title: "t", description: HUGE }, /properties\.description/],
    [`${WS}/environments/prod`, { title: "t", kind: "production", description: HUGE }, /properties\.description/],
    [`${WS}/environments/prod`, { title: "t", kind: "production", onboarding: { instructions: "x".repeat(UNSTATED_LIMITS.instructions + 1) } }, /properties\.onboarding\.instructions/],
    [`${WS}/environments/prod`, { title: "t", kind: "production", server: { managementPortalUri: [HUGE] } }, /properties\.server\.managementPortalUri/],
    [`${WS}/apis/big/deployments/dep-1`, { title: "t", environmentId: HUGE }, /properties\.environmentId/],
    [`${WS}/apis/big/deployments/dep-1`, { title: "t", server: { runtimeUri: Array.from({ length: UNSTATED_LIMITS.runtimeUris + 1 }, (_, i) => `https://h${i}.example`) } }, /properties\.server\.runtimeUri/],
    [`${WS}`, { title: "t", description: HUGE }, /properties\.description/],
  ];
  for (const [path, properties, field] of cases) await refused("PUT", path, { properties }, field);
  const schemaPath = `/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}/metadataSchemas/big`;
  await refused("PUT", schemaPath, { properties: { schema: JSON.stringify({ type: "string", description: HUGE }) } }, /properties\.schema/);
});

test("values the emulator echoes in its refusals are cut", async () => {
  const r = await send("GET", `${WS}/apis?$filter=${encodeURIComponent(`name eq 'x' ${"y".repeat(10_000)}`)}`);
  assert.equal(r.status, 400);
  assert.ok(r.text.length < 1000, `${r.text.length} bytes`);
  assert.match(r.text, /characters\)/);
});
