/**
 * The search picks its best hits in one pass instead of sorting every match: whatever the documents
 * and the limit, the hits are the first `limit` of the full ranking (score down, ties in key order),
 * and the total counts every match.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { IndexedApi, Snapshot } from "../../../src/domain/intelligence/inventory-index.js";
import { SearchIndex } from "../../../src/domain/intelligence/search.js";

const WORDS = ["refund", "order", "invoice", "customer", "pricing", "shipping", "label", "loyalty"];

const api = (name: string, summary: string): IndexedApi => ({ resource: { name, properties: { title: name, summary } }, versions: [], deployments: [] });

function snapshot(apis: IndexedApi[]): Snapshot {
  return {
    apis: new Map(apis.map((a) => [a.resource.name.toLowerCase(), a])),
    environments: [],
    metadataSchemas: [],
    apiSources: [],
    builtAt: 0,
    verifiedAt: 0,
    refreshedAt: 0,
    revision: 0,
    changes: [],
    crawl: { calls: 0, ms: 0, specsExported: 0, specsReused: 0 },
    missing: new Map(),
    fromSaved: false,
    revalidating: false,
  };
}

test("the hits are the head of the full ranking, for any documents and limit", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), summary: fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }) }), { selector: (a) => a.name, maxLength: 40 }),
      fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 0, max: 45 }),
      (docs, query, limit) => {
        const index = new SearchIndex(snapshot(docs.map((d) => api(d.name, d.summary.join(" ")))));
        const all = index.search(query.join(" "), { limit: 1000 });
        const some = index.search(query.join(" "), { limit });
        assert.equal(some.total, all.total);
        assert.deepEqual(some.hits, all.hits.slice(0, limit));
        for (let i = 1; i < all.hits.length; i++) {
          const [x, y] = [all.hits[i - 1]!, all.hits[i]!];
          assert.ok(x.score > y.score || (x.score === y.score && x.api < y.api), `${x.api} (${x.score}) before ${y.api} (${y.score})`);
        }
        assert.equal(all.hits.length, all.total);
      },
    ),
    { numRuns: 200 },
  );
});
