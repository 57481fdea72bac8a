/**
 * Inventory intelligence over a real local API Center: every audit rule finds a seeded violation and
 * stays quiet on a clean inventory; search finds APIs by their specs' content; diff detects breaking
 * changes; the index sees writes made through the server at once; lint runs Spectral.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ApimArmClient } from "../../../src/azure/apim-client.js";
import { AUDIT_RULES } from "../../../src/domain/intelligence/audit.js";
import { LOCAL_SCOPE } from "../../helpers/backends.js";
import { domainOnLocal, openapi } from "../../helpers/domain.js";

const ws = { workspace: "default" };
type D = ReturnType<typeof domainOnLocal>;

/** One API with everything a clean inventory has: version, spec, contact, license, owner, deployment. */
async function cleanApi(d: D, name: string, opts: { kind?: string; title?: string } = {}) {
  await d.curation.registerApi({
    ...ws,
    apiName: name,
    title: opts.title ?? `${name} API`,
    kind: opts.kind ?? "rest",
    contacts: [{ name: "Team", email: "team@example.com" }],
    license: { name: "MIT" },
    customProperties: { "owner-team": "payments" },
    version: { name: "v1-0", lifecycleStage: "production" },
    spec: { content: openapi(`${name} API`, { [`/${name}`]: { get: { operationId: `list-${name}`, responses: { "200": { description: "ok" } } } } }) },
  });
  await d.curation.createDeployment(ws, { api: name, deployment: "prod", environment: "prod", version: "v1-0", definition: "openapi", runtimeUris: [`https://${name}.example.com`] });
}

async function baseline(d: D) {
  await d.curation.defineMetadata(ws, "owner-team", { type: "string", enum: ["payments", "orders"] }, [{ entity: "api", required: true }]);
  await d.curation.createEnvironment(ws, "prod", { title: "Production", kind: "production" });
}

