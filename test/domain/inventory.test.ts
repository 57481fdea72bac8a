/**
 * What makes one question about an API take at most two calls: list rows name each API's latest
 * version and its definitions, and a definition reference is completed from them when that is clear
 * (and refused with the choices when not). Also: another service named in one string.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseTarget } from "../../src/domain/scope.js";
import { domainOnLocal, openapi } from "../helpers/domain.js";

const ws = { workspace: "default" };
const spec = (title: string) => openapi(title, { "/x": { get: { operationId: "getX", responses: { "200": { description: "ok" } } } } });

describe("list rows and definition references", () => {
  let d: ReturnType<typeof domainOnLocal>;
  before(async () => {
    d = domainOnLocal();
    await d.curation.registerApi({ ...ws, apiName: "orders", title: "Orders", version: { name: "v1-0", lifecycleStage: "deprecated" }, spec: { content: spec("Orders") } });
    await d.curation.createVersion(ws, "orders", { name: "v2-0", lifecycleStage: "production" });
    await d.curation.importSpec(ws, { api: "orders", version: "v2-0" }, { content: spec("Orders") });
    await d.curation.importSpec(ws, { api: "orders", version: "v2-0", definition: "graphql" }, { content: "type Query { orders: [String] }" });
    await d.curation.registerApi({ ...ws, apiName: "empty", title: "Empty" });
  });
  after(() => d.close());

  test("a list row names the latest version and its definitions with their spec types", async () => {
    const page = await d.inventory.listApis({ ...ws });
    const orders = page.apis.find((a) => a.name === "orders")!;
    assert.equal(orders.versionCount, 2);
    assert.equal(orders.latestVersion?.name, "v2-0", "the most recently written version, as the service decides the API's stage");
    assert.deepEqual(orders.latestVersion?.definitions.map((x) => x.name).sort(), ["graphql", "openapi"]);
    assert.match(orders.latestVersion!.definitions.find((x) => x.name === "openapi")!.specification!, /^openapi 3\.0\.3$/);
    assert.equal(page.apis.find((a) => a.name === "empty")!.latestVersion, undefined);
  });

  test("a reference without version and definition is completed when clear, and says so", async () => {
    const r = await d.inventory.resolveDefinition(ws, { api: "orders", version: "v1-0" });
    assert.deepEqual(r.ref, { api: "orders", version: "v1-0", definition: "openapi" });
    assert.equal(r.defaulted, "used its only definition 'openapi'");
    const given = await d.inventory.resolveDefinition(ws, { api: "orders", version: "v2-0", definition: "graphql" });
    assert.equal(given.defaulted, undefined, "nothing filled in, nothing said");
  });

  test("when it is not clear, the error lists the choices", async () => {
    await assert.rejects(d.inventory.resolveDefinition(ws, { api: "orders" }), (e: Error) => {
      assert.match(e.message, /^version 'v2-0' of orders has 2 definitions: give definitionName, one of /);
      assert.match(e.message, /openapi \(openapi 3\.0\.3\)/);
      assert.match(e.message, /graphql \(graphql\)/);
      return true;
    });
    await assert.rejects(d.inventory.resolveDefinition(ws, { api: "empty" }), /API 'empty' has no version yet: add one with create_version/);
    await assert.rejects(d.inventory.resolveDefinition(ws, { api: "nowhere" }), /list_apis shows the names/);
  });
});

describe("another service in one string", () => {
  test("an ARM id of a service or of its workspace, or group/name[/workspace]", () => {
    const id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-1/providers/Microsoft.ApiCenter/services/contoso";
    assert.deepEqual(parseTarget(id), { service: { subscriptionId: "00000000-0000-0000-0000-000000000001", resourceGroup: "rg-1", serviceName: "contoso" } });
    assert.deepEqual(parseTarget(`${id}/workspaces/team`).workspace, "team");
    assert.deepEqual(parseTarget("rg-1/contoso"), { service: { resourceGroup: "rg-1", serviceName: "contoso" } });
    assert.deepEqual(parseTarget("rg-1/contoso/team"), { service: { resourceGroup: "rg-1", serviceName: "contoso" }, workspace: "team" });
  });

  test("anything else is refused naming both forms", () => {
    for (const bad of ["contoso", "a/b/c/d", "rg//x", `/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiCenter/services/s/workspaces/w/apis/a`, "/subscriptions/x"]) {
      assert.throws(() => parseTarget(bad), /give an ARM id \(\/subscriptions\/<id>\/resourceGroups\/<group>\/providers\/Microsoft\.ApiCenter\/services\/<name>.*or '<group>\/<name>\[\/<workspace>\]'/, bad);
    }
  });

  test("a named service is used by the use-cases, its segments checked", async () => {
    const d = domainOnLocal();
    try {
      const configured = d.gateway.defaultService;
      await d.curation.registerApi({ ...ws, ...parseTarget(`${configured.resourceGroup}/${configured.serviceName}`), apiName: "named", title: "Named" });
      assert.equal((await d.inventory.getApi(ws, "named")).name, "named");
      await assert.rejects(d.inventory.listApis(parseTarget("bad group!/x")), /service\.resourceGroup/);
    } finally {
      await d.close();
    }
  });
});
