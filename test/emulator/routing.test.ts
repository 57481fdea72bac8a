/** The local ARM's front: URL grammar, the Microsoft.ApiCenter routes, and the order of the request pipeline. */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { ApimReader } from "../../src/emulator/apim/reader.js";
import { ApimResources } from "../../src/emulator/apim/resources.js";
import { ApimImports } from "../../src/emulator/apicenter/apim-import.js";
import { ApiSources } from "../../src/emulator/apicenter/api-sources.js";
import { ApiCenterProvider, apiCenterRoute } from "../../src/emulator/apicenter/provider.js";
import { ApiCenterResources } from "../../src/emulator/apicenter/resources.js";
import { SpecOperations } from "../../src/emulator/apicenter/specs.js";
import { RoleAssignments } from "../../src/emulator/authorization/provider.js";
import { openDb } from "../../src/emulator/db.js";
import { answerFaults, pipeline, requireApiVersion, requireBearer, routeWith, type Step } from "../../src/emulator/pipeline.js";
import { Router, parseArmPath, type ArmPath } from "../../src/emulator/router.js";
import { Store } from "../../src/emulator/store.js";
import { fail } from "../../src/emulator/wire.js";
import { LOCAL_SCOPE } from "../helpers/backends.js";

const SUB = `/subscriptions/${LOCAL_SCOPE.subscriptionId}`;
const RG = `${SUB}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}`;
const SVC = `${RG}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}`;
const path = (p: string): ArmPath => parseArmPath(p)!;

describe("ARM URL grammar", () => {
  test("splits the tenant, subscription and resource-group scopes at the provider namespace", () => {
    assert.deepEqual(parseArmPath("/providers/Microsoft.ApiCenter/operations"), { namespace: "Microsoft.ApiCenter", segments: ["operations"] });
    assert.deepEqual(parseArmPath(`${SUB}/providers/Microsoft.ApiCenter/services`), {
      subscriptionId: LOCAL_SCOPE.subscriptionId,
      namespace: "Microsoft.ApiCenter",
      segments: ["services"],
    });
    assert.deepEqual(parseArmPath("/SUBSCRIPTIONS/s/RESOURCEGROUPS/my%20rg/PROVIDERS/microsoft.apicenter/services/a"), {
      subscriptionId: "s",
      resourceGroupName: "my rg",
      namespace: "microsoft.apicenter",
      segments: ["services", "a"],
    });
  });
  test("refuses paths that name no provider", () => {
    for (const p of ["/", "/providers", "/subscriptions", "/subscriptions/s", `${RG}`, `${RG}/providers`, "/tenants/t/providers/x"]) {
      assert.equal(parseArmPath(p), null, p);
    }
  });
});

describe("Microsoft.ApiCenter routes", () => {
  test("each URL shape of 2024-03-01 names its operation", () => {
    assert.deepEqual(apiCenterRoute(path("/providers/Microsoft.ApiCenter/operations")), { op: "providerOperations" });
    assert.deepEqual(apiCenterRoute(path(`${SUB}/providers/Microsoft.ApiCenter/services`)), { op: "listServices", scopeKey: SUB.toLowerCase() });
    assert.deepEqual(apiCenterRoute(path(`${RG}/providers/Microsoft.ApiCenter/Services`)), { op: "listServices", scopeKey: RG.toLowerCase() });
    const api = apiCenterRoute(path(`${SVC}/workspaces/default/apis/echo`));
    assert.equal(api?.op, "resource");
    assert.deepEqual(api?.op === "resource" && api.ref.chain.map((c) => c.kind), ["service", "workspace", "api"]);
    const versions = apiCenterRoute(path(`${SVC}/workspaces/default/apis/echo/versions`));
    assert.ok(versions?.op === "collection" && versions.kind === "version" && versions.parent.chain.length === 3);
    const action = apiCenterRoute(path(`${SVC}/exportMetadataSchema`));
    assert.ok(action?.op === "action" && action.action === "exportMetadataSchema");
    const poll = apiCenterRoute(path(`${SVC}/workspaces/default/apis/a/versions/v/definitions/d/operationResults/abc`));
    assert.ok(poll?.op === "operationResult" && poll.operationId === "abc" && poll.ref.chain.length === 5);
  });
  test("anything else is not this provider's", () => {
    for (const p of [
      `${SUB}/providers/Microsoft.ApiCenter/services/x`,
      `${SUB}/providers/Microsoft.ApiCenter/operations`,
      `${RG}/providers/Microsoft.ApiCenter/workspaces/x`,
      `${SVC}/workspaces/default/apis/a/b/c`,
      `${SVC}/workspaces/default/apis/a/operationResults/x/y`,
    ]) {
      assert.equal(apiCenterRoute(path(p)), null, p);
    }
  });
});

