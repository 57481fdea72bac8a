/**
 * The saved inventory index: whole updates, several processes on one file, positions forgotten when
 * an update cannot vouch for them, and a file it cannot use started afresh.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import type { IndexedApi } from "../../src/domain/intelligence/inventory-index.js";
import { SqliteIndexStore } from "../../src/index-store/sqlite-index-store.js";

const dir = mkdtempSync(join(tmpdir(), "apicenter-index-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const api = (name: string, summary = ""): IndexedApi => ({
  resource: { name, properties: { title: name, summary }, modifiedAt: "2026-01-01T00:00:00.000Z" },
  versions: [{ resource: { name: "v1-0", properties: {} }, definitions: [{ resource: { name: "openapi", properties: {} }, hasSpec: true, digest: { operations: [{ method: "GET", path: "/x" }] } }] }],
  deployments: [],
});
const entry = (name: string, summary = "") => ({ entry: api(name, summary), search: () => ({ length: 1, terms: [[name, 3, 1]] as Array<[string, number, number]>, ops: [] }) });

test("an index saved whole, then updated API by API, loads as last saved", async () => {
  const store = new SqliteIndexStore(join(dir, "a.index.db"));
  assert.equal(await store.load("scope"), undefined);
  await store.save("scope", { builtAt: 1000, cursor: "h:5", put: [entry("Alpha"), entry("bravo")], remove: [], environments: [{ name: "prod", properties: {} }], metadataSchemas: [], replace: true });
  await store.save("scope", { builtAt: 1000, cursor: "h:7", put: [entry("alpha", "changed")], remove: ["bravo"] });
  await store.save("other", { builtAt: 5, put: [entry("elsewhere")], remove: [], replace: true });
  const loaded = (await store.load("scope"))!;
  assert.equal(loaded.builtAt, 1000);
  assert.equal(loaded.cursor, "h:7");
  assert.deepEqual(loaded.apis.map((a) => [a.key, a.entry().resource.properties.summary]), [["alpha", "changed"]]);
  assert.deepEqual(loaded.apis[0]!.entry().versions[0]!.definitions[0]!.digest, { operations: [{ method: "GET", path: "/x" }] });
  assert.deepEqual(loaded.apis[0]!.search, { length: 1, terms: [["alpha", 3, 1]], ops: [] });
  assert.deepEqual(loaded.environments.map((e) => e.name), ["prod"], "kept when an update leaves them out");
  await store.save("scope", { builtAt: 2000, put: [entry("charlie")], remove: [], replace: true });
  const replaced = (await store.load("scope"))!;
  assert.deepEqual(replaced.apis.map((a) => a.entry().resource.name), ["charlie"]);
  assert.equal(replaced.cursor, undefined, "an update without a position forgets the old one");
  store.close();
});

test("two processes saving to one file keep each other's updates", async () => {
  const path = join(dir, "shared.index.db");
  const one = new SqliteIndexStore(path);
  const two = new SqliteIndexStore(path);
  await one.save("scope", { builtAt: 1, put: [], remove: [], environments: [], metadataSchemas: [], replace: true });
  await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).save("scope", { builtAt: 1, put: [entry(`api-${i}`)], remove: [] })));
  // Each writes its updates once the current answer is out.
  await new Promise((r) => setImmediate(r));
  assert.equal((await one.load("scope"))!.apis.length, 50);
  assert.equal((await two.load("scope"))!.apis.length, 50);
  one.close();
  two.close();
});

test("an update is written off the answer's path, and at the latest by the next load or the close", async () => {
  const path = join(dir, "deferred.index.db");
  const writer = new SqliteIndexStore(path);
  const reader = new SqliteIndexStore(path);
  let worked = 0;
  const saved = writer.save("scope", { builtAt: 1, put: [{ ...entry("later"), search: () => (worked++, entry("later").search()) }], remove: [], replace: true });
  assert.equal(worked, 0, "no search document worked out, nothing written, while the answer is being made");
  assert.equal(await reader.load("scope"), undefined);
  writer.close();
  assert.equal(worked, 1);
  await saved;
  assert.deepEqual((await reader.load("scope"))!.apis.map((a) => a.key), ["later"]);
  reader.close();
});

test("a save settles when written; after close it writes nothing and throws nothing, even later", async () => {
  const path = join(dir, "closing.index.db");
  const store = new SqliteIndexStore(path);
  await store.save("scope", { builtAt: 1, put: [entry("kept")], remove: [], replace: true });
  store.close();
  store.close();
  // A background crawl ending while the server shuts down: its save must not reach the closed file.
  await store.save("scope", { builtAt: 2, put: [entry("late")], remove: [], replace: true });
  await new Promise((r) => setImmediate(r));
  const reader = new SqliteIndexStore(path);
  assert.deepEqual((await reader.load("scope"))!.apis.map((a) => a.key), ["kept"]);
  reader.close();
});

test("a write that fails rejects its own save and not the others'", async () => {
  const path = join(dir, "failing.index.db");
  const store = new SqliteIndexStore(path);
  const broken = { ...entry("broken"), entry: { ...entry("broken").entry, resource: undefined as never } };
  const results = await Promise.allSettled([
    store.save("scope", { builtAt: 1, put: [broken], remove: [], replace: true }),
    store.save("scope", { builtAt: 1, put: [entry("fine")], remove: [] }),
  ]);
  assert.equal(results[0]!.status, "rejected");
  assert.match(String((results[0] as PromiseRejectedResult).reason), /could not save the inventory index/);
  assert.equal(results[1]!.status, "fulfilled");
  assert.deepEqual((await store.load("scope"))!.apis.map((a) => a.key), ["fine"]);
  store.close();
});

test("a file from another format, or not a database at all, is started afresh", async () => {
  const older = join(dir, "older.index.db");
  const db = new Database(older);
  db.exec("CREATE TABLE apis (x)");
  db.pragma("user_version = 99");
  db.close();
  const store = new SqliteIndexStore(older);
  assert.equal(await store.load("scope"), undefined);
  await store.save("scope", { builtAt: 1, put: [entry("a-new-one")], remove: [], replace: true });
  assert.equal((await store.load("scope"))!.apis.length, 1);
  store.close();
  const junk = join(dir, "junk.index.db");
  writeFileSync(junk, "this is not SQLite".repeat(100));
  const fresh = new SqliteIndexStore(junk);
  assert.equal(await fresh.load("scope"), undefined);
  fresh.close();
});
