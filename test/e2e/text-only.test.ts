/**
 * The README's example questions answered by a client that reads only the text content of answers,
 * as several widely used clients do (they never hand structuredContent to the model), each in at
 * most two calls.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startClient, type TestClient } from "./clients.js";

const openapi = (title: string, version: string, paths: Record<string, unknown>) => JSON.stringify({ openapi: "3.0.3", info: { title, version, contact: { name: `${title} team`, email: `${title.toLowerCase()}@example.com` } }, paths });
const GRAPHQL = "type Query { stock(sku: String!): Int }";
const PAYMENTS = openapi("Payments", "2024-10-01", {
  "/payments": { post: { operationId: "createPayment", summary: "Take a payment", responses: { "201": { description: "ok" } } } },
  "/payments/{id}/refunds": { post: { operationId: "refundPayment", summary: "Refund a payment", responses: { "201": { description: "ok" } } } },
});

/** A model that sees only text: every answer is its summary line, then the JSON it reads. */
function textOnly(c: TestClient) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    reset() {
      calls = 0;
    },
    async ask(tool: string, args: Record<string, unknown>): Promise<any> {
      calls += 1;
      const answer = await c.callTool(tool, args);
      const text = answer.content.filter((p) => p.type === "text").map((p) => p.text).join("\n");
      assert.ok(!answer.isError, `${tool}: ${text}`);
      const [summary, json] = text.split("\n");
      assert.ok(summary && json, `${tool}: a summary line, then the data`);
      return JSON.parse(json);
    },
  };
}

async function seed(c: TestClient): Promise<void> {
  const write = async (tool: string, args: Record<string, unknown>) => assert.ok(!(await c.callTool(tool, args)).isError, tool);
  await write("create_environment", { environmentName: "production", kind: "production" });
  await write("register_api", {
    apiName: "orders",
    specContent: openapi("Orders", "1.0.0", { "/orders": { get: { operationId: "listOrders", responses: { "200": { description: "ok" } } } } }),
    lifecycleStage: "production",
  });
  await write("create_deployment", { apiName: "orders", deploymentName: "orders-prod", environmentName: "production", versionName: "1-0-0", definitionName: "openapi", runtimeUris: ["https://orders.example.com/v1"] });
  await write("register_api", { apiName: "stock", title: "Stock", kind: "graphql", versionName: "v1-0", lifecycleStage: "production", specContent: GRAPHQL });
  await write("register_api", { apiName: "shipping", title: "Shipping", versionName: "v2-0", lifecycleStage: "production" });
  await write("register_api", { apiName: "catalog", title: "Catalog", versionName: "v0-1", lifecycleStage: "preview" });
}

for (const [era, transport] of [["legacy", "stdio"], ["modern", "http"]] as const) {
  test(`a text-only client answers the README's questions, each in at most two calls (${era} era, ${transport})`, async () => {
    const c = await startClient({ era, transport });
    try {
      await seed(c);
      const model = textOnly(c);

      // "Which production APIs have no OpenAPI definition?"
      model.reset();
      const prod = await model.ask("list_apis", { lifecycleStage: "production" });
      const withoutOpenApi = prod.apis
        .filter((a: any) => !(a.latestVersion?.definitions ?? []).some((d: any) => /^openapi\b/.test(d.specification ?? "")))
        .map((a: any) => a.name)
        .sort();
      assert.deepEqual(withoutOpenApi, ["shipping", "stock"]);
      assert.ok(model.calls <= 2);

      // "Who owns the orders API and where is it deployed?"
      model.reset();
      const orders = await model.ask("get_api", { apiName: "orders" });
      assert.deepEqual(orders.contacts, [{ name: "Orders team", email: "orders@example.com" }]);
      assert.deepEqual(orders.deployments.map((d: any) => [d.environment, d.runtimeUris]), [["production", ["https://orders.example.com/v1"]]]);
      assert.ok(model.calls <= 2);

      // "Register our payments API from this spec."
      model.reset();
      const registered = await model.ask("register_api", { specContent: PAYMENTS });
      assert.deepEqual([registered.apiName, registered.versionName, registered.definitionName], ["payments", "2024-10-01", "openapi"]);
      assert.ok(registered.notes.some((n: string) => /title taken from the spec/.test(n)), registered.notes.join("; "));
      assert.ok(model.calls <= 2);

      // "What does the payments API let me do?": search, then the spec's operations.
      model.reset();
      const found = await model.ask("search_apis", { query: "refund a payment" });
      const row = found.results[0];
      assert.equal(row.name, "payments");
      const analysis = await model.ask("analyze_spec", { apiName: row.name, versionName: row.latestVersion.name, definitionName: row.latestVersion.definitions[0].name });
      assert.deepEqual(analysis.operations.map((o: any) => o.operationId), ["createPayment", "refundPayment"]);
      assert.ok(model.calls <= 2);
    } finally {
      await c.close();
    }
  });
}
