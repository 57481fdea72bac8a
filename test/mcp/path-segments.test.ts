/**
 * No argument can rewrite the ARM path: every segment that reaches a URL (the service string, resource
 * names, resource URIs) is checked by its rule before any call, and the refusal names the field.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { mcpInProcess, type InProcessMcp } from "../helpers/mcp-in-process.js";

let mcp: InProcessMcp;
before(async () => {
  mcp = await mcpInProcess();
});
after(async () => {
  await mcp.close();
});

const HOSTILE_NAMES = ["../x", "..", "x/../y", "a/b", "%2e%2e", "a%2fb", "a%252fb", "ápi-name", "ｌocal", "x\ny", "x?y=1", "x#y", "a b", "ab", "x".repeat(91), "\u202ex"];
const SVC = "/providers/Microsoft.ApiCenter/services";

/** Refused with the field named; no ARM request at all, or (`value` given) none that carries the value. */
async function refused(tool: string, args: Record<string, unknown>, field: RegExp, value?: string) {
  const before = mcp.armRequests.length;
  const r = (await mcp.client.callTool({ name: tool, arguments: args })) as { isError?: boolean; content: Array<{ text?: string }> };
  const text = r.content[0]?.text ?? "";
  assert.equal(r.isError, true, `${tool} ${JSON.stringify(args).slice(0, 200)} was accepted: ${text}`);
  assert.match(text, field, `${tool}: the refusal names the field`);
  assert.ok(text.length < 600, `${tool}: the refusal is short (${text.length} characters)`);
  const sent = mcp.armRequests.slice(before);
  if (value === undefined) assert.deepEqual(sent, [], `${tool} ${JSON.stringify(args).slice(0, 100)} sent no ARM request`);
  else assert.deepEqual(sent.filter((u) => u.includes(value) || u.includes(encodeURIComponent(value))), [], `${tool}: no request carries '${value}'`);
}

test("the service string: subscription, resource group, service and workspace are checked segment by segment", async () => {
  for (const sub of ["..", "%2e%2e", "not-a-guid", "０0000000-0000-0000-0000-000000000000"]) {
    await refused("get_api", { apiName: "petstore", service: `/subscriptions/${sub}/resourceGroups/rg${SVC}/svc` }, /service\.subscriptionId.*GUID/s);
  }
  for (const group of ["%2e%2e", "rg%2f..%2fx", "..", "rg.", "x".repeat(91), "rg?x=1", "a b"]) {
    await refused("list_apis", { service: `${group}/svc` }, /service\.resourceGroup/);
  }
  for (const name of HOSTILE_NAMES.filter((n) => !n.includes("/") && !n.includes("?") && !n.includes("#"))) {
    await refused("list_environments", { service: `rg/${name}` }, /service\.serviceName: .*3 to 90 letters/s);
    await refused("list_apis", { service: `rg/svc-name/${name}` }, /workspace name .* is invalid/is);
  }
  await refused("get_api", { apiName: "petstore", service: "rg/../../x" }, /service/);
  await refused("get_api", { apiName: "petstore", service: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg${SVC}/svc/../../other` }, /service/);
  // list_services also lists the configured service's workspaces, a request of its own.
  for (const subscriptionId of ["../../../x", "not-a-guid"]) await refused("list_services", { subscriptionId }, /subscriptionId/, subscriptionId);
  for (const resourceGroup of ["rg/../../x", "rg%2f..%2fx", ".."]) await refused("list_services", { resourceGroup }, /resourceGroup/, resourceGroup);
});

test("resource names, in reads, writes and deletes", async () => {
  for (const name of HOSTILE_NAMES) {
    await refused("get_api", { apiName: name }, /apiName|API name .* is invalid/is);
    await refused("create_version", { apiName: "petstore", versionName: name, lifecycleStage: "design" }, /versionName|version name .* is invalid/is);
    await refused("register_api", { apiName: name, title: "T", kind: "rest" }, /apiName|API name .* is invalid/is);
    await refused("create_environment", { environmentName: name, kind: "production" }, /environmentName|environment name .* is invalid/is);
    await refused("define_metadata", { metadataSchemaName: name, schema: { type: "string" }, assignedTo: [{ entity: "api" }] }, /metadataSchemaName|metadata schema name .* is invalid/is);
    await refused("delete_resource", { kind: "api", apiName: name, confirm: true }, /apiName|API name .* is invalid/is);
    await refused(
      "create_deployment",
      { apiName: "petstore", deploymentName: "prod", environmentName: name, versionName: "v1-0", definitionName: "openapi", runtimeUris: ["https://x.example"] },
      /environmentName|environment name .* is invalid/is,
    );
    await refused("export_spec", { apiName: "petstore", versionName: "v1-0", definitionName: name, mode: "whole" }, /definitionName|definition name .* is invalid/is);
  }
});

test("resource URIs decode to names that are checked like any other", async () => {
  for (const uri of ["apicenter://apis/..%2F..%2Fx", "apicenter://apis/a%2Fb", "apicenter://apis/petstore/versions/..%2F..%2Fv/definitions/openapi"]) {
    const before = mcp.armRequests.length;
    await assert.rejects(mcp.client.readResource({ uri }), /name .* is invalid/is, uri);
    assert.deepEqual(mcp.armRequests.slice(before), [], `${uri} sent no ARM request`);
  }
  assert.deepEqual(mcp.unexpected, [], "nothing was a bug");
});
