/**
 * The inventory index under concurrency and faults, over a real local API Center: a write made
 * through the server is in the next answer however many readers arrive at once; a re-read that fails
 * keeps its mark; a crawl that meets resets and 429s answers from what it read, names what is
 * missing and reads it later; unchanged specs are not exported again; list_apis answers from it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createHttpHeaders, type HttpClient, type PipelineRequest } from "@azure/core-rest-pipeline";
import { ApiCenterArmClient } from "../../../src/azure/arm-client.js";
import { ArmGateway } from "../../../src/azure/gateway.js";
import { inProcessHttpClient } from "../../../src/azure/in-process.js";
import { LocalTokenCredential } from "../../../src/azure/pipeline.js";
import { Curation } from "../../../src/domain/curation.js";
import { Intelligence } from "../../../src/domain/intelligence/intelligence.js";
import { audit } from "../../../src/domain/intelligence/audit.js";
import { InventoryIndex, type IndexOptions } from "../../../src/domain/intelligence/inventory-index.js";
import { Inventory } from "../../../src/domain/inventory.js";
import { LocalApiCenter } from "../../../src/emulator/local-api-center.js";
import { SpectralLinter } from "../../../src/spectral/spectral-linter.js";
import { LOCAL_SCOPE } from "../../helpers/backends.js";
import { openapi } from "../../helpers/domain.js";

const ws = { workspace: "default" };
const SERVICE = { subscriptionId: LOCAL_SCOPE.subscriptionId, resourceGroup: LOCAL_SCOPE.resourceGroupName, serviceName: LOCAL_SCOPE.serviceName };

/** Decides, per request, whether the transport fails it instead of delivering it. */
export type Fault = (req: PipelineRequest) => "reset" | "throttle" | null;

/** The domain over an in-process local API Center whose transport fails what `fault` says, with no retries. */
function setup(opts: { index?: IndexOptions; db?: LocalApiCenter } = {}) {
  const api = opts.db ?? new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE });
  const real = inProcessHttpClient((r) => api.handle(r));
  const state: { fault: Fault; requests: PipelineRequest[] } = { fault: () => null, requests: [] };
  const httpClient: HttpClient = {
    async sendRequest(request) {
      state.requests.push(request);
      const fault = state.fault(request);
      if (fault === "reset") throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      if (fault === "throttle") {
        const body = JSON.stringify({ error: { code: "SubscriptionRequestsThrottled", message: "Number of 'read' requests exceeded." } });
        return { request, status: 429, headers: createHttpHeaders({ "retry-after": "1" }), bodyAsText: body };
      }
      return real.sendRequest(request);
    },
  };
  const client = new ApiCenterArmClient({ endpoint: "https://local-api-center.invalid", credential: new LocalTokenCredential(), httpClient, maxRetries: 0 });
  const gateway = new ArmGateway(client, SERVICE, "test");
  const index = new InventoryIndex(gateway, opts.index);
  return {
    api,
    state,
    gateway,
    index,
    inventory: new Inventory(gateway, index),
    curation: new Curation(gateway, (kind, path) => index.invalidate(kind, path)),
    intelligence: new Intelligence(gateway, index, new SpectralLinter()),
    close: () => api.close(),
  };
}

