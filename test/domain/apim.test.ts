/**
 * The API Management use-cases over the real stack (ARM client, in-process local API Center with its
 * local API Management): imports with their dry run and access errors, where imported APIs came from,
 * the drift rule, and API sources.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ApimArmClient } from "../../src/azure/apim-client.js";
import { DomainError } from "../../src/domain/errors.js";
import { LOCAL_SCOPE } from "../helpers/backends.js";
import { domainOnLocal } from "../helpers/domain.js";

const APIM = { subscriptionId: LOCAL_SCOPE.subscriptionId, resourceGroupName: "gateways", serviceName: "contoso-apim" };
const APIM_ID = `/subscriptions/${APIM.subscriptionId}/resourceGroups/gateways/providers/Microsoft.ApiManagement/service/contoso-apim`;
const SCOPE = { subscriptionId: LOCAL_SCOPE.subscriptionId, resourceGroupName: LOCAL_SCOPE.resourceGroupName, serviceName: LOCAL_SCOPE.serviceName };
const doc = (title: string, paths: Record<string, string>) =>
  JSON.stringify({ openapi: "3.0.1", info: { title, version: "1" }, paths: Object.fromEntries(Object.entries(paths).map(([p, id]) => [p, { get: { operationId: id, summary: id, responses: { "200": { description: "ok" } } } }])) });

const rejects = async (work: Promise<unknown>, kind: string, pattern: RegExp) => {
  await assert.rejects(work, (e: unknown) => e instanceof DomainError && e.kind === kind && pattern.test(e.message));
};

describe("API Management in the inventory", () => {
  const d = domainOnLocal();
  const apim = new ApimArmClient(d.client);
  before(async () => {
    await apim.createOrUpdateService(APIM, { location: "westeurope", sku: { name: "Developer", capacity: 1 }, properties: { publisherEmail: "a@example.com", publisherName: "A" } });
    await apim.createOrUpdateApi({ ...APIM, apiId: "billing" }, { path: "billing", format: "openapi+json", value: doc("Billing", { "/refunds": "createRefund" }) });
    await apim.createOrUpdateApi({ ...APIM, apiId: "orders" }, { path: "orders", format: "openapi+json", value: doc("Orders", { "/orders": "listOrders" }) });
  });
  after(() => d.close());

  test("a dry run lists what would come in and the one call, without reading API Center's identity", async () => {
    const r = await d.apim.importApis({}, { apimService: "contoso-apim", apiIds: ["billing"] }, { dryRun: true });
    assert.deepEqual(r.apis, [{ apiId: "billing", title: "Billing", path: "billing" }]);
    assert.equal(r.calls.length, 1);
    assert.equal(r.calls[0]!.method, "POST");
    assert.match(r.calls[0]!.url, /\/services\/contoso\/importFromApim\?api-version=2024-03-01$/);
    assert.deepEqual(r.calls[0]!.body, { sourceResourceIds: [`${APIM_ID}/apis/billing`] });
  });

  test("names that are not there say what is", async () => {
    await rejects(d.apim.importApis({}, { apimService: "nope" }), "not_found", /it has: contoso-apim/);
    await rejects(d.apim.importApis({}, { apimService: "contoso-apim", apiIds: ["Billing API"] }), "not_found", /give ids, not display names; it has: billing, orders/);
  });

  test("without a managed identity, then without the role, the error names the command that fixes it", async () => {
    await rejects(d.apim.importApis({}, { apimService: "gateways/contoso-apim" }), "forbidden", /--identity '\{"type":"SystemAssigned"\}'/);
    const principal = (await d.client.updateService(SCOPE, { identity: { type: "SystemAssigned" } })).identity!.principalId!;
    await rejects(
      d.apim.importApis({}, { apimService: APIM_ID }),
      "forbidden",
      new RegExp(`az role assignment create --assignee ${principal} --role "API Management Service Reader Role" --scope ${APIM_ID.replace(/[/]/g, "\\/")}`),
    );
    await apim.assignReaderRole(APIM, principal);
  });

  test("imports all APIs, names them in API Center, and says where they came from", async () => {
    const progress: string[] = [];
    const r = await d.apim.importApis({}, { apimService: "contoso-apim" }, { onProgress: (m) => progress.push(m) });
    assert.deepEqual(r.apis.map((a) => a.title).sort(), ["Billing", "Orders"]);
    assert.ok(r.apis.every((a) => /^\d+$/.test(a.apiName ?? "")), JSON.stringify(r.apis));
    assert.ok(progress.some((m) => /import from API Management: (InProgress|NotStarted|Succeeded)/.test(m)), progress.join(" | "));
    const billing = r.apis.find((a) => a.title === "Billing")!.apiName!;
    const detail = await d.inventory.getApi({}, billing);
    assert.equal(detail.origin, "API Management contoso-apim.azure-api.net");
    assert.equal(detail.deployments[0]!.runtimeUris[0], "https://contoso-apim.azure-api.net/billing");
    const found = await d.intelligence.search({ query: "refund", limit: 5 });
    assert.equal(found.results[0]!.name, billing);
    assert.equal(found.results[0]!.origin, "API Management contoso-apim.azure-api.net");
  });

  test("the drift rule flags an import whose definition changed in API Management, and clears after a new import", async () => {
    const clean = await d.intelligence.audit({ rules: ["apim-definition-drift"] });
    assert.deepEqual(clean.findings, []);
    await apim.createOrUpdateOperation({ ...APIM, apiId: "billing", operationId: "void" }, { displayName: "Void", method: "DELETE", urlTemplate: "/refunds/{id}", templateParameters: [{ name: "id", type: "string", required: true }] });
    const drifted = await d.intelligence.audit({ rules: ["apim-definition-drift"] });
    assert.equal(drifted.findings.length, 1);
    const [finding] = drifted.findings;
    assert.equal(finding!.severity, "warning");
    assert.equal(finding!.entities.length, 1);
    assert.equal(finding!.entities[0]!.apimApi, "billing");
    assert.match(finding!.entities[0]!.change!, /added DELETE \/refunds\/\{id\}/);
    await d.apim.importApis({}, { apimService: "contoso-apim", apiIds: ["billing"] });
    assert.deepEqual((await d.intelligence.audit({ rules: ["apim-definition-drift"] })).findings, []);
  });

  test("an API source links the service, syncs at once, and deleting it takes its APIs along", async () => {
    const r = await d.apim.createApiSource({}, { name: "contoso-link", apimService: "contoso-apim", importSpecification: "always", environment: "contoso-gateway" });
    assert.equal(r.linkState, "syncing");
    assert.equal(r.environment, "contoso-gateway");
    const sources = await d.apim.listApiSources({});
    assert.deepEqual(sources.map((s) => [s.name, s.apimService, s.linkState]), [["contoso-link", APIM_ID, "syncing"]]);
    const row = (await d.intelligence.search({ query: "orders", limit: 5 })).results.find((x) => x.title === "Orders")!;
    assert.equal(row.origin, "API Management contoso-apim.azure-api.net", "the one-off import's environment comes first");
    const what = await d.curation.deletionImpact("apiSource", { workspace: "default", apiSource: "contoso-link" });
    assert.match(what, /API source 'contoso-link' with the APIs it synced and environment 'contoso-gateway'/);
    await d.curation.delete("apiSource", { workspace: "default", apiSource: "contoso-link" });
    assert.deepEqual(await d.apim.listApiSources({}), []);
  });
});