describe("audit_inventory rules", () => {
  let d: D;
  before(async () => {
    d = domainOnLocal();
    await baseline(d);
  });
  after(() => d.close());

  test("a clean inventory has no findings", async () => {
    await cleanApi(d, "orders");
    await cleanApi(d, "assistant-tools", { kind: "mcp" });
    const { findings } = await d.intelligence.audit({ ...ws, refresh: true });
    assert.deepEqual(findings, []);
  });

  test("each rule finds its seeded violation", async () => {
    const expectations: Record<string, string> = {};
    // api-without-versions, api-without-contacts, api-without-license, mcp-server-incomplete
    await d.curation.registerApi({ ...ws, apiName: "lonely", title: "Lonely", kind: "mcp", customProperties: { "owner-team": "orders" } });
    expectations["api-without-versions"] = "lonely";
    expectations["api-without-contacts"] = "lonely";
    expectations["api-without-license"] = "lonely";
    expectations["mcp-server-incomplete"] = "lonely";
    // version-without-definitions
    await cleanApi(d, "half");
    await d.curation.createVersion(ws, "half", { name: "v2-0", lifecycleStage: "preview" });
    expectations["version-without-definitions"] = "half";
    // definition-without-spec
    await cleanApi(d, "nospec");
    await d.gateway.put("definition", { ...ws, api: "nospec", version: "v1-0", definition: "graphql" }, { title: "GraphQL" });
    expectations["definition-without-spec"] = "nospec";
    // deprecated-or-retired-version-in-production: a retired one (error) and a deprecated one (warning)
    await cleanApi(d, "legacy");
    await d.curation.createVersion(ws, "legacy", { name: "v1-0", lifecycleStage: "retired" });
    await cleanApi(d, "aging");
    await d.curation.createVersion(ws, "aging", { name: "v1-0", lifecycleStage: "deprecated" });
    expectations["deprecated-or-retired-version-in-production"] = "legacy";
    // deployment-missing-environment and deployment-missing-definition: references left dangling
    await cleanApi(d, "dangling");
    await d.gateway.put("deployment", { ...ws, api: "dangling", deployment: "ghost" }, {
      title: "Ghost",
      environmentId: "/workspaces/default/environments/nowhere",
      definitionId: "/workspaces/default/apis/dangling/versions/v9-9/definitions/openapi",
      server: { runtimeUri: ["https://ghost.example.com"] },
    });
    expectations["deployment-missing-environment"] = "dangling";
    expectations["deployment-missing-definition"] = "dangling";
    // duplicate-title
    await cleanApi(d, "twin-a", { title: "Twins" });
    await cleanApi(d, "twin-b", { title: "Twins" });
    expectations["duplicate-title"] = "twin-a";
    // custom-property-invalid: the schema narrows after a value was set; custom-property-missing: a newly required property
    await cleanApi(d, "marketing");
    await d.curation.defineMetadata(ws, "owner-team", { type: "string", enum: ["orders"] }, [{ entity: "api", required: true }]);
    expectations["custom-property-invalid"] = "marketing";
    await d.curation.defineMetadata(ws, "tier", { type: "string" }, [{ entity: "api", required: true }]);
    expectations["custom-property-missing"] = "marketing";
    // apim-definition-drift: an API imported from API Management whose operations changed there since
    const apim = new ApimArmClient(d.client);
    const gateway = { subscriptionId: LOCAL_SCOPE.subscriptionId, resourceGroupName: "gateways", serviceName: "audit-apim" };
    await apim.createOrUpdateService(gateway, { location: "eastus", sku: { name: "Developer", capacity: 1 }, properties: { publisherEmail: "a@example.com", publisherName: "A" } });
    await apim.createOrUpdateApi({ ...gateway, apiId: "ledger" }, { path: "ledger", format: "openapi+json", value: openapi("Ledger", { "/entries": { get: { responses: { "200": { description: "ok" } } } } }) });
    const service = { subscriptionId: LOCAL_SCOPE.subscriptionId, resourceGroupName: LOCAL_SCOPE.resourceGroupName, serviceName: LOCAL_SCOPE.serviceName };
    await apim.assignReaderRole(gateway, (await d.client.updateService(service, { identity: { type: "SystemAssigned" } })).identity!.principalId!);
    const imported = await d.apim.importApis(ws, { apimService: "audit-apim" });
    await apim.createOrUpdateOperation({ ...gateway, apiId: "ledger", operationId: "post-entry" }, { displayName: "Post", method: "POST", urlTemplate: "/entries" });
    expectations["apim-definition-drift"] = imported.apis[0]!.apiName!;

    const { findings } = await d.intelligence.audit(ws);
    for (const rule of AUDIT_RULES) {
      const hits = findings.filter((f) => f.rule === rule.id);
      assert.ok(hits.length > 0, `rule ${rule.id} fired`);
      assert.ok(hits.some((f) => f.entities.some((e) => e.api === expectations[rule.id])), `${rule.id} names ${expectations[rule.id]}: ${JSON.stringify(hits.map((h) => h.entities))}`);
      assert.ok(hits.every((f) => f.fix.length > 0), `${rule.id} says how to fix it`);
    }
    const inProduction = findings.filter((f) => f.rule === "deprecated-or-retired-version-in-production");
    assert.deepEqual(
      inProduction.map((f) => [f.severity, f.entities.map((e) => `${e.api} ${e.stage}`)]),
      [
        ["error", ["legacy retired"]],
        ["warning", ["aging deprecated"]],
      ],
    );
    const keys = findings.map((f) => `${f.rule}/${f.severity}`);
    assert.equal(new Set(keys).size, keys.length, "one group per rule and severity: each rule's sentence and fix are said once");
    const onlyErrors = await d.intelligence.audit({ ...ws, minSeverity: "error" });
    assert.ok(onlyErrors.findings.every((f) => f.severity === "error"));
    const oneRule = await d.intelligence.audit({ ...ws, rules: ["duplicate-title"] });
    assert.deepEqual([...new Set(oneRule.findings.map((f) => f.rule))], ["duplicate-title"]);
  });
});

