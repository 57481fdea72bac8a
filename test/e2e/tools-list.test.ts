/**
 * The tools/list answer, snapshotted: any change to a tool's name, description, schemas or annotations
 * shows up as a diff of test/e2e/tools-list.snapshot.json (UPDATE_SNAPSHOTS=1 npm test rewrites it).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
