import assert from "node:assert/strict";
import { test } from "node:test";
import { operationSlice, operations, parseSpecDocument, pointerSlice, slugify, specInfo, summarize } from "../../../src/domain/specs/spec-doc.js";
import { DomainError } from "../../../src/domain/errors.js";

const YAML_SPEC = `openapi: 3.0.3
info:
  title: Orders
  version: 2.1.0
  contact: { name: Orders team, email: orders@example.com }
  license: { name: MIT }
servers:
  - url: https://api.example.com/v2
paths:
  /orders:
    parameters:
      - { name: tenant, in: header }
    get: { operationId: listOrders, tags: [orders], summary: List orders }
    post: { operationId: createOrder, tags: [orders] }
  /orders/{id}/refunds:
    post: { operationId: refundOrder, tags: [refunds], deprecated: true }
components:
  securitySchemes: { oauth: { type: oauth2 } }
  schemas: { Order: { type: object }, Refund: { type: object } }
`;

test("reads OpenAPI and AsyncAPI documents in JSON and YAML, and nothing else", () => {
  assert.equal(parseSpecDocument(YAML_SPEC)?.openapi, "3.0.3");
  assert.equal(parseSpecDocument('{"swagger":"2.0"}')?.swagger, "2.0");
  assert.equal(parseSpecDocument("asyncapi: 2.6.0\nchannels: {}\n")?.asyncapi, "2.6.0");
  assert.equal(parseSpecDocument("type Query { a: Int }"), null, "YAML would read GraphQL SDL as a mapping");
  assert.equal(parseSpecDocument('{"title": "not a spec"}'), null);
  assert.equal(parseSpecDocument("[1,2]"), null);
});

test("the info block, with YAML's numbers and booleans read as they were written", () => {
  const odd = specInfo(parseSpecDocument("openapi: 3.0.3\ninfo:\n  title: 2024\n  version: 1.10 # minor ten\n  summary: yes\n  description: null\npaths: {}\n")!);
  assert.deepEqual(odd, { title: "2024", version: "1.10", summary: "yes" });
  assert.deepEqual(specInfo(parseSpecDocument('{"openapi":"3.0.3","info":{"title":"T","version":1.10},"paths":{}}')!), { title: "T", version: "1.10" });
  assert.equal(parseSpecDocument("openapi: 3.0.3\ninfo: [unclosed\n"), null, "YAML with errors is not read");
  assert.deepEqual(specInfo(parseSpecDocument(YAML_SPEC)!), {
    title: "Orders",
    version: "2.1.0",
    contact: { name: "Orders team", email: "orders@example.com" },
    license: { name: "MIT" },
  });
});

test("summary and operations", () => {
  const doc = parseSpecDocument(YAML_SPEC)!;
  assert.deepEqual(operations(doc).map((o) => `${o.method} ${o.path} ${o.operationId}`), ["GET /orders listOrders", "POST /orders createOrder", "POST /orders/{id}/refunds refundOrder"]);
  const s = summarize(doc);
  assert.equal(s.operationCount, 3);
  assert.deepEqual(s.byMethod, { GET: 1, POST: 2 });
  assert.deepEqual(s.byTag, { orders: 2, refunds: 1 });
  assert.deepEqual(s.servers, ["https://api.example.com/v2"]);
  assert.deepEqual(s.securitySchemes, ["oauth"]);
  assert.equal(s.schemaCount, 2);
  assert.equal(summarize({ swagger: "2.0", host: "api.example.com", basePath: "/v1", paths: {} }).servers[0], "api.example.com/v1");
  const events = parseSpecDocument("asyncapi: 2.6.0\nchannels:\n  orders/created:\n    subscribe: { operationId: onOrderCreated }\n")!;
  assert.deepEqual(operations(events), [{ method: "subscribe", path: "orders/created", operationId: "onOrderCreated" }]);
});

test("slices: an operation by id or by method and path, a JSON pointer", () => {
  const doc = parseSpecDocument(YAML_SPEC)!;
  const byId = operationSlice(doc, { operationId: "createOrder" });
  assert.equal(byId.path, "/orders");
  assert.ok(byId.pathParameters, "path-level parameters come along");
  assert.equal(operationSlice(doc, { method: "post", path: "/orders/{id}/refunds" }).method, "POST");
  assert.throws(() => operationSlice(doc, { operationId: "nope" }), (e: DomainError) => e.kind === "not_found" && /mode 'summary' lists them/.test(e.message));
  assert.deepEqual(pointerSlice(doc, "/components/schemas/Order"), { type: "object" });
  assert.deepEqual(pointerSlice({ "a/b": { "c~d": 1 } }, "/a~1b/c~0d"), 1);
  assert.throws(() => pointerSlice(doc, "components"), /must start with '\/'/);
});

test("names from free text follow the service's rule", () => {
  assert.equal(slugify("Swagger Petstore - OpenAPI 3.0"), "swagger-petstore-openapi-3-0");
  assert.equal(slugify("1.0.19"), "1-0-19");
  assert.equal(slugify("v1"), "api-v1");
  assert.equal(slugify("2", "version"), "version-2");
  assert.equal(slugify("Café Ünïcode"), "cafe-unicode");
  assert.match(slugify("x".repeat(200)), /^x{90}$/);
});