describe("search_apis", () => {
  let d: D;
  before(async () => {
    d = domainOnLocal();
    await d.curation.defineMetadata(ws, "public-facing", { type: "boolean" }, [{ entity: "api" }]);
    await d.curation.registerApi({
      ...ws,
      apiName: "billing",
      title: "Billing",
      summary: "Invoices and payments",
      customProperties: { "public-facing": true },
      spec: {
        content: openapi("Billing", {
          "/invoices": { get: { operationId: "listInvoices", tags: ["invoices"], responses: { "200": { description: "ok" } } } },
          "/refunds": { post: { operationId: "createRefund", summary: "Refund a payment", tags: ["refunds"], responses: { "201": { description: "ok" } } } },
        }),
      },
    });
    await d.curation.registerApi({ ...ws, apiName: "orders", title: "Orders", summary: "Place and track orders", spec: { content: openapi("Orders", { "/orders": { post: { operationId: "placeOrder", responses: { "201": { description: "ok" } } } } }) } });
    await d.curation.registerApi({ ...ws, apiName: "catalog", title: "Catalog", description: "Products we sell", customProperties: { "public-facing": false } });
  });
  after(() => d.close());

  test("finds the API whose spec has POST /refunds", async () => {
    const r = await d.intelligence.search({ ...ws, query: "Find APIs that handle refunds", limit: 5 });
    assert.equal(r.results[0]?.name, "billing");
    assert.ok(r.results[0]!.matched!.some((m) => m.includes("POST /refunds")), JSON.stringify(r.results[0]));
    assert.equal(r.total, 1, "nothing else mentions refunds");
    assert.equal(r.freshness.apis, 3);
  });

  test("ranks by relevance and combines with typed custom-property filters", async () => {
    const orders = await d.intelligence.search({ ...ws, query: "orders", limit: 5 });
    assert.equal(orders.results[0]?.name, "orders");
    const publicOnes = await d.intelligence.search({ ...ws, customProperties: { "public-facing": "true" }, limit: 5 });
    assert.deepEqual(publicOnes.results.map((x) => x.name), ["billing"], "'true' is read as the schema's boolean");
    const none = await d.intelligence.search({ ...ws, query: "refunds", kind: "graphql", limit: 5 });
    assert.equal(none.total, 0);
  });

  test("the index sees a write made through the server immediately", async () => {
    const before = await d.intelligence.search({ ...ws, query: "shipping labels", limit: 5 });
    assert.equal(before.total, 0);
    await d.curation.registerApi({ ...ws, apiName: "shipping", title: "Shipping", summary: "Print shipping labels" });
    const afterWrite = await d.intelligence.search({ ...ws, query: "shipping labels", limit: 5 });
    assert.equal(afterWrite.results[0]?.name, "shipping");
    assert.equal(afterWrite.freshness.builtAt, before.freshness.builtAt, "served from the same index, refreshed in place");
    await d.curation.delete("api", { ...ws, api: "shipping" });
    assert.equal((await d.intelligence.search({ ...ws, query: "shipping labels", limit: 5 })).total, 0);
  });

  test("a write that names the configured service explicitly is seen by a search that does not", async () => {
    const configured = { ...d.gateway.defaultService, serviceName: d.gateway.defaultService.serviceName.toUpperCase() };
    await d.intelligence.search({ ...ws, query: "warehouse", limit: 5 });
    await d.curation.registerApi({ workspace: "Default", service: configured, apiName: "warehouse", title: "Warehouse", summary: "Stock levels" });
    const found = await d.intelligence.search({ query: "warehouse", limit: 5 });
    assert.equal(found.results[0]?.name, "warehouse");
    const viaOverride = await d.intelligence.search({ ...ws, service: configured, query: "warehouse", limit: 5 });
    assert.equal(viaOverride.freshness.builtAt, found.freshness.builtAt, "one index for one scope, however it is named");
    await d.curation.delete("api", { service: configured, workspace: "default", api: "warehouse" });
  });

  test("a malformed service override is refused naming the field", async () => {
    await assert.rejects(d.intelligence.search({ service: { subscriptionId: "../../../x" }, query: "x", limit: 1 }), /service\.subscriptionId .* GUID/);
    await assert.rejects(d.inventory.getApi({ service: { resourceGroup: "a/b" } }, "orders"), /service\.resourceGroup/);
  });

  test("the crawl reports progress and counts its calls", async () => {
    const seen: string[] = [];
    const r = await d.intelligence.search({ ...ws, query: "billing", limit: 1, refresh: true }, (_d, _t, m) => seen.push(m));
    assert.ok(seen.some((m) => /indexed \d+ of \d+ APIs/.test(m)), seen.join("|"));
    assert.ok(r.freshness.crawlCalls >= 3 + 3 * 2, `${r.freshness.crawlCalls} calls`);
  });
});

