/** The edge every tool's arguments pass: unknown arguments and empty strings refused by name, lean JSON Schema, and the answer's text. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { edgeInput, edgeOutput } from "../../src/mcp/edge-schema.js";
import { answerText } from "../../src/mcp/registry.js";
import { ALL_TOOLS } from "../../src/mcp/tools/index.js";

const input = z.object({
  lifecycleStage: z.enum(["design", "retired"]).optional().describe("Stage"),
  name: z.string().optional().describe("Name"),
  contacts: z.array(z.object({ email: z.string().optional() })).optional().describe("Contacts"),
  customProperties: z.record(z.string(), z.unknown()).optional().describe("Values"),
  limit: z.number().default(10).describe("Rows"),
});
const edge = edgeInput("list_things", input);
const validate = (v: unknown) => edge["~standard"].validate(v) as { value?: unknown; issues?: Array<{ path?: PropertyKey[]; message: string }> };

test("an unknown argument is refused with the valid ones and the likely one", () => {
  const r = validate({ lifecycle: "retired" });
  assert.deepEqual(r.issues?.map((i) => [i.path, i.message]), [
    [["lifecycle"], "not an argument of list_things (did you mean lifecycleStage?); its arguments are lifecycleStage, name, contacts, customProperties, limit"],
  ]);
});

test("an empty string is refused where a string is declared, however deep, but not inside free-form values", () => {
  assert.deepEqual(validate({ name: "" }).issues?.map((i) => i.path), [["name"]]);
  assert.deepEqual(validate({ contacts: [{ email: "a@b.c" }, { email: "" }] }).issues?.map((i) => i.path), [["contacts", 1, "email"]]);
  assert.deepEqual(validate({ customProperties: { note: "" } }).value, { customProperties: { note: "" }, limit: 10 });
});

test("valid arguments pass to zod, defaults applied", () => {
  assert.deepEqual(validate({ lifecycleStage: "design" }).value, { lifecycleStage: "design", limit: 10 });
  assert.ok(validate({ lifecycleStage: "gone" }).issues?.length);
});

test("the JSON Schema is lean: no dialect, no string-typed key names, strict inputs, open outputs", () => {
  const json = edge["~standard"].jsonSchema.input({ target: "draft-2020-12" }) as Record<string, any>;
  assert.equal(json.$schema, undefined);
  assert.equal(json.additionalProperties, false);
  assert.deepEqual(json.properties.customProperties, { description: "Values", type: "object" });
  const out = edgeOutput(z.object({ a: z.object({ b: z.string() }) }))["~standard"].jsonSchema.output({ target: "draft-2020-12" }) as Record<string, any>;
  assert.equal(JSON.stringify(out).includes("additionalProperties"), false);
});

test("every tool's input schema converts, and each description says what the tool does in its first sentence", () => {
  for (const t of ALL_TOOLS) {
    const json = edgeInput(t.name, t.input)["~standard"].jsonSchema.input({ target: "draft-2020-12" }) as Record<string, any>;
    assert.equal(json.type, "object", t.name);
    assert.match(t.description, /^[A-Z][^.]+/, t.name);
  }
});

test("the text carries the summary, then all of the structured result, with a verbatim field as it is", () => {
  assert.equal(answerText({ summary: "2 API(s).", structured: { apis: ["a", "b"], total: 2 } }), '2 API(s).\n{"apis":["a","b"],"total":2}');
  assert.equal(answerText({ summary: "Whole.", structured: { bytes: 9, content: "a: \"b\"\n" }, verbatim: "content" }), 'Whole.\n{"bytes":9}\na: "b"\n');
});