describe("the request pipeline", () => {
  const store = new Store(openDb(":memory:"));
  const resources = new ApiCenterResources(store);
  resources.seed(LOCAL_SCOPE);
  const specs = new SpecOperations(store, 1024 * 1024);
  const imports = new ApimImports(resources, specs, new ApimReader(new ApimResources(store)), new RoleAssignments(store));
  const sources = new ApiSources(resources, imports, { firstSyncMs: 0, intervalMs: 0 });
  const router = new Router([new ApiCenterProvider(resources, specs, imports, sources, { pageSize: 10 })]);
  after(() => store.close());

  // A step where throttling would sit: after routing, before the provider.
  const seen: string[] = [];
  const afterRouting: Step = async (ex, next) => {
    seen.push(`${ex.route.provider.namespace} ${ex.route.path.subscriptionId}`);
    if (ex.req.headers["x-refuse"]) return fail(429, "TooManyRequests", "refused before the provider ran");
    if (ex.req.headers["x-fault"]) throw new Error("step fault");
    const answer = await next();
    return { ...answer, headers: { ...answer.headers, "x-seen": "yes" } };
  };
  const handle = pipeline([answerFaults, requireBearer, routeWith(router), requireApiVersion, afterRouting]);
  const send = (method: string, p: string, headers: Record<string, string> = {}, query = "?api-version=2024-03-01", body?: unknown) =>
    handle({ method, url: `https://local${p}${query}`, headers: { authorization: "Bearer t", ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) });

  test("a step after routing knows the subscription and provider, and sees every answer", async () => {
    const got = await send("GET", `${SVC}/workspaces/default`);
    assert.equal(got.status, 200);
    assert.equal(got.headers["x-seen"], "yes");
    assert.deepEqual(seen, [`Microsoft.ApiCenter ${LOCAL_SCOPE.subscriptionId}`]);
  });
  test("a step may answer on its own, and then the provider does nothing", async () => {
    const refused = await send("PUT", `${SVC}/workspaces/default/apis/refused`, { "x-refuse": "1" }, undefined, { properties: { title: "x", kind: "rest" } });
    assert.equal(refused.status, 429);
    assert.equal((await send("GET", `${SVC}/workspaces/default/apis/refused`)).status, 404);
  });
  test("authentication, routing and the api-version are settled before later steps run", async () => {
    seen.length = 0;
    assert.equal((await handle({ method: "GET", url: `https://local${SVC}?api-version=2024-03-01`, headers: {} })).status, 401);
    const unknown = await send("GET", `${RG}/providers/Microsoft.Nothing/things/x`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body!, /InvalidResourceType.*namespace 'Microsoft.ApiCenter'/);
    assert.equal((await send("GET", SVC, {}, "?api-version=2021-01-01")).status, 400);
    assert.deepEqual(seen, []);
  });
  test("a fault anywhere answers 500 in the ARM envelope", async () => {
    const got = await send("GET", SVC, { "x-fault": "1" });
    assert.equal(got.status, 500);
    assert.deepEqual(JSON.parse(got.body!), { error: { code: "InternalServerError", message: "the local API Center failed: step fault" } });
  });
});
