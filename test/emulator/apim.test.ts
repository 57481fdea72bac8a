/** The local API Management's semantics over HTTP: activation, imports, exports, etags, lists, and the role assignments beside it. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseArmPath } from "../../src/emulator/router.js";
import { startEmulator } from "../helpers/backends.js";

const RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/apim-tests";
const SVC = `${RG}/providers/Microsoft.ApiManagement/service/contoso-apim`;
const SERVICE = { location: "eastus", sku: { name: "Consumption", capacity: 0 }, properties: { publisherEmail: "a@example.com", publisherName: "A" } };
const ORDERS = {
  openapi: "3.0.1",
  info: { title: "Orders", description: "Orders of the shop", version: "1.0" },
  servers: [{ url: "https://orders.example.com/v1" }],
  paths: {
    "/orders": {
      get: { operationId: "listOrders", summary: "List orders", parameters: [{ name: "top", in: "query", schema: { type: "integer" } }], responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } } } } },
      post: { operationId: "createOrder", requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } } }, responses: { "201": { description: "created" } } },
    },
    "/orders/{id}": { get: { operationId: "getOrder", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "ok" } } } },
  },
  components: { schemas: { Order: { type: "object", properties: { id: { type: "string" } } } } },
};

describe("the local API Management", () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, query = "") => {
    const version = path.includes("Microsoft.Authorization/roleDefinitions") ? "2022-05-01-preview" : path.includes("Microsoft.Authorization") ? "2022-04-01" : "2022-08-01";
    const res = await fetch(`${emu.http.url}${path}?api-version=${version}${query}`, {
      method,
      headers: { authorization: "Bearer t", "content-type": "application/json", ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  };
  before(async () => {
    emu = await startEmulator({ seed: false, apimActivationMs: 300 });
  });
  after(async () => {
    await emu?.close();
  });

  test("a new service activates: 201 Activating with poll URLs, InProgress, then Succeeded with its TLS defaults", async () => {
    const created = await call("PUT", SVC, SERVICE);
    assert.equal(created.status, 201);
    assert.equal(created.json.properties.provisioningState, "Activating");
    assert.equal(created.json.location, "East US");
    assert.equal(created.json.properties.gatewayUrl, "https://contoso-apim.azure-api.net");
    assert.match(created.headers.get("etag")!, /^"[A-Za-z0-9+/]{11}="$/);
    const poll = created.headers.get("location")!;
    assert.equal(poll, created.headers.get("azure-asyncoperation"));
    assert.match(poll, /\/operationResults\/[^?]+\?api-version=2022-08-01&asyncResponse$/);
    const early = await fetch(poll, { headers: { authorization: "Bearer t" } });
    assert.equal(early.status, 200);
    assert.deepEqual(await early.json(), { status: "InProgress" });
    const busy = await call("PUT", `${SVC}/apis/early`, { properties: { displayName: "Early", path: "early" } });
    assert.equal(busy.status, 409);
    assert.match(busy.json.error.message, /still activating/);
    await new Promise((r) => setTimeout(r, 350));
    const done = await fetch(poll, { headers: { authorization: "Bearer t" } });
    assert.deepEqual(await done.json(), { status: "Succeeded" });
    assert.equal(done.headers.get("location"), null);
    const got = await call("GET", SVC);
    assert.equal(got.json.properties.provisioningState, "Succeeded");
    assert.equal(got.json.properties.customProperties["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10"], "False");
    assert.equal((await call("GET", `${RG}/providers/Microsoft.ApiManagement/service`)).json.value.length, 1);
  });

  test("an API created with an OpenAPI document gets its operations and schema; its export is made from them", async () => {
    const put = await call("PUT", `${SVC}/apis/orders`, { properties: { path: "/orders-api", format: "openapi+json", value: JSON.stringify(ORDERS) } });
    assert.equal(put.status, 201);
    assert.equal(put.json.properties.displayName, "Orders");
    assert.equal(put.json.properties.path, "orders-api");
    assert.equal(put.json.properties.serviceUrl, "https://orders.example.com/v1");
    const ops = await call("GET", `${SVC}/apis/orders/operations`);
    assert.deepEqual(ops.json.value.map((o: any) => `${o.properties.method} ${o.properties.urlTemplate} ${o.name}`), ["GET /orders listOrders", "POST /orders createOrder", "GET /orders/{id} getOrder"]);
    assert.equal(ops.json.value[2].properties.templateParameters[0].name, "id");
    assert.equal((await call("GET", `${SVC}/apis/orders/schemas`)).json.value[0].properties.contentType, "application/vnd.oai.openapi.components+json");

    const exported = async () => {
      const r = await call("GET", `${SVC}/apis/orders`, undefined, {}, "&export=true&format=openapi%2Bjson-link");
      assert.equal(r.json.format, "openapi-link");
      const blob = await fetch(r.json.value.link);
      assert.equal(blob.status, 200, "the link needs no bearer token");
      return (await blob.json()) as any;
    };
    const before = await exported();
    assert.equal(before.openapi, "3.0.1");
    assert.deepEqual(before.servers, [{ url: "https://contoso-apim.azure-api.net/orders-api" }]);
    assert.deepEqual(Object.keys(before.paths), ["/orders", "/orders/{id}"]);
    assert.equal(before.paths["/orders"].get.responses["200"].content["application/json"].schema.$ref, "#/components/schemas/Order");
    assert.ok(before.components.schemas.Order);
    assert.ok(before.components.securitySchemes.apiKeyHeader, "subscriptions are required unless said otherwise");

    const added = await call("PUT", `${SVC}/apis/orders/operations/cancel`, { properties: { displayName: "Cancel", method: "post", urlTemplate: "/orders/{id}/cancel", templateParameters: [{ name: "id", type: "string", required: true }] } }, { "if-match": "*" });
    assert.equal(added.status, 201);
    assert.equal(added.json.properties.method, "POST");
    const after = await exported();
    assert.ok(after.paths["/orders/{id}/cancel"].post, "the new operation is in the export");
  });

  test("API Management's rules: template parameters declared, paths unique, If-Match on delete", async () => {
    const undeclared = await call("PUT", `${SVC}/apis/orders/operations/bad`, { properties: { displayName: "Bad", method: "GET", urlTemplate: "/x/{y}" } });
    assert.equal(undeclared.status, 400);
    assert.match(undeclared.json.error.message, /add y/);
    const clash = await call("PUT", `${SVC}/apis/orders2`, { properties: { displayName: "Orders 2", path: "orders-api" } });
    assert.equal(clash.status, 400);
    assert.match(clash.json.error.message, /same Path 'orders-api'/);
    const echo = await call("PUT", `${SVC}/apis/echo`, { properties: { displayName: "Echo API", path: "/echo", protocols: ["https"], subscriptionRequired: false } });
    assert.equal(echo.status, 201);
    assert.equal((await call("DELETE", `${SVC}/apis/echo`)).status, 400, "If-Match is required");
    assert.equal((await call("DELETE", `${SVC}/apis/echo`, undefined, { "if-match": '"AAAAAAAAAAA="' })).status, 412);
    const etag = (await call("GET", `${SVC}/apis/echo`)).headers.get("etag")!;
    assert.equal((await call("DELETE", `${SVC}/apis/echo`, undefined, { "if-match": etag })).status, 200);
    assert.equal((await call("DELETE", `${SVC}/apis/echo`, undefined, { "if-match": "*" })).status, 204);
    assert.equal((await call("GET", `${SVC}/apis/echo`)).json.error.message, "Api not found.");
  });

  test("lists page with $top and $skip, and filter", async () => {
    for (const n of ["a1", "a2", "a3"]) await call("PUT", `${SVC}/apis/${n}`, { properties: { displayName: `Paged ${n}`, path: n } });
    const first = await call("GET", `${SVC}/apis`, undefined, {}, "&$top=2");
    assert.equal(first.json.value.length, 2);
    assert.equal(first.json.count, 4);
    const next = await fetch(first.json.nextLink, { headers: { authorization: "Bearer t" } });
    assert.equal(((await next.json()) as any).value.length, 2);
    const filtered = await call("GET", `${SVC}/apis`, undefined, {}, `&$filter=${encodeURIComponent("startswith(properties/displayName,'paged') and name ne 'a2'")}`);
    assert.deepEqual(filtered.json.value.map((a: any) => a.name), ["a1", "a3"]);
    assert.equal((await call("GET", `${SVC}/apis`, undefined, {}, "&$filter=whatever")).status, 400);
  });

  test("role definitions and assignments at the service's scope", async () => {
    const roles = await call("GET", `${SVC}/providers/Microsoft.Authorization/roleDefinitions`, undefined, {}, `&$filter=${encodeURIComponent("roleName eq 'API Management Service Reader Role'")}`);
    assert.equal(roles.json.value.length, 1);
    const roleId = roles.json.value[0].id;
    assert.equal(roleId, "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/71522526-b88f-4d52-b57f-d31fc3546d0d");
    const path = `${SVC}/providers/Microsoft.Authorization/roleAssignments/0b3a3a3e-1111-4a4a-8b8b-123456789abc`;
    const created = await call("PUT", path, { properties: { roleDefinitionId: roleId, principalId: "p-1", principalType: "ServicePrincipal" } });
    assert.equal(created.status, 201);
    assert.equal(created.json.properties.scope, SVC);
    assert.equal((await call("PUT", path, { properties: { roleDefinitionId: roleId, principalId: "p-1" } })).status, 200);
    assert.equal((await call("PUT", path, { properties: { roleDefinitionId: roleId, principalId: "p-2" } })).status, 409);
    assert.equal((await call("PUT", `${SVC}/providers/Microsoft.Authorization/roleAssignments/not-a-guid`, { properties: { roleDefinitionId: roleId, principalId: "p-1" } })).status, 400);
    const unknownRole = await call("PUT", `${SVC}/providers/Microsoft.Authorization/roleAssignments/1b3a3a3e-1111-4a4a-8b8b-123456789abc`, { properties: { roleDefinitionId: "00000000-0000-0000-0000-00000000dead", principalId: "p-1" } });
    assert.equal(unknownRole.json.error.code, "RoleDefinitionDoesNotExist");
    const mine = await call("GET", `${SVC}/providers/Microsoft.Authorization/roleAssignments`, undefined, {}, `&$filter=${encodeURIComponent("principalId eq 'p-1'")}`);
    assert.equal(mine.json.value.length, 1);
    assert.equal((await call("DELETE", path)).status, 200);
    assert.equal((await call("DELETE", path)).status, 204);
  });

  test("deleting the service takes its APIs with it", async () => {
    assert.equal((await call("DELETE", SVC)).status, 200);
    assert.equal((await call("GET", `${SVC}/apis/orders`)).status, 404);
    assert.equal((await call("DELETE", SVC)).status, 204);
  });
});

test("an extension resource routes to the namespace it is in", () => {
  assert.deepEqual(parseArmPath(`${SVC}/providers/Microsoft.Authorization/roleAssignments/x`), {
    subscriptionId: "00000000-0000-0000-0000-000000000000",
    resourceGroupName: "apim-tests",
    namespace: "Microsoft.Authorization",
    segments: ["roleAssignments", "x"],
    scope: SVC,
  });
  assert.equal(parseArmPath(`${SVC}/apis/providers`)?.namespace, "Microsoft.ApiManagement", "a resource named 'providers' is no extension");
});
