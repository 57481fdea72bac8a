/** A saved index's APIs read on demand, and the saved search documents that stand in for them. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { IndexedApi, Snapshot } from "../../../src/domain/intelligence/inventory-index.js";
import { SavedApis } from "../../../src/domain/intelligence/saved-apis.js";
import { SearchIndex, searchDocument } from "../../../src/domain/intelligence/search.js";

const api = (name: string, summary: string): IndexedApi => ({ resource: { name, properties: { title: name, summary } }, versions: [], deployments: [] });

test("entries are read when asked for, all of them when gone through; a replaced entry loses its saved document", () => {
  const read: string[] = [];
  const entries = [api("alpha", "counts sheep"), api("bravo", "counts goats"), api("charlie", "herds cats")];
  const saved = new SavedApis(entries.map((e) => ({ key: e.resource.name, entry: () => (read.push(e.resource.name), e), search: searchDocument(e) })));
  assert.equal(saved.size, 3);
  assert.deepEqual([...saved.keys()], ["alpha", "bravo", "charlie"]);
  assert.deepEqual(read, [], "nothing read to count or list keys");
  assert.equal(saved.get("bravo")!.resource.properties.summary, "counts goats");
  assert.equal(saved.get("bravo")!.resource.name, "bravo");
  assert.deepEqual(read, ["bravo"], "read once");
  saved.set("alpha", api("alpha", "counts llamas"));
  assert.equal(saved.documents.has("alpha"), false, "its saved document no longer says what it holds");
  assert.equal(saved.documents.has("charlie"), true);
  assert.deepEqual([...saved.values()].map((e) => e.resource.properties.summary), ["counts llamas", "counts goats", "herds cats"]);
  assert.deepEqual(read, ["bravo", "charlie"], "going through reads the rest, in order");
});

test("a search index built from saved documents answers as one built from the entries", () => {
  const entries = [api("alpha", "counts sheep"), api("bravo", "counts goats"), api("charlie", "herds cats")];
  const fromEntries = new SearchIndex({ apis: new Map(entries.map((e) => [e.resource.name, e])) } as unknown as Snapshot);
  const saved = new SavedApis(entries.map((e) => ({ key: e.resource.name, entry: () => assert.fail("no entry is read to build it"), search: searchDocument(e) })));
  const fromSaved = new SearchIndex({ apis: saved, searchDocuments: saved.documents } as unknown as Snapshot);
  for (const q of ["counts", "goats", "cats herding", "sheep goats"]) assert.deepEqual(fromSaved.search(q, { limit: 10 }), fromEntries.search(q, { limit: 10 }), q);
});
