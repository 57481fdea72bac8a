/**
 * importFromApim against the local API Management, over HTTP: what it makes in the inventory, that a
 * second import updates rather than duplicates, and that it fails, saying why, without the managed
 * identity, the role, the service or the API it needs.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startEmulator } from "../helpers/backends.js";

const SUB = "00000000-0000-0000-0000-000000000000";
const RG = `/subscriptions/${SUB}/resourceGroups/import-tests`;
const APIC = `${RG}/providers/Microsoft.ApiCenter/services/inventory`;
const APIM = `${RG}/providers/Microsoft.ApiManagement/service/gateway-one`;
const READER = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/71522526-b88f-4d52-b57f-d31fc3546d0d`;
const doc = (title: string, paths: string[]) =>
  JSON.stringify({ openapi: "3.0.1", info: { title, version: "1" }, paths: Object.fromEntries(paths.map((p) => [p, { get: { operationId: `get${p.replace(/\W/g, "")}`, responses: { "200": { description: "ok" } } } }])) });

describe("importFromApim in the local API Center", () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  const call = async (method: string, path: string, body?: unknown, version = "2024-03-01", headers: Record<string, string> = {}) => {
    const res = await fetch(`${emu.http.url}${path}${path.includes("?") ? "&" : "?"}api-version=${version}`, {
      method,
      headers: { authorization: "Bearer t", "content-type": "application/json", ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  };
  const apim = (method: string, path: string, body?: unknown) => call(method, `${APIM}${path}`, body, "2022-08-01", { "if-match": "*" });
  /** Starts an import and polls it to its end; returns the final poll's body. */
  const importFrom = async (ids: string[]) => {
    const started = await call("POST", `${APIC}/importFromApim`, { sourceResourceIds: ids });
    assert.equal(started.status, 202, JSON.stringify(started.json));
    const location = started.headers.get("location")!;
    assert.match(location, /\/operationResults\/[0-9a-f]{32}\?api-version=2024-03-01$/);
    await emu.api.idle();
    const done = await fetch(location, { headers: { authorization: "Bearer t" } });
    assert.equal(done.status, 200);
    return (await done.json()) as { status: string; error?: { code: string; message: string } };
  };
  const apis = async () => (await call("GET", `${APIC}/workspaces/default/apis`)).json.value as Array<{ name: string; properties: Record<string, any> }>;

  before(async () => {
    emu = await startEmulator({ seed: false, apimActivationMs: 0 });
    await call("PUT", APIC, { location: "eastus" });
    await apim("PUT", "", { location: "eastus", sku: { name: "Consumption", capacity: 0 }, properties: { publisherEmail: "a@example.com", publisherName: "A" } });
    await apim("PUT", "/apis/orders", { properties: { path: "orders", format: "openapi+json", value: doc("Orders API", ["/orders", "/orders/{id}"]).replace('"/orders/{id}":{"get":{', '"/orders/{id}":{"get":{"parameters":[{"name":"id","in":"path","required":true}],') } });
    await apim("PUT", "/apis/echo", { properties: { displayName: "Echo API", description: "Echoes", path: "/echo", protocols: ["https"], subscriptionRequired: false } });
    await apim("PUT", "/apis/echo/operations/get", { properties: { displayName: "GetOperation", method: "GET", urlTemplate: "/echo" } });
  });
  after(async () => {
    await emu?.close();
  });

  test("refuses source ids that are not API Management APIs, at once", async () => {
    const bad = await call("POST", `${APIC}/importFromApim`, { sourceResourceIds: [`${APIM}`, "nonsense"] });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /\/apis\/\* for all/);
    assert.equal((await call("POST", `${APIC}/importFromApim`, { sourceResourceIds: [] })).status, 400);
  });

  test("fails without a managed identity, then without a role, naming the fix", async () => {
    const noIdentity = await importFrom([`${APIM}/apis/echo`]);
    assert.equal(noIdentity.status, "Failed");
    assert.equal(noIdentity.error?.code, "ManagedIdentityNotEnabled");
    assert.match(noIdentity.error!.message, /--identity '\{"type":"SystemAssigned"\}'/);

    const service = await call("PUT", APIC, { location: "eastus", identity: { type: "SystemAssigned" } });
    const principal = service.json.identity.principalId as string;
    const noRole = await importFrom([`${APIM}/apis/echo`]);
    assert.equal(noRole.error?.code, "AuthorizationFailed");
    assert.ok(noRole.error!.message.includes(`az role assignment create --assignee ${principal} --role "API Management Service Reader Role" --scope ${APIM}`), noRole.error!.message);
    assert.equal((await apis()).length, 0, "a failed import leaves nothing behind");

    const granted = await call("PUT", `${APIM}/providers/Microsoft.Authorization/roleAssignments/5f1d3c1e-0000-4000-8000-000000000001`, { properties: { roleDefinitionId: READER, principalId: principal, principalType: "ServicePrincipal" } }, "2022-04-01");
    assert.equal(granted.status, 201);
  });

  test("fails for a service or an API that does not exist", async () => {
    const missingService = await importFrom([`${RG}/providers/Microsoft.ApiManagement/service/nowhere/apis/*`]);
    assert.equal(missingService.error?.code, "ResourceNotFound");
    const missingApi = await importFrom([`${APIM}/apis/echo`, `${APIM}/apis/nope`]);
    assert.equal(missingApi.error?.code, "ResourceNotFound");
    assert.match(missingApi.error!.message, /API 'nope' was not found/);
    assert.equal((await apis()).length, 0, "all or nothing");
  });

  test("imports an API with a version, the exported spec, the gateway's environment and a deployment", async () => {
    assert.equal((await importFrom([`${APIM}/apis/echo`])).status, "Succeeded");
    const [echo] = await apis();
    assert.match(echo!.name, /^\d+$/, "a system-made name, as live");
    assert.equal(echo!.properties.title, "Echo API");
    assert.equal(echo!.properties.kind, "REST");
    assert.equal(echo!.properties.lifecycleStage, "design");
    assert.equal(echo!.properties.description, "Echoes");
    const base = `${APIC}/workspaces/default/apis/${echo!.name}`;
    const versions = (await call("GET", `${base}/versions`)).json.value;
    assert.deepEqual(versions.map((v: any) => [v.name, v.properties.title, v.properties.lifecycleStage]), [["original", "Original", "design"]]);
    const defs = (await call("GET", `${base}/versions/original/definitions`)).json.value;
    assert.deepEqual(defs.map((d: any) => [d.name, d.properties.specification]), [["openapi", { name: "openapi", version: "3.0.1" }]]);
    const spec = JSON.parse((await call("POST", `${base}/versions/original/definitions/openapi/exportSpecification`)).json.value);
    assert.deepEqual(Object.keys(spec.paths), ["/echo"]);
    assert.equal(spec.servers[0].url, "https://gateway-one.azure-api.net/echo");
    const env = (await call("GET", `${APIC}/workspaces/default/environments/gateway-one`)).json;
    assert.equal(env.properties.server.type, "Azure API Management");
    assert.equal(env.properties.kind, "production");
    const deployments = (await call("GET", `${base}/deployments`)).json.value;
    assert.deepEqual(
      deployments.map((d: any) => [d.name, d.properties.environmentId, d.properties.definitionId, d.properties.server.runtimeUri]),
      [["gateway-one", "/workspaces/default/environments/gateway-one", "/workspaces/default/apis/" + echo!.name + "/versions/original/definitions/openapi", ["https://gateway-one.azure-api.net/echo"]]],
    );
  });

  test("a second import updates what the first made, keeping what API Center users set", async () => {
    const [echo] = await apis();
    const base = `${APIC}/workspaces/default/apis/${echo!.name}`;
    await call("PUT", base, { properties: { ...echo!.properties, summary: "set in API Center" } });
    await call("PUT", `${base}/versions/original`, { properties: { title: "Original", lifecycleStage: "production" } });
    await apim("PUT", "/apis/echo", { properties: { displayName: "Echo API v2", path: "echo" } });
    await apim("PUT", "/apis/echo/operations/post", { properties: { displayName: "PostOperation", method: "POST", urlTemplate: "/echo" } });
    assert.equal((await importFrom([`${APIM}/apis/*`])).status, "Succeeded");
    const all = await apis();
    assert.equal(all.length, 2, "echo once, and orders");
    const again = all.find((a) => a.name === echo!.name)!;
    assert.equal(again.properties.title, "Echo API v2", "the title is the source's");
    assert.equal(again.properties.summary, "set in API Center", "the summary is API Center's");
    assert.equal(again.properties.lifecycleStage, "production", "the stage set in API Center stays");
    const spec = JSON.parse((await call("POST", `${base}/versions/original/definitions/openapi/exportSpecification`)).json.value);
    assert.ok(spec.paths["/echo"].post, "the new operation came along");
    const orders = all.find((a) => a.properties.title === "Orders API")!;
    const ordersSpec = JSON.parse((await call("POST", `${APIC}/workspaces/default/apis/${orders.name}/versions/original/definitions/openapi/exportSpecification`)).json.value);
    assert.deepEqual(Object.keys(ordersSpec.paths), ["/orders", "/orders/{id}"]);
  });
});
