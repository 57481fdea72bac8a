/** ARM semantics of the local API Center, over HTTP: what live Azure does that a naive store would not. */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { DomainError } from "../../src/domain/errors.js";
import { LOCAL_SCOPE, ref, startEmulator } from "../helpers/backends.js";

type Emu = Awaited<ReturnType<typeof startEmulator>>;
let emu: Emu;
const SVC = `/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}`;
const WS = `${SVC}/workspaces/default`;
const ws = () => ref(LOCAL_SCOPE, ["workspace", "default"]);
const api = (name: string) => ref(LOCAL_SCOPE, ["workspace", "default"], ["api", name]);
const version = (a: string, v: string) => ref(LOCAL_SCOPE, ["workspace", "default"], ["api", a], ["version", v]);
const definition = (a: string, v: string, d: string) =>
  ref(LOCAL_SCOPE, ["workspace", "default"], ["api", a], ["version", v], ["definition", d]);

async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, apiVersion = "2024-03-01") {
  const sep = path.includes("?") ? "&" : "?";
  const res = await fetch(`${emu.http.url}${path}${apiVersion ? `${sep}api-version=${apiVersion}` : ""}`, {
    method,
    headers: { authorization: "Bearer t", "content-type": "application/json", ...headers },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

async function rejects(p: Promise<unknown>, kind: DomainError["kind"], pattern?: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DomainError);
    assert.equal(e.kind, kind, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

before(async () => {
  // The document server of the link-import tests runs on this machine.
  emu = await startEmulator({ pageSize: 4, allowFetchHosts: ["127.0.0.1"] });
});
after(async () => {
  await emu.close();
});

describe("validation answers 400 with the ARM envelope and names the fix", () => {
  test("invalid names", async () => {
    const r = await raw("PUT", `${WS}/apis/a_b`, { properties: { title: "x", kind: "rest" } });
    assert.equal(r.status, 400);
    assert.equal(r.json?.error.code, "InvalidResourceName");
    assert.match(r.json?.error.message, /3 to 90 letters, digits or hyphens/);
  });
  test("missing required properties, bad enum values, bad JSON", async () => {
    const noTitle = await raw("PUT", `${WS}/apis/no-title`, { properties: { kind: "rest" } });
    assert.equal(noTitle.status, 400);
    assert.match(noTitle.json?.error.message, /properties\.title/);
    const badKind = await raw("PUT", `${WS}/apis/bad-kind`, { properties: { title: "x", kind: "carrier-pigeon" } });
    assert.equal(badKind.status, 400);
    assert.match(badKind.json?.error.message, /properties\.kind: must be one of 'rest'/);
    const notJson = await raw("PUT", `${WS}/apis/not-json`, "{oops");
    assert.equal(notJson.json?.error.code, "InvalidRequestContent");
    const badStage = await raw("PUT", `${WS}/apis/no-title/versions/v-1-0`, { properties: { title: "x", lifecycleStage: "alpha" } });
    assert.equal(badStage.status, 404, "the parent API was never created");
  });
  test("api-version missing or unknown", async () => {
    assert.equal((await raw("GET", WS, undefined, {}, "")).json?.error.code, "MissingApiVersionParameter");
    const old = await raw("GET", WS, undefined, {}, "2023-07-01-preview");
    assert.equal(old.status, 400);
    assert.equal(old.json?.error.code, "InvalidApiVersionParameter");
    assert.match(old.json?.error.message, /2024-03-01/);
  });
  test("no bearer token answers 401", async () => {
    const res = await fetch(`${emu.http.url}${WS}?api-version=2024-03-01`);
    assert.equal(res.status, 401);
  });
  test("nothing is written when a request is refused", async () => {
    assert.equal(await emu.client.exists(api("no-title")), false);
    assert.equal(await emu.client.exists(api("bad-kind")), false);
  });
});

describe("hierarchy", () => {
  test("a child needs its parent; a missing service answers the standard envelope", async () => {
    const orphan = await raw("PUT", `${WS}/apis/ghost/versions/v-one`, { properties: { title: "x", lifecycleStage: "design" } });
    assert.equal(orphan.status, 404);
    assert.equal(orphan.json?.error.code, "ParentResourceNotFound");
    const missingChild = await raw("GET", `${WS}/apis/ghost`);
    assert.deepEqual(missingChild.json?.code, "404");
    const noService = await raw("GET", SVC.replace(/contoso$/, "nowhere"));
    assert.equal(noService.json?.error.code, "ResourceNotFound");
  });

  test("status codes as live Azure answers them, and deletes cascade", async () => {
    const put = await raw("PUT", `${WS}/apis/cascade`, { properties: { title: "Cascade", kind: "rest" } });
    assert.equal(put.status, 200, "a child PUT answers 200 even on create");
    assert.ok(put.headers.get("etag"));
    assert.ok(put.headers.get("api-supported-versions")?.includes("2024-03-01"));
    await emu.client.createOrUpdate("version", version("cascade", "v-1-0"), { title: "1.0", lifecycleStage: "design" });
    await emu.client.createOrUpdate("definition", definition("cascade", "v-1-0", "openapi"), { title: "OpenAPI" });
    await emu.client.importSpecification(definition("cascade", "v-1-0", "openapi"), { value: '{"openapi":"3.0.0"}' });
    await emu.client.createOrUpdate("deployment", ref(LOCAL_SCOPE, ["workspace", "default"], ["api", "cascade"], ["deployment", "prod"]), {
      title: "Prod",
      environmentId: "/workspaces/default/environments/prod",
    });
    const delDef = await raw("DELETE", `${WS}/apis/cascade/versions/v-1-0/definitions/openapi`);
    assert.equal(delDef.status, 200, "definitions answer 200 on delete");
    await emu.client.createOrUpdate("definition", definition("cascade", "v-1-0", "openapi"), { title: "OpenAPI" });
    await rejects(emu.client.exportSpecification(definition("cascade", "v-1-0", "openapi")), "not_found", /no specification yet/);
    const delApi = await raw("DELETE", `${WS}/apis/cascade`);
    assert.equal(delApi.status, 204, "APIs answer 204 on delete");
    assert.equal(await emu.client.exists(version("cascade", "v-1-0")), false);
    assert.equal((emu.api.store.db.prepare("SELECT count(*) AS n FROM resources WHERE key LIKE '%/apis/cascade%'").get() as { n: number }).n, 0);
    assert.equal((emu.api.store.db.prepare("SELECT count(*) AS n FROM specs").get() as { n: number }).n, 0, "specs go with their definition");
    assert.equal((await raw("DELETE", `${WS}/apis/cascade`)).status, 204, "deleting what is gone is not an error");
  });

  test("a service PUT answers 201 then 200, and deleting a service removes everything in it", async () => {
    const path = SVC.replace(/contoso$/, "doomed");
    assert.equal((await raw("PUT", path, { location: "westeurope" })).status, 201);
    assert.equal((await raw("PUT", path, { location: "westeurope", tags: { a: "b" } })).status, 200);
    const moved = await raw("PUT", path, { location: "eastus" });
    assert.equal(moved.status, 400, "a service cannot move");
    await raw("PUT", `${path}/workspaces/default/apis/inside`, { properties: { title: "x", kind: "rest" } });
    assert.equal((await raw("DELETE", path)).status, 200);
    assert.equal((await raw("GET", `${path}/workspaces/default/apis/inside`)).status, 404);
  });
});

describe("derived and normalised state", () => {
  test("an API's lifecycle stage is read-only and follows its most recently written version", async () => {
    await emu.client.createOrUpdate("api", api("staged"), { title: "Staged", kind: "rest", lifecycleStage: "retired" });
    assert.equal((await emu.client.get("api", api("staged"))).properties.lifecycleStage, undefined, "a client cannot set it");
    await emu.client.createOrUpdate("version", version("staged", "v-1-0"), { title: "1", lifecycleStage: "production" });
    await emu.client.createOrUpdate("version", version("staged", "v-2-0"), { title: "2", lifecycleStage: "preview" });
    assert.equal((await emu.client.get("api", api("staged"))).properties.lifecycleStage, "preview");
    await emu.client.delete(version("staged", "v-2-0"));
    assert.equal((await emu.client.get("api", api("staged"))).properties.lifecycleStage, "production");
  });

  test("deployment references are stored workspace-relative, whatever form they were sent in", async () => {
    const dep = ref(LOCAL_SCOPE, ["workspace", "default"], ["api", "staged"], ["deployment", "dep-one"]);
    const { resource } = await emu.client.createOrUpdate("deployment", dep, {
      title: "One",
      environmentId: `${SVC}/workspaces/default/environments/prod`,
      definitionId: "/workspaces/default/apis/staged/versions/v-1-0/definitions/openapi",
    });
    assert.equal(resource.properties.environmentId, "/workspaces/default/environments/prod");
    assert.equal(resource.properties.recommended, false);
    await rejects(emu.client.createOrUpdate("deployment", dep, { title: "x", environmentId: "/workspaces/default/apis/staged" }), "invalid_input", /not a environment id/);
  });

  test("etags: If-Match guards against lost updates", async () => {
    const first = await emu.client.createOrUpdate("api", api("guarded"), { title: "One", kind: "rest" });
    const second = await emu.client.createOrUpdate("api", api("guarded"), { title: "Two", kind: "rest" }, { ifMatch: first.etag! });
    assert.notEqual(second.etag, first.etag);
    await rejects(emu.client.createOrUpdate("api", api("guarded"), { title: "Three", kind: "rest" }, { ifMatch: first.etag! }), "precondition_failed");
    await rejects(emu.client.createOrUpdate("api", api("guarded"), { title: "Four", kind: "rest" }, { ifNoneMatch: "*" }), "precondition_failed");
    assert.equal((await emu.client.get("api", api("guarded"))).properties.title, "Two");
  });
});

describe("lists", () => {
  test("pages follow nextLink in creation order; $top sets the page size", async () => {
    for (let i = 0; i < 9; i++) await emu.client.createOrUpdate("environment", ref(LOCAL_SCOPE, ["workspace", "default"], ["environment", `env-${i}`]), { title: `Env ${i}`, kind: i % 2 ? "production" : "development" });
    const first = await raw("GET", `${WS}/environments?$top=5`);
    assert.equal(first.json?.value.length, 5);
    assert.ok(first.json?.nextLink);
    const all = await emu.client.listAll("environment", ws());
    assert.deepEqual(all.map((e) => e.name), Array.from({ length: 9 }, (_, i) => `env-${i}`), "the client follows every page (page size 4)");
    assert.equal((await raw("GET", `${WS}/environments?$top=0`)).status, 400);
  });

  test("$filter: eq, ne, and, or, not, contains, case-insensitive values", async () => {
    const names = async (filter: string) => (await emu.client.listAll("environment", ws(), { filter })).map((e) => e.name);
    assert.deepEqual(await names("name eq 'ENV-3'"), ["env-3"]);
    assert.deepEqual(await names("kind eq 'production' and (name eq 'env-1' or name eq 'env-2')"), ["env-1"]);
    assert.equal((await names("properties/kind ne 'production'")).length, 5);
    assert.deepEqual(await names("not (kind eq 'development') and contains(title, 'v 7')"), ["env-7"]);
    const bad = await raw("GET", `${WS}/environments?$filter=${encodeURIComponent("kind eq")}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json?.error.code, "InvalidFilter");
  });
});

describe("custom properties are checked against the metadata schemas assigned to the entity", () => {
  test("required, typed, and known", async () => {
    await emu.client.createOrUpdate("metadataSchema", ref(LOCAL_SCOPE, ["metadataSchema", "owner-team"]), {
      schema: JSON.stringify({ type: "string", enum: ["payments", "orders"] }),
      assignedTo: [{ entity: "api", required: true }, { entity: "environment" }],
    });
    await rejects(emu.client.createOrUpdate("api", api("governed"), { title: "G", kind: "rest" }), "invalid_input", /owner-team is required/);
    await rejects(emu.client.createOrUpdate("api", api("governed"), { title: "G", kind: "rest", customProperties: { "owner-team": "marketing" } }), "invalid_input", /does not match/);
    await rejects(
      emu.client.createOrUpdate("api", api("governed"), { title: "G", kind: "rest", customProperties: { "owner-team": "orders", colour: "blue" } }),
      "invalid_input",
      /colour is not defined/,
    );
    const ok = await emu.client.createOrUpdate("api", api("governed"), { title: "G", kind: "rest", customProperties: { "owner-team": "orders" } });
    assert.deepEqual(ok.resource.properties.customProperties, { "owner-team": "orders" });
    const exported = JSON.parse((await emu.client.exportMetadataSchema(LOCAL_SCOPE, "api")).value);
    assert.deepEqual(exported.properties.customProperties.required, ["owner-team"]);
    const envSchema = JSON.parse((await emu.client.exportMetadataSchema(LOCAL_SCOPE, "environment")).value);
    assert.deepEqual(envSchema.properties.customProperties.required, []);
    await emu.client.delete(ref(LOCAL_SCOPE, ["metadataSchema", "owner-team"]));
  });

  test("a schema that is not JSON Schema is refused", async () => {
    await rejects(emu.client.createOrUpdate("metadataSchema", ref(LOCAL_SCOPE, ["metadataSchema", "broken"]), { schema: "{type: string}" }), "invalid_input", /not valid JSON/);
    await rejects(emu.client.createOrUpdate("metadataSchema", ref(LOCAL_SCOPE, ["metadataSchema", "broken"]), { schema: '{"type": 12}' }), "invalid_input", /not a valid JSON Schema/);
  });
});

describe("specification import and export", () => {
  const docs = new Map<string, { status: number; body: string }>();
  let server: ReturnType<typeof createServer>;
  let base = "";
  before(async () => {
    server = createServer((req, res) => {
      const doc = docs.get(req.url ?? "") ?? { status: 404, body: "not found" };
      res.writeHead(doc.status);
      res.end(doc.body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await emu.client.createOrUpdate("api", api("specs"), { title: "Specs", kind: "rest" });
    await emu.client.createOrUpdate("version", version("specs", "v-1-0"), { title: "1", lifecycleStage: "design" });
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test("inline content comes back byte for byte, and its kind is detected", async () => {
    const d = definition("specs", "v-1-0", "inline");
    await emu.client.createOrUpdate("definition", d, { title: "Inline" });
    const text = "openapi: 3.0.3\r\ninfo:\r\n  title: Ünïcødé ✓\r\n  version: '1'\r\npaths: {}\r\n";
    await emu.client.importSpecification(d, { format: "inline", value: text });
    assert.equal((await emu.client.exportSpecification(d)).value, text);
    assert.deepEqual((await emu.client.get("definition", d)).properties.specification, { name: "openapi", version: "3.0.3" });
    await rejects(emu.client.importSpecification(d, { format: "inline", value: "just words" }), "invalid_input", /could not tell what kind of specification/);
    assert.equal((await emu.client.exportSpecification(d)).value, text, "a refused import leaves the old spec");
  });

  test("a link import answers 202 and is polled to completion", async () => {
    const d = definition("specs", "v-1-0", "linked");
    await emu.client.createOrUpdate("definition", d, { title: "Linked" });
    const spec = JSON.stringify({ asyncapi: "2.6.0", info: { title: "Events", version: "1" }, channels: {} });
    docs.set("/events.json", { status: 200, body: spec });
    const first = await raw("POST", `${WS}/apis/specs/versions/v-1-0/definitions/linked/importSpecification`, { format: "link", value: `${base}/events.json` });
    assert.equal(first.status, 202);
    assert.match(first.headers.get("location") ?? "", /\/operationResults\/[0-9a-f]+\?api-version=2024-03-01$/);
    const statuses: string[] = [];
    await emu.client.importSpecification(d, { format: "link", value: `${base}/events.json` }, { onProgress: (p) => statuses.push(p.status) });
    assert.equal(statuses[statuses.length - 1], "Succeeded");
    assert.equal((await emu.client.exportSpecification(d)).value, spec);
    assert.deepEqual((await emu.client.get("definition", d)).properties.specification, { name: "asyncapi", version: "2.6.0" });
  });

  test("a link that fails ends the operation Failed, with the reason", async () => {
    const d = definition("specs", "v-1-0", "linked");
    await rejects(emu.client.importSpecification(d, { format: "link", value: `${base}/missing.json` }), "invalid_input", /answered HTTP 404/);
    await rejects(emu.client.importSpecification(d, { format: "link", value: "ftp://example.com/x" }), "invalid_input", /not an http\(s\) URL/);
  });

  test("a multi-megabyte spec round-trips", async () => {
    const d = definition("specs", "v-1-0", "big");
    await emu.client.createOrUpdate("definition", d, { title: "Big" });
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 20000; i++) paths[`/things/${i}`] = { get: { operationId: `getThing${i}`, summary: "x".repeat(200), responses: { "200": { description: "ok" } } } };
    const big = JSON.stringify({ openapi: "3.1.0", info: { title: "Big", version: "1" }, paths });
    assert.ok(big.length > 5_000_000);
    await emu.client.importSpecification(d, { value: big });
    assert.equal((await emu.client.exportSpecification(d)).value, big);
  });
});
