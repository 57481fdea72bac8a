/**
 * diff_versions against a corpus of known breaking and non-breaking changes: each case must give
 * its verdict and exactly its changes (nothing missed, no noise).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { stringify } from "yaml";
import { diffSpecs } from "../../../src/domain/specs/diff.js";
import { parseSpecDocument } from "../../../src/domain/specs/spec-doc.js";
import { base, CORPUS } from "./diff-corpus.js";

test("the corpus is large enough to mean something", () => {
  assert.ok(CORPUS.length >= 30, `${CORPUS.length} cases`);
  for (const verdict of ["breaking", "non-breaking", "identical"]) assert.ok(CORPUS.some((c) => c.verdict === verdict), verdict);
});

for (const c of CORPUS) {
  test(`${c.verdict}: ${c.name}`, () => {
    const r = diffSpecs(c.before, c.after);
    const got = r.changes.map((x) => `${x.impact} ${x.code} ${x.where}`).sort();
    assert.deepEqual(got, [...c.codes].sort(), JSON.stringify(r.changes, null, 1));
    assert.equal(r.verdict, c.verdict);
    for (const x of r.changes) assert.ok(x.message.startsWith(x.where.split(" ").slice(0, 2).join(" ")), `${x.message} names its operation`);
  });
}

test("every document of the corpus is identical to itself and to its YAML rendering", () => {
  for (const c of CORPUS) {
    assert.equal(diffSpecs(c.before, c.before).verdict, "identical", c.name);
    const yaml = parseSpecDocument(stringify(c.after))!;
    assert.equal(diffSpecs(c.after, yaml).verdict, "identical", c.name);
  }
});

test("a recursive schema is compared once, at its outermost use", () => {
  const tree = (extra: Record<string, unknown>) => {
    const d = base();
    d.components.schemas.Node = { type: "object", properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } }, ...extra } };
    d.paths["/tree"] = { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } } } };
    return d;
  };
  const before = tree({ size: { type: "integer" } });
  const r = diffSpecs(before, tree({}));
  assert.deepEqual(r.changes.map((x) => `${x.code} ${x.where}`), ["response-field-removed GET /tree 200 'size'"]);
});
