/**
 * Metadata schemas with `$id`: an update keeps the same `$id` with new rules, two schemas may share
 * one, values are always judged (never skipped over a compile error), and the validator cache stays
 * bounded however many schema texts it sees.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { customPropertyProblems, SchemaValidators, schemaProblem, type MetadataSchemaRecord } from "../../src/arm/custom-properties.js";
import { domainOnLocal } from "../helpers/domain.js";

const team = (values: string[], id = "https://example.com/schemas/team") => JSON.stringify({ $id: id, type: "string", enum: values });

describe("schemas with $id", () => {
  test("an updated schema with the same $id compiles, and its new rules apply", () => {
    assert.equal(schemaProblem(team(["payments", "orders"])), null);
    assert.equal(schemaProblem(team(["payments", "orders", "search"])), null, "no 'schema with key or id already exists'");
    const schemas = (text: string): MetadataSchemaRecord[] => [{ name: "team", schema: text, assignedTo: [{ entity: "api" }] }];
    assert.deepEqual(customPropertyProblems("api", { team: "search" }, schemas(team(["payments", "orders", "search"]))), []);
    const [problem] = customPropertyProblems("api", { team: "search" }, schemas(team(["payments", "orders"])));
    assert.equal(problem?.kind, "invalid", "the old rules still judge values against the old text");
  });

  test("two schemas sharing an $id are each judged by their own rules", () => {
    const schemas: MetadataSchemaRecord[] = [
      { name: "team", schema: team(["payments"], "urn:example:shared"), assignedTo: [{ entity: "api" }] },
      { name: "tier", schema: JSON.stringify({ $id: "urn:example:shared", type: "integer", minimum: 1 }), assignedTo: [{ entity: "api" }] },
    ];
    assert.deepEqual(customPropertyProblems("api", { team: "payments", tier: 2 }, schemas), []);
    assert.deepEqual(
      customPropertyProblems("api", { team: "orders", tier: 0 }, schemas).map((p) => `${p.property}:${p.kind}`),
      ["team:invalid", "tier:invalid"],
    );
  });

  test("a schema that refers to its own $id and anchors resolves", () => {
    const text = JSON.stringify({ $id: "https://example.com/owner", $defs: { email: { $anchor: "email", type: "string", format: "email" } }, type: "object", properties: { email: { $ref: "#email" } } });
    assert.equal(schemaProblem(text), null);
    assert.equal(new SchemaValidators(4).get(text)({ email: "not-an-email" }), false);
  });
});

test("a value whose schema does not compile is reported as unchecked, never silently passed", () => {
  const schemas: MetadataSchemaRecord[] = [{ name: "team", schema: JSON.stringify({ $id: "urn:no-nid", type: "string" }), assignedTo: [{ entity: "api" }] }];
  const [problem] = customPropertyProblems("api", { team: "x" }, schemas);
  assert.equal(problem?.kind, "unchecked");
  assert.match(problem!.message, /customProperties\.team cannot be checked: metadata schema 'team' does not compile/);
});

describe("the validator cache", () => {
  test("2,000 distinct schema texts, with and without $id, leave at most its bound compiled", () => {
    const cache = new SchemaValidators(64);
    for (let i = 0; i < 2_000; i++) {
      const text = i % 2 ? team([`t${i}`]) : JSON.stringify({ type: "object", properties: { n: { $ref: "#/$defs/n" } }, $defs: { n: { const: i } } });
      const validate = cache.get(text);
      assert.equal(validate(i % 2 ? `t${i}` : { n: i }), true);
      assert.ok(cache.size <= 64);
    }
    assert.equal(cache.size, 64);
  });

  test("what is used stays compiled: least recently used goes first", () => {
    const cache = new SchemaValidators(2);
    const a = cache.get(team(["a"]));
    cache.get(team(["b"]));
    assert.equal(cache.get(team(["a"])), a, "a hit");
    cache.get(team(["c"]));
    assert.equal(cache.get(team(["a"])), a, "a was used last, so b went");
  });
});

test("through the local API Center: a metadata schema with $id is updated, values follow the new rules, and the audit judges stored values", async () => {
  const d = domainOnLocal();
  const ws = { workspace: "default" };
  try {
    const schema = (values: string[]) => ({ $id: "https://contoso.example/schemas/owner-team", type: "string", enum: values });
    await d.curation.defineMetadata(ws, "owner-team", schema(["payments", "orders"]), [{ entity: "api", required: false }]);
    await d.curation.defineMetadata(ws, "owner-team", schema(["payments", "orders", "search"]), [{ entity: "api", required: false }]);
    await d.curation.registerApi({ ...ws, apiName: "finder", title: "Finder", kind: "rest", customProperties: { "owner-team": "search" } });
    await assert.rejects(
      d.curation.registerApi({ ...ws, apiName: "stray", title: "Stray", kind: "rest", customProperties: { "owner-team": "marketing" } }),
      /owner-team does not match metadata schema/,
    );
    await d.curation.defineMetadata(ws, "owner-team", schema(["payments", "orders"]), [{ entity: "api", required: false }]);
    const { findings } = await d.intelligence.audit({ ...ws, refresh: true, rules: ["custom-property-invalid"] });
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.match(JSON.stringify(findings[0]), /finder/);
  } finally {
    await d.close();
  }
});