describe("diff_versions and lint_spec", () => {
  let d: D;
  before(async () => {
    d = domainOnLocal({
      lintRuleset: {
        source: "test-ruleset.yaml",
        text: "extends: [[spectral:oas, off]]\nrules:\n  contact-required:\n    description: Every API names a contact\n    severity: error\n    given: $.info\n    then: { field: contact, function: truthy }\n",
      },
    });
    const v1 = openapi("Pets", {
      "/pets": { get: { operationId: "listPets", parameters: [{ name: "limit", in: "query", schema: { type: "integer" } }], responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Pets" } } } } } } },
      "/pets/{id}": { delete: { operationId: "deletePet", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "204": { description: "gone" } } } },
    });
    const withComponents = (text: string, schemas: object) => JSON.stringify({ ...JSON.parse(text), components: { schemas } });
    const petsV1 = { Pets: { type: "array", items: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } } } };
    const petsV2 = { Pets: { type: "array", items: { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, tag: { type: "string" } } } } };
    const v2 = openapi("Pets", {
      "/pets": {
        get: {
          operationId: "listPets",
          parameters: [
            { name: "limit", in: "query", required: true, schema: { type: "integer" } },
            { name: "cursor", in: "query", schema: { type: "string" } },
          ],
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Pets" } } } } },
        },
      },
      "/pets/{petId}/photos": { post: { operationId: "addPhoto", responses: { "201": { description: "ok" } } } },
    });
    await d.curation.registerApi({ ...ws, apiName: "pets", title: "Pets", version: { name: "v1-0", lifecycleStage: "production" }, spec: { content: withComponents(v1, petsV1) } });
    await d.curation.createVersion(ws, "pets", { name: "v2-0", lifecycleStage: "preview" });
    await d.curation.importSpec(ws, { api: "pets", version: "v2-0" }, { content: withComponents(v2, petsV2) });
  });
  after(() => d.close());

  test("diff detects a removed operation and a newly required parameter, with a breaking verdict", async () => {
    const r = await d.intelligence.diff(ws, { api: "pets", version: "v1-0", definition: "openapi" }, { api: "pets", version: "v2-0", definition: "openapi" });
    assert.equal(r.verdict, "breaking");
    const codes = r.changes.map((c) => `${c.impact} ${c.code} ${c.where}`);
    assert.ok(codes.includes("breaking operation-removed DELETE /pets/{id}"), codes.join("\n"));
    assert.ok(codes.includes("breaking parameter-made-required GET /pets query parameter 'limit'"), codes.join("\n"));
    assert.ok(codes.includes("non-breaking operation-added POST /pets/{petId}/photos"), codes.join("\n"));
    assert.ok(codes.includes("non-breaking parameter-added GET /pets query parameter 'cursor'"), codes.join("\n"));
    assert.ok(codes.includes("non-breaking response-field-added GET /pets 200 '[].tag'"), codes.join("\n"));
    const same = await d.intelligence.diff(ws, { api: "pets", version: "v2-0", definition: "openapi" }, { api: "pets", version: "v2-0", definition: "openapi" });
    assert.equal(same.verdict, "identical");
  });

  test("lint runs the configured custom ruleset", async () => {
    const r = await d.intelligence.lint(ws, { api: "pets", version: "v1-0", definition: "openapi" }, { limit: 10 });
    assert.equal(r.ruleset, "custom");
    assert.deepEqual(r.findings.map((f) => [f.rule, f.severity, f.count]), [["contact-required", "error", 1]]);
    assert.deepEqual(r.findings[0]!.at.map((at) => at.split(" ")[0]), ["info"]);
  });

  test("analysis summarises and filters by tag", async () => {
    const r = await d.intelligence.analyze(ws, { api: "pets", version: "v2-0", definition: "openapi" }, { limit: 10, operationId: "listPets" });
    assert.equal(r.summary.operationCount, 2);
    assert.deepEqual(r.models, ["Pets"]);
    assert.equal((r.operation as { path: string }).path, "/pets");
  });
});

test("lint with the standard OpenAPI ruleset reports by severity and rule", async () => {
  const d = domainOnLocal();
  try {
    await d.curation.registerApi({ ...ws, apiName: "bare", title: "Bare", version: { name: "v1-0", lifecycleStage: "design" }, spec: { content: openapi("Bare", { "/things": { get: { responses: { "200": { description: "ok" } } } } }) } });
    const r = await d.intelligence.lint(ws, { api: "bare", version: "v1-0", definition: "openapi" }, { limit: 50 });
    assert.equal(r.ruleset, "spectral:oas");
    const rules = r.findings.map((x) => x.rule);
    for (const expected of ["info-contact", "operation-operationId", "operation-description"]) assert.ok(rules.includes(expected), rules.join(","));
    assert.equal(new Set(r.findings.map((f) => `${f.rule} ${f.message}`)).size, r.findings.length, "each rule's message is said once");
    assert.equal(r.findings.reduce((n, f) => n + f.count, 0), r.total);
  } finally {
    await d.close();
  }
});

test("a custom ruleset that names what Spectral lacks is refused with the choices", async () => {
  const { SpectralLinter } = await import("../../../src/spectral/spectral-linter.js");
  await assert.rejects(SpectralLinter.check({ source: "r.yaml", text: "rules:\n  x:\n    given: $\n    then: { function: sparkle }\n" }), /unknown function 'sparkle'; use one of .*truthy/);
  await assert.rejects(SpectralLinter.check({ source: "r.yaml", text: "extends: spectral:everything\n" }), /only spectral:oas and spectral:asyncapi/);
});