/** A seeded random number generator, so a run's faults can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

async function seed(d: ReturnType<typeof setup>, n: number) {
  for (let i = 0; i < n; i++) {
    await d.curation.registerApi({
      ...ws,
      apiName: `api-${i}`,
      title: `Api ${i}`,
      kind: "rest",
      version: { name: "v1-0", lifecycleStage: "production" },
      spec: { content: openapi(`Api ${i}`, { [`/things-${i}`]: { get: { operationId: `list-things-${i}`, responses: { "200": { description: "ok" } } } } }) },
    });
  }
}

describe("a write made through the server is in the next answer", () => {
  let d: ReturnType<typeof setup>;
  before(async () => {
    d = setup();
    await seed(d, 5);
    await d.intelligence.search({ ...ws, query: "api", limit: 1 });
  });
  after(() => d.close());

  test("50 rounds of a write, then two searches at once: both see it", async () => {
    const misses: string[] = [];
    for (let round = 0; round < 50; round++) {
      const word = `zebra${round}x`;
      await d.curation.registerApi({ ...ws, apiName: `race-${round}`, title: `Race ${round}`, summary: `the ${word} api` });
      const [a, b] = await Promise.all([d.intelligence.search({ ...ws, query: word, limit: 5 }), d.intelligence.search({ ...ws, query: word, limit: 5 })]);
      if (a.total !== 1) misses.push(`round ${round}: first search`);
      if (b.total !== 1) misses.push(`round ${round}: second search`);
    }
    assert.deepEqual(misses, []);
  });

  test("a write landing while another reader's re-read runs is in the answer of a reader that comes after it", async () => {
    const misses: string[] = [];
    for (let round = 0; round < 20; round++) {
      await d.curation.registerApi({ ...ws, apiName: `first-${round}`, title: `First ${round}` });
      const early = d.intelligence.search({ ...ws, query: `first ${round}`, limit: 5 });
      await d.curation.registerApi({ ...ws, apiName: `second-${round}`, title: `Second ${round}`, summary: `okapi${round}q` });
      const late = await d.intelligence.search({ ...ws, query: `okapi${round}q`, limit: 5 });
      if (late.total !== 1) misses.push(`round ${round}`);
      await early;
    }
    assert.deepEqual(misses, []);
  });

  test("a re-read that fails keeps the mark: the answer says what is stale, and the next one has the write", async () => {
    await d.curation.registerApi({ ...ws, apiName: "flaky", title: "Flaky", summary: "before" });
    await d.intelligence.search({ ...ws, query: "flaky", limit: 1 });
    await d.curation.registerApi({ ...ws, apiName: "flaky", title: "Flaky", summary: "afterwards quokka" });
    d.state.fault = (req) => (/\/apis\/flaky(\?|\/versions\?)/.test(req.url) && req.method === "GET" ? "reset" : null);
    const stale = await d.intelligence.search({ ...ws, query: "quokka", limit: 5 });
    assert.equal(stale.total, 0, "the entry is as last read");
    assert.deepEqual(stale.freshness.missing?.apis, ["flaky"]);
    assert.match(stale.freshness.missing!.reason, /could not be reached|socket hang up|ECONNRESET/);
    d.state.fault = () => null;
    const fresh = await d.intelligence.search({ ...ws, query: "quokka", limit: 5 });
    assert.deepEqual(fresh.results.map((r) => r.name), ["flaky"]);
    assert.equal(fresh.freshness.missing, undefined);
  });

  test("deletes and metadata schemas are seen at once too", async () => {
    await d.curation.delete("api", { ...ws, api: "flaky" });
    assert.equal((await d.intelligence.search({ ...ws, query: "quokka", limit: 5 })).total, 0);
    await d.curation.defineMetadata(ws, "tier", { type: "string" }, [{ entity: "api", required: true }]);
    const audit = await d.intelligence.audit({ ...ws, rules: ["custom-property-missing"] });
    assert.ok(audit.findings.some((f) => f.entities.some((e) => e.property === "tier")), "the new required property is audited");
  });
});

describe("a crawl is not all or nothing", () => {
  test("with 20% of calls reset or throttled, the answer comes from what was read, names what is missing, and the rest is read later", async () => {
    const clock = { ms: Date.now() };
    const d = setup({ index: { now: () => clock.ms, concurrency: 4 } });
    try {
      await seed(d, 30);
      const random = rng(7);
      d.state.fault = (req) => {
        // The API list itself must answer for a first index to exist.
        if (/\/apis\?/.test(req.url)) return null;
        const r = random();
        return r < 0.1 ? "reset" : r < 0.2 ? "throttle" : null;
      };
      const first = await d.intelligence.search({ ...ws, query: "api", limit: 50 });
      assert.equal(first.freshness.apis, 30, "every API is in the index, read or not");
      assert.ok(first.freshness.missing && first.freshness.missing.count > 0, "some could not be read");
      const missing = first.freshness.missing!.apis;
      assert.ok(first.total >= 30, "the unread ones are found by their list row");
      d.state.fault = () => null;
      const soon = await d.intelligence.search({ ...ws, query: "api", limit: 1 });
      assert.equal(soon.freshness.missing?.count, first.freshness.missing!.count, "nothing is retried before its time");
      clock.ms += 31_000;
      let later = await d.intelligence.search({ ...ws, query: "api", limit: 1 });
      for (let i = 0; i < 100 && later.freshness.missing; i++) {
        await new Promise((r) => setTimeout(r, 10));
        later = await d.intelligence.search({ ...ws, query: "api", limit: 1 });
      }
      assert.equal(later.freshness.missing, undefined, `read later: ${missing.join(", ")}`);
      const audit = await d.intelligence.audit(ws);
      assert.equal(audit.findings.filter((f) => f.rule === "api-without-versions").length, 0, "no API is taken for one without versions");
    } finally {
      await d.close();
    }
  });

  test("the audit does not judge an API it could not read", async () => {
    const d = setup();
    try {
      await seed(d, 3);
      d.state.fault = (req) => (/\/apis\/api-1\/versions\?/.test(req.url) ? "reset" : null);
      const audit = await d.intelligence.audit(ws);
      assert.deepEqual(audit.freshness.missing?.apis, ["api-1"]);
      assert.ok(!audit.findings.some((f) => f.entities.some((e) => e.api === "api-1")), JSON.stringify(audit.findings));
    } finally {
      await d.close();
    }
  });

  test("an API list that fails: the first answer fails with the cause; later, the index it had answers and says so", async () => {
    const d = setup();
    try {
      await seed(d, 2);
      d.state.fault = (req) => (/\/apis\?/.test(req.url) ? "throttle" : null);
      await assert.rejects(d.intelligence.search({ ...ws, query: "api", limit: 1 }), /throttling/);
      d.state.fault = () => null;
      await d.intelligence.search({ ...ws, query: "api", limit: 1 });
      d.state.fault = (req) => (/\/apis\?/.test(req.url) ? "reset" : null);
      const stale = await d.intelligence.search({ ...ws, query: "api", limit: 1, refresh: true });
      assert.equal(stale.freshness.apis, 2);
      assert.deepEqual(stale.freshness.missing?.apis, ["(the API list)"]);
    } finally {
      await d.close();
    }
  });
});

describe("fewer calls per API", () => {
  test("a definition without a spec is not exported; an unchanged spec is not exported again; a new import is", async () => {
    const d = setup();
    try {
      await seed(d, 10);
      await d.gateway.put("definition", { ...ws, api: "api-0", version: "v1-0", definition: "graphql" }, { title: "No spec yet" });
      const first = await d.index.get(ws, { refresh: true });
      // 4 lists (APIs, environments, metadata schemas, API sources), then per API: versions,
      // deployments, definitions of its one version, one export.
      assert.equal(first.crawl.calls, 4 + 10 * 4);
      assert.equal(first.crawl.specsExported, 10);
      const again = await d.index.get(ws, { refresh: true });
      assert.equal(again.crawl.calls, 4 + 10 * 3, "no export: every spec is unchanged");
      assert.equal(again.crawl.specsReused, 10);
      // A spec imported behind the server's back (no mark): its lastModifiedAt moved, so it is exported again.
      await d.gateway.importSpecification({ ...ws, api: "api-3", version: "v1-0", definition: "openapi" }, { format: "inline", value: openapi("Api 3", { "/walruses": { get: { responses: { "200": { description: "ok" } } } } }) });
      const third = await d.index.get(ws, { refresh: true });
      assert.equal(third.crawl.specsExported, 1);
      const found = await d.intelligence.search({ ...ws, query: "walruses", limit: 5 });
      assert.deepEqual(found.results.map((r) => r.name), ["api-3"]);
    } finally {
      await d.close();
    }
  });
});

describe("list_apis from the index", () => {
  test("filters and pages over the index, states its age, and sees writes at once", async () => {
    const d = setup();
    try {
      await seed(d, 6);
      await d.curation.createEnvironment(ws, "prod", { title: "Production", kind: "production" });
      await d.curation.createDeployment(ws, { api: "api-2", deployment: "prod", environment: "prod", version: "v1-0", definition: "openapi", runtimeUris: ["https://x.example.com"] });
      const page = await d.inventory.listApis({ ...ws, limit: 4 });
      assert.equal(page.total, 6);
      assert.equal(page.apis.length, 4);
      assert.ok(page.nextCursor);
      assert.equal(typeof page.freshness.ageSeconds, "number");
      const next = await d.inventory.listApis({ ...ws, limit: 4, cursor: page.nextCursor! });
      assert.equal(next.apis.length, 2);
      const calls = d.state.requests.length;
      await d.inventory.listApis({ ...ws, text: "api 5" });
      assert.equal(d.state.requests.length, calls, "no ARM call: the index answers");
      assert.deepEqual((await d.inventory.listApis({ ...ws, environment: "PROD" })).apis.map((a) => a.name), ["api-2"]);
      await d.curation.registerApi({ ...ws, apiName: "late-comer", title: "Late", kind: "graphql" });
      const graphql = await d.inventory.listApis({ ...ws, kind: "graphql" });
      assert.deepEqual(graphql.apis.map((a) => a.name), ["late-comer"]);
      assert.equal(graphql.apis[0]!.versionCount, 0);
    } finally {
      await d.close();
    }
  });
});

test("the audit's per-API results, kept between audits, are those of a fresh audit after every kind of change", async () => {
  const d = setup();
  try {
    await seed(d, 8);
    await d.curation.createEnvironment(ws, "prod", { title: "Production", kind: "production" });
    await d.curation.createDeployment(ws, { api: "api-1", deployment: "live", environment: "prod", version: "v1-0", definition: "openapi", runtimeUris: ["https://x.example.com"] });
    const same = async (what: string) => {
      const kept = await d.intelligence.audit(ws);
      const fresh = audit(await d.index.get(ws));
      assert.deepEqual(kept.findings, fresh, what);
      return kept.findings;
    };
    await same("first audit");
    await d.curation.registerApi({ ...ws, apiName: "api-2", title: "Api 2", contacts: [{ name: "Owner", email: "o@example.com" }] });
    await same("after an API changed");
    await d.curation.createVersion(ws, "api-1", { name: "v1-0", lifecycleStage: "retired" });
    const retired = await same("after a version was retired");
    assert.ok(retired.some((f) => f.rule === "deprecated-or-retired-version-in-production"));
    await d.curation.delete("environment", { ...ws, environment: "prod" });
    const dangling = await same("after the environment went");
    assert.ok(dangling.some((f) => f.rule === "deployment-missing-environment"));
    await d.curation.defineMetadata(ws, "tier", { type: "string" }, [{ entity: "api", required: true }, { entity: "environment", required: true }]);
    const missing = await same("after a required property was defined");
    assert.equal(missing.find((f) => f.rule === "custom-property-missing")!.entities.length, 8, "every API; no environment is left");
  } finally {
    await d.close();
  }
});
