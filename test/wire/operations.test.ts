/**
 * Every Microsoft.ApiCenter 2024-03-01 operation, through the ARM client, against the local API Center
 * over HTTP (or live Azure with APICENTER_LIVE=1). One test per swagger operationId, run in order so
 * later operations find what earlier ones created.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { DomainError } from "../../src/domain/errors.js";
import { live, liveSkipReason, ref, wireBackend, type WireBackend } from "../helpers/backends.js";
import { needsShared, swaggerOperationIds } from "../helpers/shared.js";

const suffix = randomBytes(3).toString("hex");
const names = {
  schema: `wire-team-${suffix}`,
  workspace: `wire-ws-${suffix}`,
  api: `wire-api-${suffix}`,
  version: `v1-${suffix}`,
  definition: `openapi-${suffix}`,
  environment: `wire-env-${suffix}`,
  deployment: `wire-dep-${suffix}`,
  service: `wire-svc-${suffix}`,
};
const PETSTORE = JSON.stringify({
  openapi: "3.0.1",
  info: { title: "Petstore", version: "1.0.0" },
  paths: { "/pets": { get: { operationId: "listPets", responses: { "200": { description: "ok" } } } } },
});

let b: WireBackend;
const at = () => ({
  service: ref(b.scope),
  schema: ref(b.scope, ["metadataSchema", names.schema]),
  ws: ref(b.scope, ["workspace", "default"]),
  newWs: ref(b.scope, ["workspace", names.workspace]),
  api: ref(b.scope, ["workspace", "default"], ["api", names.api]),
  version: ref(b.scope, ["workspace", "default"], ["api", names.api], ["version", names.version]),
  definition: ref(b.scope, ["workspace", "default"], ["api", names.api], ["version", names.version], ["definition", names.definition]),
  environment: ref(b.scope, ["workspace", "default"], ["environment", names.environment]),
  deployment: ref(b.scope, ["workspace", "default"], ["api", names.api], ["deployment", names.deployment]),
});

async function rejectsWith(p: Promise<unknown>, kind: DomainError["kind"]): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DomainError, `expected a DomainError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

const localOnly: { skip: string | false } = { skip: live ? "creates or deletes whole services/workspaces: local API Center only" : false };

/** operationId -> its test, in the order they run. */
const OPERATIONS: Array<[string, () => Promise<void>, { skip?: string | false }?]> = [
  ["Operations_List", async () => {
    const ops = await b.client.listProviderOperations();
    assert.ok(ops.some((o) => o.name === "Microsoft.ApiCenter/services/workspaces/apis/read"));
  }],
  ["Services_ListBySubscription", async () => {
    const all = [];
    for await (const s of b.client.listServices(b.scope.subscriptionId)) all.push(s.name);
    assert.ok(all.includes(b.scope.serviceName), `${b.scope.serviceName} in ${all.join(",")}`);
  }],
  ["Services_ListByResourceGroup", async () => {
    const all = [];
    for await (const s of b.client.listServices(b.scope.subscriptionId, b.scope.resourceGroupName)) all.push(s.name);
    assert.ok(all.includes(b.scope.serviceName));
  }],
  ["Services_Get", async () => {
    const s = await b.client.getService(b.scope);
    assert.equal(s.name, b.scope.serviceName);
    assert.equal(s.type, "Microsoft.ApiCenter/services");
    await rejectsWith(b.client.getService({ ...b.scope, serviceName: "no-such-service" }), "not_found");
  }],
  ["Services_CreateOrUpdate", async () => {
    const scope = { ...b.scope, serviceName: names.service };
    const first = await b.client.createOrUpdateService(scope, { location: "eastus" });
    assert.equal(first.created, true);
    assert.equal(first.resource.location, "eastus");
    const again = await b.client.createOrUpdateService(scope, { location: "eastus", tags: { team: "payments" } });
    assert.equal(again.created, false);
    assert.deepEqual(again.resource.tags, { team: "payments" });
    assert.equal(await b.client.exists(ref(scope, ["workspace", "default"])), true, "a new service has the default workspace");
  }, localOnly],
  ["Services_Update", async () => {
    const scope = live ? b.scope : { ...b.scope, serviceName: names.service };
    const before = await b.client.getService(scope);
    const updated = await b.client.updateService(scope, { tags: { ...(before.tags ?? {}), wire: suffix } });
    assert.equal(updated.tags?.wire, suffix);
  }],
  ["Services_Delete", async () => {
    const scope = { ...b.scope, serviceName: names.service };
    await b.client.delete(ref(scope));
    const gone = await rejectsWith(b.client.getService(scope), "not_found");
    assert.match(gone.message, new RegExp(`API Center service '${names.service}' was not found in resource group '${scope.resourceGroupName}'`));
  }, localOnly],
  ["MetadataSchemas_CreateOrUpdate", async () => {
    const { resource } = await b.client.createOrUpdate("metadataSchema", at().schema, {
      schema: JSON.stringify({ type: "string", title: "Team", enum: ["payments", "orders"] }),
      assignedTo: [{ entity: "api", required: false }],
    });
    assert.equal(resource.name, names.schema);
    assert.deepEqual(resource.properties.assignedTo?.[0]?.entity, "api");
  }],
  ["MetadataSchemas_Get", async () => {
    const s = await b.client.get("metadataSchema", at().schema);
    assert.match(s.properties.schema, /Team/);
  }],
  ["MetadataSchemas_Head", async () => {
    assert.equal(await b.client.exists(at().schema), true);
    assert.equal(await b.client.exists(ref(b.scope, ["metadataSchema", "no-such-schema"])), false);
  }],
  ["MetadataSchemas_List", async () => {
    const all = await b.client.listAll("metadataSchema", at().service);
    assert.ok(all.some((s) => s.name === names.schema));
  }],
  ["Services_ExportMetadataSchema", async () => {
    const out = await b.client.exportMetadataSchema(b.scope, "api");
    const schema = JSON.parse(out.value) as { properties: { customProperties: { properties: Record<string, unknown> } } };
    assert.ok(schema.properties.customProperties.properties[names.schema], "the exported api schema holds the custom property");
  }],
  ["Workspaces_CreateOrUpdate", async () => {
    const { resource } = await b.client.createOrUpdate("workspace", at().newWs, { title: "Wire workspace" });
    assert.equal(resource.properties.title, "Wire workspace");
  }, localOnly],
  ["Workspaces_Get", async () => {
    assert.equal((await b.client.get("workspace", at().ws)).name, "default");
  }],
  ["Workspaces_Head", async () => {
    assert.equal(await b.client.exists(at().ws), true);
  }],
  ["Workspaces_List", async () => {
    const all = await b.client.listAll("workspace", at().service);
    assert.ok(all.some((w) => w.name === "default"));
  }],
  ["Workspaces_Delete", async () => {
    await b.client.delete(at().newWs);
    assert.equal(await b.client.exists(at().newWs), false);
  }, localOnly],
  ["Apis_CreateOrUpdate", async () => {
    const { resource, etag } = await b.client.createOrUpdate("api", at().api, {
      title: "Wire API",
      kind: "rest",
      summary: "Made by the wire tests",
      contacts: [{ name: "Wire", email: "wire@example.com" }],
      customProperties: { [names.schema]: "payments" },
    });
    assert.equal(resource.properties.kind, "rest");
    assert.ok(etag, "PUT answers an etag");
    await rejectsWith(b.client.createOrUpdate("api", at().api, { title: "x", kind: "rest", customProperties: { [names.schema]: "nope" } }), "invalid_input");
  }],
  ["Apis_Get", async () => {
    const api = await b.client.get("api", at().api);
    assert.equal(api.properties.title, "Wire API");
    assert.deepEqual(api.properties.customProperties, { [names.schema]: "payments" });
  }],
  ["Apis_Head", async () => {
    assert.equal(await b.client.exists(at().api), true);
  }],
  ["Apis_List", async () => {
    const byName = await b.client.listAll("api", at().ws, { filter: `name eq '${names.api}'` });
    assert.deepEqual(byName.map((a) => a.name), [names.api]);
    const byKind = await b.client.listAll("api", at().ws, { filter: "kind eq 'graphql'" });
    assert.ok(!byKind.some((a) => a.name === names.api));
  }],
  ["ApiVersions_CreateOrUpdate", async () => {
    const { resource } = await b.client.createOrUpdate("version", at().version, { title: "1.0", lifecycleStage: "production" });
    assert.equal(resource.properties.lifecycleStage, "production");
    assert.equal((await b.client.get("api", at().api)).properties.lifecycleStage, "production", "the API's stage follows its version");
  }],
  ["ApiVersions_Get", async () => {
    assert.equal((await b.client.get("version", at().version)).properties.title, "1.0");
  }],
  ["ApiVersions_Head", async () => {
    assert.equal(await b.client.exists(at().version), true);
  }],
  ["ApiVersions_List", async () => {
    assert.deepEqual((await b.client.listAll("version", at().api)).map((v) => v.name), [names.version]);
  }],
  ["ApiDefinitions_CreateOrUpdate", async () => {
    const { resource } = await b.client.createOrUpdate("definition", at().definition, { title: "OpenAPI", description: "The contract" });
    assert.equal(resource.properties.title, "OpenAPI");
  }],
  ["ApiDefinitions_ImportSpecification", async () => {
    await b.client.importSpecification(at().definition, { format: "inline", value: PETSTORE });
    const def = await b.client.get("definition", at().definition);
    assert.equal(def.properties.specification?.name, "openapi");
    assert.equal(def.properties.specification?.version, "3.0.1");
  }],
  ["ApiDefinitions_ExportSpecification", async () => {
    const out = await b.client.exportSpecification(at().definition);
    assert.equal(out.value, PETSTORE, "the spec comes back byte for byte");
  }],
  ["ApiDefinitions_Get", async () => {
    assert.equal((await b.client.get("definition", at().definition)).properties.description, "The contract");
  }],
  ["ApiDefinitions_Head", async () => {
    assert.equal(await b.client.exists(at().definition), true);
  }],
  ["ApiDefinitions_List", async () => {
    assert.deepEqual((await b.client.listAll("definition", at().version)).map((d) => d.name), [names.definition]);
  }],
  ["Environments_CreateOrUpdate", async () => {
    const { resource } = await b.client.createOrUpdate("environment", at().environment, {
      title: "Production",
      kind: "production",
      server: { type: "Azure API Management", managementPortalUri: ["https://portal.example.com"] },
    });
    assert.equal(resource.properties.kind, "production");
  }],
  ["Environments_Get", async () => {
    assert.equal((await b.client.get("environment", at().environment)).properties.title, "Production");
  }],
  ["Environments_Head", async () => {
    assert.equal(await b.client.exists(at().environment), true);
  }],
  ["Environments_List", async () => {
    assert.ok((await b.client.listAll("environment", at().ws)).some((e) => e.name === names.environment));
  }],
  ["Deployments_CreateOrUpdate", async () => {
    const { resource } = await b.client.createOrUpdate("deployment", at().deployment, {
      title: "Production deployment",
      environmentId: `/workspaces/default/environments/${names.environment}`,
      definitionId: `/workspaces/default/apis/${names.api}/versions/${names.version}/definitions/${names.definition}`,
      state: "active",
      server: { runtimeUri: ["https://api.example.com"] },
    });
    assert.equal(resource.properties.environmentId, `/workspaces/default/environments/${names.environment}`);
  }],
  ["Deployments_Get", async () => {
    assert.deepEqual((await b.client.get("deployment", at().deployment)).properties.server?.runtimeUri, ["https://api.example.com"]);
  }],
  ["Deployments_Head", async () => {
    assert.equal(await b.client.exists(at().deployment), true);
  }],
  ["Deployments_List", async () => {
    assert.deepEqual((await b.client.listAll("deployment", at().api)).map((d) => d.name), [names.deployment]);
  }],
  ["Deployments_Delete", async () => {
    await b.client.delete(at().deployment);
    assert.equal(await b.client.exists(at().deployment), false);
  }],
  ["Environments_Delete", async () => {
    await b.client.delete(at().environment);
    assert.equal(await b.client.exists(at().environment), false);
  }],
  ["ApiDefinitions_Delete", async () => {
    await b.client.delete(at().definition);
    assert.equal(await b.client.exists(at().definition), false);
  }],
  ["ApiVersions_Delete", async () => {
    await b.client.delete(at().version);
    assert.equal(await b.client.exists(at().version), false);
  }],
  ["Apis_Delete", async () => {
    await b.client.delete(at().api);
    assert.equal(await b.client.exists(at().api), false);
    await rejectsWith(b.client.get("api", at().api), "not_found");
  }],
  ["MetadataSchemas_Delete", async () => {
    await b.client.delete(at().schema);
    assert.equal(await b.client.exists(at().schema), false);
  }],
];

describe(`ARM client x ${live ? "live Azure" : "local API Center over HTTP"}: every 2024-03-01 operation`, { skip: liveSkipReason() }, () => {
  before(async () => {
    b = await wireBackend();
  });
  after(async () => {
    await b?.close();
  });
  for (const [operationId, run, opts] of OPERATIONS) test(operationId, opts ?? {}, run);
});

test("the wire suite covers every operation of the 2024-03-01 swagger", needsShared, () => {
  assert.deepEqual([...new Set(OPERATIONS.map(([id]) => id))].sort(), swaggerOperationIds().sort());
});
