import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TABLE_END, TABLE_START, renderToolTable } from "../../src/mcp/tool-table.js";
import { ALL_TOOLS } from "../../src/mcp/tools/index.js";
import { PROJECT_ROOT } from "../helpers/shared.js";

test("the README's tool table matches the tool records (run `npm run docs` after changing a tool)", () => {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  assert.ok(start >= 0 && end > start, "README.md has the tool table markers");
  assert.equal(readme.slice(start, end + TABLE_END.length), renderToolTable(ALL_TOOLS));
});

test("every tool follows the house rules: snake_case verb_noun, described fields, all four annotations", () => {
  const promised = ["list_apis", "register_api", "create_version", "import_spec", "create_deployment", "define_metadata"];
  assert.deepEqual(ALL_TOOLS.slice(0, 6).map((t) => t.name), promised);
  assert.equal(new Set(ALL_TOOLS.map((t) => t.name)).size, ALL_TOOLS.length, "names are unique");
  for (const t of ALL_TOOLS) {
    assert.match(t.name, /^[a-z]+(_[a-z]+)+$/, t.name);
    for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
      assert.equal(typeof t.annotations[hint], "boolean", `${t.name}.${hint}`);
    }
    for (const [field, schema] of Object.entries(t.input.shape as Record<string, { description?: string }>)) {
      assert.ok(schema.description, `${t.name}.${field} has a description`);
    }
  }
});
