/**
 * The tools/list answer, snapshotted: any change to a tool's name, description, schemas or annotations
 * shows up as a diff of test/e2e/tools-list.snapshot.json (UPDATE_SNAPSHOTS=1 npm test rewrites it).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { PROJECT_ROOT } from "../helpers/shared.js";
import { startClient } from "./clients.js";

const SNAPSHOT = join(PROJECT_ROOT, "test", "e2e", "tools-list.snapshot.json");

test("tools/list matches the committed snapshot, for both protocol eras", async () => {
  const lists: unknown[] = [];
  for (const era of ["legacy", "modern"] as const) {
    const c = await startClient({ era, transport: "stdio" });
    try {
      lists.push(
        (await c.listTools()).map((t) => ({ name: t.name, title: t.title, description: t.description, annotations: t.annotations, inputSchema: t.inputSchema, outputSchema: t.outputSchema })),
      );
    } finally {
      await c.close();
    }
  }
  assert.deepEqual(lists[1], lists[0], "both eras see the same tools");
  const current = `${JSON.stringify(lists[0], null, 2)}\n`;
  if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(SNAPSHOT)) {
    writeFileSync(SNAPSHOT, current);
    if (process.env.CI) assert.fail("the tools/list snapshot was missing: commit test/e2e/tools-list.snapshot.json");
  }
  assert.equal(current, readFileSync(SNAPSHOT, "utf8"), "tools/list changed: review the diff, then UPDATE_SNAPSHOTS=1 npm test");
});

test("every tool or prompt the server's own words name (errors, hints, descriptions) is one it offers", async () => {
  const c = await startClient({ era: "modern", transport: "stdio" });
  let offered: Set<string>;
  try {
    offered = new Set([...(await c.listTools()).map((t) => t.name), ...(await c.listPrompts())]);
  } finally {
    await c.close();
  }
  const src = join(PROJECT_ROOT, "src");
  const named = new Map<string, string>();
  for (const file of readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(src, file), "utf8");
    for (const m of text.matchAll(/\b(?:list|get|create|register|import|export|search|audit|analyze|lint|diff|define|delete|find|review)_[a-z]+(?:_[a-z]+)*\b/g)) named.set(m[0], file);
  }
  const unknown = [...named].filter(([name]) => !offered.has(name)).map(([name, file]) => `${name} (src/${file})`);
  assert.ok(named.size >= 15, "the scan finds the tools the code names");
  assert.deepEqual(unknown, [], "named but not offered: a hint that sends the model to a tool that does not exist");
});
