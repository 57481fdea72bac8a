/**
 * The index saved between processes and shared by two servers on one local database: a new process
 * answers its first question from the saved index and says so; writes made through a server are in
 * the saved index; with the local database's history of changes, a saved index is brought up to date
 * by reading only what changed, and another process's writes are in the next answer.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ApiCenterArmClient } from "../../../src/azure/arm-client.js";
import { changeSourceOf } from "../../../src/azure/changes.js";
import { ArmGateway } from "../../../src/azure/gateway.js";
import { inProcessHttpClient } from "../../../src/azure/in-process.js";
import { LocalTokenCredential } from "../../../src/azure/pipeline.js";
import { Curation } from "../../../src/domain/curation.js";
import { Intelligence } from "../../../src/domain/intelligence/intelligence.js";
import { InventoryIndex } from "../../../src/domain/intelligence/inventory-index.js";
import { LocalApiCenter } from "../../../src/emulator/local-api-center.js";
import { SqliteIndexStore } from "../../../src/index-store/sqlite-index-store.js";
import { SpectralLinter } from "../../../src/spectral/spectral-linter.js";
import { LOCAL_SCOPE } from "../../helpers/backends.js";
import { openapi } from "../../helpers/domain.js";

const ws = { workspace: "default" };
const SERVICE = { subscriptionId: LOCAL_SCOPE.subscriptionId, resourceGroup: LOCAL_SCOPE.resourceGroupName, serviceName: LOCAL_SCOPE.serviceName };
const dir = mkdtempSync(join(tmpdir(), "apicenter-saved-index-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One "process": its own connection to the database, its own index, the saved index file shared. */
function processOn(dbPath: string, opts: { store?: string; history?: boolean; reader?: boolean; now?: () => number }) {
  const api = new LocalApiCenter({ db: dbPath, seed: LOCAL_SCOPE });
  let calls = 0;
  const local = inProcessHttpClient((r) => api.handle(r));
  const client = new ApiCenterArmClient({
    endpoint: "https://local-api-center.invalid",
    credential: new LocalTokenCredential(),
    httpClient: { sendRequest: (r) => ((calls += 1), local.sendRequest(r)) },
  });
  const gateway = new ArmGateway(client, SERVICE, "test", opts.reader ? (ref) => api.readWorkspace(ref) : undefined);
  const store = opts.store ? new SqliteIndexStore(opts.store) : undefined;
  const index = new InventoryIndex(gateway, { ...(store ? { store } : {}), ...(opts.history ? { changes: changeSourceOf(api) } : {}), ...(opts.now ? { now: opts.now } : {}) });
  return {
    api,
    calls: () => calls,
    index,
    curation: new Curation(gateway, (kind, path) => index.invalidate(kind, path)),
    intelligence: new Intelligence(gateway, index, new SpectralLinter()),
    async close() {
      await api.close();
      store?.close();
    },
  };
}

const register = (p: ReturnType<typeof processOn>, name: string, summary: string) =>
  p.curation.registerApi({ ...ws, apiName: name, title: name, summary, version: { name: "v1-0", lifecycleStage: "production" }, spec: { content: openapi(name, { [`/${name}`]: { get: { responses: { "200": { description: "ok" } } } } }) } });

/** Waits for the background revalidation: the index stops saying it comes from an earlier process. */
async function revalidated(p: ReturnType<typeof processOn>) {
  for (let i = 0; i < 200; i++) {
    const r = await p.intelligence.search({ ...ws, query: "anything", limit: 1 });
    if (!r.freshness.fromSaved && !r.freshness.revalidating) return r;
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.fail("never revalidated");
}

describe("over ARM (no history of changes): the saved index answers first, then is revalidated", () => {
  test("a new process answers from the index the last one saved, with the writes made through it", async () => {
    const db = join(dir, "arm.db");
    const saved = join(dir, "arm.index.db");
    const first = processOn(db, { store: saved });
    await register(first, "orders", "place orders");
    await first.intelligence.search({ ...ws, query: "orders", limit: 1 });
    await register(first, "refunds", "give money back");
    assert.equal((await first.intelligence.search({ ...ws, query: "money", limit: 1 })).total, 1);
    await first.close();

    const second = processOn(db, { store: saved, now: () => Date.now() + 3_600_000 });
    const answer = await second.intelligence.search({ ...ws, query: "money", limit: 5 });
    assert.ok(answer.freshness.ageSeconds >= 3600, "over ARM, the saved index is as old as its crawl");
    assert.deepEqual(answer.results.map((r) => r.name), ["refunds"], "the write made through the first process is in the saved index");
    assert.equal(answer.freshness.fromSaved, true);
    assert.equal(answer.freshness.revalidating, true, "and it is being revalidated");
    assert.equal(answer.freshness.crawlCalls, 0);
    const later = await revalidated(second);
    assert.ok(later.freshness.crawlCalls > 0);
    await second.close();
  });
});

describe("on the local database: its history of changes keeps the saved index exact", () => {
  test("a saved index is brought up to date by reading only what changed since it was saved", async () => {
    const db = join(dir, "local.db");
    const saved = join(dir, "local.index.db");
    const first = processOn(db, { store: saved, history: true, reader: true });
    for (const n of ["alpha", "bravo", "charlie"]) await register(first, n, `the ${n} service`);
    await first.intelligence.search({ ...ws, query: "alpha", limit: 1 });
    await first.close();
    // Written while no server ran: nothing marked it anywhere.
    const offline = processOn(db, {});
    await register(offline, "delta", "written while nobody watched");
    await offline.close();

    // An hour later: the index is as old as its crawl, but the history vouches for it up to now.
    const second = processOn(db, { store: saved, history: true, reader: true, now: () => Date.now() + 3_600_000 });
    const before = second.calls();
    const answer = await second.intelligence.search({ ...ws, query: "watched", limit: 5 });
    assert.deepEqual(answer.results.map((r) => r.name), ["delta"]);
    assert.equal(answer.freshness.fromSaved, true);
    assert.equal(answer.freshness.revalidating, false, "nothing to revalidate: the history says what changed");
    assert.ok(second.calls() - before <= 6, `only delta was read: ${second.calls() - before} calls`);
    assert.equal(answer.freshness.apis, 4);
    assert.equal(answer.freshness.ageSeconds, 0);
    await second.close();
  });

  test("two servers on one database see each other's writes in their next answer", async () => {
    const db = join(dir, "two.db");
    const a = processOn(db, { history: true, reader: true });
    const b = processOn(db, { history: true, reader: true });
    try {
      await register(a, "shared-one", "first");
      assert.equal((await a.intelligence.search({ ...ws, query: "elephant", limit: 5 })).total, 0);
      assert.equal((await b.intelligence.search({ ...ws, query: "elephant", limit: 5 })).total, 0);
      await register(b, "from-b", "an elephant of a change");
      assert.deepEqual((await a.intelligence.search({ ...ws, query: "elephant", limit: 5 })).results.map((r) => r.name), ["from-b"]);
      await b.curation.delete("api", { ...ws, api: "from-b" });
      assert.equal((await a.intelligence.search({ ...ws, query: "elephant", limit: 5 })).total, 0);
      await b.curation.defineMetadata(ws, "owner", { type: "string" }, [{ entity: "api", required: true }]);
      const audit = await a.intelligence.audit({ ...ws, rules: ["custom-property-missing"] });
      assert.ok(audit.findings.length > 0, "a metadata schema defined by the other server is audited");
    } finally {
      await a.close();
      await b.close();
    }
  });
});
