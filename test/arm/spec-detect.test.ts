import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { detectSpecification } from "../../src/arm/spec-detect.js";
import { needsShared, recordingsDir } from "../helpers/shared.js";

const cases: Array<[string, string, { name: string; version?: string } | null]> = [
  ["OpenAPI 3 JSON", '{"info":{"title":"x"},"openapi":"3.1.0","paths":{}}', { name: "openapi", version: "3.1.0" }],
  ["Swagger 2 JSON", '{"swagger":"2.0","info":{}}', { name: "openapi", version: "2.0" }],
  ["OpenAPI 3 YAML", "# comment\ninfo:\n  title: x\nopenapi: '3.0.3'\npaths: {}\n", { name: "openapi", version: "3.0.3" }],
  ["AsyncAPI YAML", "asyncapi: 2.6.0\ninfo:\n  title: events\n", { name: "asyncapi", version: "2.6.0" }],
  ["nested 'openapi' key is not top level", "info:\n  openapi: 3.0.0\n", null],
  ["GraphQL SDL", "schema { query: Query }\ntype Query { orders: [Order] }", { name: "graphql" }],
  ["gRPC proto3", 'syntax = "proto3";\nservice Orders { rpc Get (Req) returns (Res); }', { name: "grpc", version: "proto3" }],
  [
    "WSDL 1.1",
    '<?xml version="1.0"?><wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" name="x"></wsdl:definitions>',
    { name: "wsdl", version: "1.1" },
  ],
  ["WSDL 2.0", '<description xmlns="http://www.w3.org/ns/wsdl"></description>', { name: "wsdl", version: "2.0" }],
  ["RAML", "#%RAML 1.0\ntitle: x\n", { name: "raml", version: "1.0" }],
  ["plain text", "hello world", null],
  ["broken JSON", '{"openapi": ', null],
];

for (const [what, text, expected] of cases) {
  test(`detects ${what}`, () => {
    assert.deepEqual(detectSpecification(text), expected);
  });
}

test("detects the recordings' petstore specs (JSON and YAML)", needsShared, () => {
  const assets = join(recordingsDir(), "test_assets");
  assert.deepEqual(detectSpecification(readFileSync(join(assets, "petstore.json"), "utf8")), { name: "openapi", version: "3.0.2" });
  assert.deepEqual(detectSpecification(readFileSync(join(assets, "petstore.yaml"), "utf8"))?.name, "openapi");
});
