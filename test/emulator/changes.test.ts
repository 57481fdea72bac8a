/**
 * What the local API Center tells the inventory index: which resources changed (another process on
 * the same file included, through SQLite's data_version), the whole workspace in one read, and a
 * definition's lastModifiedAt moving when a spec is imported into it (as on live Azure).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import { LOCAL_SCOPE, ref } from "../helpers/backends.js";

const dir = mkdtempSync(join(tmpdir(), "apicenter-changes-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SVC = `/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}`;
const WS = `${SVC}/workspaces/default`;

async function send(api: LocalApiCenter, method: string, path: string, body?: unknown) {
  const res = await api.handle({ method, url: `https://local${path}?api-version=2024-03-01`, headers: { authorization: "Bearer t" }, ...(body ? { body: JSON.stringify(body) } : {}) });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.body}`);
  return res;
}

async function apiWithSpec(api: LocalApiCenter, name: string) {
  await send(api, "PUT", `${WS}/apis/${name}`, { properties: { title: name, kind: "rest" } });
  await send(api, "PUT", `${WS}/apis/${name}/versions/v1-0`, { properties: { title: "v1-0", lifecycleStage: "production" } });
  await send(api, "PUT", `${WS}/apis/${name}/versions/v1-0/definitions/openapi`, { properties: { title: "OpenAPI" } });
  await send(api, "POST", `${WS}/apis/${name}/versions/v1-0/definitions/openapi/importSpecification`, { format: "inline", value: '{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{}}' });
}

test("two processes on one file: each learns what the other changed, deletions and cascades included", async () => {
  const path = join(dir, "shared.db");
  const a = new LocalApiCenter({ db: path, seed: LOCAL_SCOPE });
  const b = new LocalApiCenter({ db: path, seed: LOCAL_SCOPE });
  try {
    const cursor = b.changeCursor();
    assert.equal(b.changedElsewhere(), false);
    await apiWithSpec(a, "orders");
    assert.equal(a.changedElsewhere(), false, "its own writes are not news to a process");
    assert.equal(b.changedElsewhere(), true);
    assert.equal(b.changedElsewhere(), false, "once per change");
    const found = b.changesSince(cursor)!;
    const orders = `${WS}/apis/orders`.toLowerCase();
    assert.ok(found.keys.includes(orders));
    assert.ok(found.keys.includes(`${orders}/versions/v1-0/definitions/openapi`));
    assert.deepEqual(b.changesSince(found.cursor)!.keys, []);
    await send(a, "DELETE", `${WS}/apis/orders`);
    assert.equal(b.changedElsewhere(), true);
    const deleted = b.changesSince(found.cursor)!.keys;
    assert.ok(deleted.includes(orders) && deleted.includes(`${orders}/versions/v1-0`), `the cascade is recorded: ${deleted.join(", ")}`);
  } finally {
    await a.close();
    await b.close();
  }
});

test("a position in another database's history is not taken for one in this", async () => {
  const one = new LocalApiCenter({ db: join(dir, "one.db"), seed: LOCAL_SCOPE });
  const two = new LocalApiCenter({ db: join(dir, "two.db"), seed: LOCAL_SCOPE });
  try {
    assert.equal(two.changesSince(one.changeCursor()), null);
    assert.equal(one.changesSince("garbage"), null);
    assert.deepEqual(one.changesSince(one.changeCursor())?.keys, []);
  } finally {
    await one.close();
    await two.close();
  }
});

test("importing a spec moves the definition's lastModifiedAt, as on live Azure", async () => {
  const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE });
  try {
    await apiWithSpec(api, "pets");
    const def = `${WS}/apis/pets/versions/v1-0/definitions/openapi`;
    const before = JSON.parse((await send(api, "GET", def)).body!).systemData.lastModifiedAt as string;
    await new Promise((r) => setTimeout(r, 5));
    await send(api, "POST", `${def}/importSpecification`, { format: "inline", value: '{"openapi":"3.0.3","info":{"title":"y","version":"2"},"paths":{}}' });
    const after = JSON.parse((await send(api, "GET", def)).body!).systemData.lastModifiedAt as string;
    assert.ok(after > before, `${before} -> ${after}`);
  } finally {
    await api.close();
  }
});

test("the whole workspace in one read, as ARM lists it, specs read only when asked", async () => {
  const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE });
  try {
    await apiWithSpec(api, "alpha");
    await apiWithSpec(api, "bravo");
    await send(api, "PUT", `${WS}/environments/prod`, { properties: { title: "Prod", kind: "production" } });
    await send(api, "PUT", `${WS}/apis/bravo/deployments/live`, { properties: { title: "Live", environmentId: "/workspaces/default/environments/prod", definitionId: "/workspaces/default/apis/bravo/versions/v1-0/definitions/openapi" } });
    await send(api, "PUT", `${SVC}/metadataSchemas/team`, { properties: { schema: '{"type":"string"}', assignedTo: [{ entity: "api" }] } });
    const tree = api.readWorkspace(ref(LOCAL_SCOPE, ["workspace", "default"]))!;
    assert.deepEqual(tree.apis.map((a) => a.resource.name), ["alpha", "bravo"]);
    const bravo = tree.apis[1]!;
    assert.deepEqual(bravo.deployments.map((d) => d.name), ["live"]);
    assert.equal(bravo.versions[0]!.resource.properties.lifecycleStage, "production");
    const listed = JSON.parse((await send(api, "GET", `${WS}/apis/bravo/versions/v1-0/definitions`)).body!).value[0];
    const read = bravo.versions[0]!.definitions[0]!;
    assert.deepEqual({ name: read.resource.name, properties: read.resource.properties, systemData: read.resource.systemData }, { name: listed.name, properties: listed.properties, systemData: listed.systemData });
    assert.match(read.spec()!, /"title":"x"/);
    assert.deepEqual(tree.environments.map((e) => e.name), ["prod"]);
    assert.deepEqual(tree.metadataSchemas.map((m) => m.name), ["team"]);
    assert.equal(api.readWorkspace(ref(LOCAL_SCOPE, ["workspace", "nowhere"])), null);
  } finally {
    await api.close();
  }
});
