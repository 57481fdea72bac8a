/**
 * API sources (2024-06-01-preview) in the local API Center, over HTTP: a standing link to the local
 * API Management that syncs after every PUT and on a schedule, follows changes on the API Management
 * side, says in its link state when it cannot, and takes what it brought in away with it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startEmulator } from "../helpers/backends.js";

const SUB = "00000000-0000-0000-0000-000000000000";
const RG = `/subscriptions/${SUB}/resourceGroups/sources-tests`;
const APIC = `${RG}/providers/Microsoft.ApiCenter/services/inventory`;
const APIM = `${RG}/providers/Microsoft.ApiManagement/service/gateway-two`;
const SOURCE = `${APIC}/workspaces/default/apiSources/gateway-two-link`;
const READER = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/71522526-b88f-4d52-b57f-d31fc3546d0d`;
const ROLE = `${APIM}/providers/Microsoft.Authorization/roleAssignments/7a1d3c1e-0000-4000-8000-000000000002`;
const spec = (paths: string[]) => JSON.stringify({ openapi: "3.0.1", info: { title: "t", version: "1" }, paths: Object.fromEntries(paths.map((p) => [p, { get: { responses: { "200": { description: "ok" } } } }])) });

type Emu = Awaited<ReturnType<typeof startEmulator>>;

function client(emu: () => Emu) {
  const call = async (method: string, path: string, body?: unknown, version = "2024-06-01-preview") => {
    const res = await fetch(`${emu().http.url}${path}?api-version=${version}`, {
      method,
      // API Management wants If-Match on deletes and patches; * is unconditional there.
      headers: { authorization: "Bearer t", "content-type": "application/json", ...(version === "2022-08-01" ? { "if-match": "*" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const apim = (method: string, path: string, body?: unknown) => call(method, `${APIM}${path}`, body, "2022-08-01");
  const apis = async () => ((await call("GET", `${APIC}/workspaces/default/apis`, undefined, "2024-03-01")).json.value as Array<{ name: string; properties: Record<string, any> }>).sort((a, b) => a.properties.title.localeCompare(b.properties.title));
  const specOf = async (api: string) => JSON.parse((await call("POST", `${APIC}/workspaces/default/apis/${api}/versions/original/definitions/openapi/exportSpecification`, undefined, "2024-03-01")).json.value);
  const setUp = async () => {
    const svc = await call("PUT", APIC, { location: "eastus", identity: { type: "SystemAssigned" } }, "2024-03-01");
    await apim("PUT", "", { location: "eastus", sku: { name: "Developer", capacity: 1 }, properties: { publisherEmail: "a@example.com", publisherName: "A" } });
    await apim("PUT", "/apis/billing", { properties: { path: "billing", displayName: "Billing", format: "openapi+json", value: spec(["/invoices"]) } });
    await apim("PUT", "/apis/shipping", { properties: { path: "shipping", displayName: "Shipping", format: "openapi+json", value: spec(["/parcels"]) } });
    await call("PUT", ROLE, { properties: { roleDefinitionId: READER, principalId: svc.json.identity.principalId, principalType: "ServicePrincipal" } }, "2022-04-01");
  };
  return { call, apim, apis, specOf, setUp };
}

describe("API sources in the local API Center", () => {
  let emu: Emu;
  const c = client(() => emu);
  before(async () => {
    emu = await startEmulator({ seed: false, apimActivationMs: 0, apiSourceFirstSyncMs: 0, apiSourceSyncIntervalMs: 0 });
    await c.setUp();
  });
  after(async () => {
    await emu?.close();
  });

  test("exist only at 2024-06-01-preview, and say what is wrong with a bad one", async () => {
    const old = await c.call("PUT", SOURCE, { properties: { azureApiManagementSource: { resourceId: APIM } } }, "2024-03-01");
    assert.equal(old.status, 404);
    assert.match(old.json.error.message, /use api-version 2024-06-01-preview/);
    assert.match((await c.call("PUT", SOURCE, { properties: {} })).json.error.message, /azureApiManagementSource\.resourceId is required/);
    assert.match((await c.call("PUT", SOURCE, { properties: { amazonApiGatewaySource: { regionName: "us-west-2" } } })).json.error.message, /Azure API Management only/);
    assert.match((await c.call("PUT", SOURCE, { properties: { azureApiManagementSource: { resourceId: `${APIM}/apis/x` } } })).json.error.message, /not an API Management service id/);
    assert.match((await c.call("PUT", SOURCE, { properties: { azureApiManagementSource: { resourceId: APIM }, targetEnvironmentId: "/workspaces/default/apis/x" } })).json.error.message, /not an environment id/);
  });

  test("a PUT answers initializing with live Azure's defaults, then the first sync brings the APIs in", async () => {
    const put = await c.call("PUT", SOURCE, { properties: { apimSource: { resourceId: APIM }, importSpecification: "always" } });
    assert.equal(put.status, 200);
    const p = put.json.properties;
    assert.equal(p.linkState.state, "initializing");
    assert.equal(p.targetEnvironmentId, "/workspaces/default/environments/azure-api-management");
    assert.equal(p.targetLifecycleStage, "design");
    assert.deepEqual(p.azureApiManagementSource, { resourceId: APIM });
    assert.deepEqual(p.apimSource, p.azureApiManagementSource);
    await emu.api.idle();
    const after = (await c.call("GET", SOURCE)).json.properties.linkState;
    assert.equal(after.state, "syncing");
    const apis = await c.apis();
    assert.deepEqual(apis.map((a) => a.properties.title), ["Billing", "Shipping"]);
    const env = await c.call("GET", `${APIC}/workspaces/default/environments/azure-api-management`, undefined, "2024-03-01");
    assert.equal(env.json.properties.server.type, "Azure API Management");
    const deps = await c.call("GET", `${APIC}/workspaces/default/apis/${apis[0]!.name}/deployments`, undefined, "2024-03-01");
    assert.deepEqual(deps.json.value[0].properties.server.runtimeUri, ["https://gateway-two.azure-api.net/billing"]);
    assert.equal((await c.call("GET", `${APIC}/workspaces/default/apiSources`)).json.value.length, 1);
  });

  test("an API it keeps in sync cannot be deleted on its own", async () => {
    const [billing] = await c.apis();
    const del = await c.call("DELETE", `${APIC}/workspaces/default/apis/${billing!.name}`, undefined, "2024-03-01");
    assert.equal(del.status, 409);
    assert.match(del.json.error.message, /kept in sync by API source 'gateway-two-link'/);
  });

  test("a sync follows the API Management side: new operations, removed APIs", async () => {
    const [billing] = await c.apis();
    await c.apim("PUT", "/apis/billing/operations/refund", { properties: { displayName: "Refund", method: "POST", urlTemplate: "/refunds" } });
    await c.apim("DELETE", "/apis/shipping");
    await emu.api.syncApiSources();
    const apis = await c.apis();
    assert.deepEqual(apis.map((a) => a.properties.title), ["Billing"]);
    assert.ok((await c.specOf(billing!.name)).paths["/refunds"], "the spec was re-imported (importSpecification: always)");
  });

  test("a sync that cannot read API Management says why in the link state", async () => {
    await c.call("DELETE", ROLE, undefined, "2022-04-01");
    await emu.api.syncApiSources();
    const link = (await c.call("GET", SOURCE)).json.properties.linkState;
    assert.equal(link.state, "error");
    assert.match(link.message, /API Management Service Reader Role/);
    assert.equal((await c.apis()).length, 1, "what was synced stays");
  });

  test("deleting the source takes its APIs and its environment with it", async () => {
    await c.call("PUT", `${APIC}/workspaces/default/apis/own-api`, { properties: { title: "Own", kind: "rest" } }, "2024-03-01");
    assert.equal((await c.call("DELETE", SOURCE)).status, 200);
    assert.deepEqual((await c.apis()).map((a) => a.name), ["own-api"]);
    assert.equal((await c.call("GET", `${APIC}/workspaces/default/environments/azure-api-management`, undefined, "2024-03-01")).status, 404);
    assert.equal((await c.call("DELETE", SOURCE)).status, 204);
  });
});

describe("API sources on a schedule", () => {
  let emu: Emu;
  const c = client(() => emu);
  after(async () => {
    await emu?.close();
  });

  test("scheduled syncs keep metadata current; with importSpecification ondemand they leave specs as a requested sync left them", async () => {
    emu = await startEmulator({ seed: false, apimActivationMs: 0, apiSourceFirstSyncMs: 0, apiSourceSyncIntervalMs: 100 });
    await c.setUp();
    await c.call("PUT", SOURCE, { properties: { azureApiManagementSource: { resourceId: APIM }, importSpecification: "ondemand", targetEnvironmentId: "/workspaces/default/environments/gateway-two" } });
    await emu.api.idle();
    const billing = (await c.apis()).find((a) => a.properties.title === "Billing")!;
    assert.deepEqual(Object.keys((await c.specOf(billing.name)).paths), ["/invoices"], "the requested first sync brought the spec");
    await c.apim("PATCH", "/apis/billing", { properties: { displayName: "Billing v2" } });
    await c.apim("PUT", "/apis/billing/operations/refund", { properties: { displayName: "Refund", method: "POST", urlTemplate: "/refunds" } });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(await c.apis()).some((a) => a.properties.title === "Billing v2")) await new Promise((r) => setTimeout(r, 50));
    await emu.api.idle();
    assert.ok((await c.apis()).some((a) => a.properties.title === "Billing v2"), "the schedule picked up the new title");
    assert.deepEqual(Object.keys((await c.specOf(billing.name)).paths), ["/invoices"], "a scheduled sync leaves an on-demand spec alone");
    await emu.api.syncApiSources();
    assert.ok((await c.specOf(billing.name)).paths["/refunds"], "a requested sync brings it");
  });
});
