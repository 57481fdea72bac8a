/**
 * Recovering plans a crash interrupted, step by step: journal records written by a process that
 * then died, undone at the next start against the local API Center. What this plan made is deleted,
 * what it changed is restored, another writer's change is left alone and named, a step never applied
 * needs nothing, and each plan is one line.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, test } from "node:test";
import type { PlanRecord } from "../../src/domain/journal.js";
import { recoverPlans, recoveredLine } from "../../src/domain/undo.js";
import { FileJournal } from "../../src/journal/file-journal.js";
import { domainOnLocal } from "../helpers/domain.js";
import { PROJECT_ROOT } from "../helpers/shared.js";

const MODULE = pathToFileURL(join(PROJECT_ROOT, "dist", "src", "journal", "file-journal.js")).href;

/** Journals `records` from another process, which then exits without closing them: as a crash leaves them. */
function leftByACrash(dir: string, records: PlanRecord[]): void {
  const code = `const { FileJournal } = await import(${JSON.stringify(MODULE)}); const j = new FileJournal(${JSON.stringify(dir)}); for (const r of ${JSON.stringify(records)}) await j.open(r);`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { stdio: "inherit" });
  assert.equal(r.status, 0);
}

let dir: string;
let d: ReturnType<typeof domainOnLocal>;
const ws = { workspace: "default" };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "apicenter-recovery-"));
  d = domainOnLocal();
});
afterEach(async () => {
  await d.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (api: string, version?: string) => ({ ...ws, api, ...(version ? { version } : {}) });

test("what the plan created is deleted (its children with it) and what it changed is restored", async () => {
  await d.gateway.put("api", at("existing"), { title: "Before", kind: "rest" });
  const before = await d.gateway.get("api", at("existing"));
  const after = await d.gateway.put("api", at("existing"), { title: "Changed", kind: "rest" });
  await d.gateway.put("version", at("existing", "v-new"), { title: "New", lifecycleStage: "design" });
  await d.gateway.put("api", at("fresh"), { title: "Fresh", kind: "rest" });
  await d.gateway.put("version", at("fresh", "v-1"), { title: "1", lifecycleStage: "design" });
  leftByACrash(dir, [
    {
      startedAt: "2030-01-01T00:00:00.000Z",
      steps: [
        { op: "put", kind: "api", path: at("existing"), properties: { title: "Changed", kind: "rest" }, before: { properties: before.properties, etag: before.etag! }, state: "applied", etag: after.etag! },
        { op: "put", kind: "version", path: at("existing", "v-new"), properties: { title: "New", lifecycleStage: "design" }, before: null, state: "sent" },
      ],
    },
    {
      startedAt: "2030-01-01T00:00:01.000Z",
      steps: [
        { op: "put", kind: "api", path: at("fresh"), properties: { title: "Fresh", kind: "rest" }, before: null, state: "applied" },
        { op: "put", kind: "version", path: at("fresh", "v-1"), properties: { title: "1", lifecycleStage: "design" }, before: null, state: "sent" },
        { op: "import", kind: "definition", path: { ...at("fresh", "v-1"), definition: "openapi" }, state: "pending" },
      ],
    },
  ]);
  const recovered = await recoverPlans(d.gateway, new FileJournal(dir));
  assert.equal(recovered.length, 2);
  assert.equal((await d.gateway.get("api", at("existing"))).properties.title, "Before");
  assert.equal(await d.gateway.find("version", at("existing", "v-new")), null);
  assert.equal(await d.gateway.find("api", at("fresh")), null);
  const lines = recovered.map(recoveredLine);
  assert.match(lines[0]!, /undone: deleted API version 'v-new' of API 'existing', restored API 'existing'$/);
  assert.match(lines[1]!, /\(put API 'fresh', put API version 'v-1' of API 'fresh', import API definition 'openapi' of fresh\/v-1 \(not sent\)\): undone: deleted API 'fresh' with the API version 'v-1' under it$/);
  assert.deepEqual(readdirSync(dir), [], "recovered plans leave the journal");
});

test("another writer's change since the crash is left alone and named; a step never applied needs nothing", async () => {
  await d.gateway.put("api", at("contested"), { title: "Crashed write", kind: "rest" });
  await d.gateway.put("api", at("contested"), { title: "Someone else", kind: "rest" });
  leftByACrash(dir, [
    { startedAt: "2030-01-01T00:00:00.000Z", steps: [{ op: "put", kind: "api", path: at("contested"), properties: { title: "Crashed write", kind: "rest" }, before: null, state: "sent" }] },
    { startedAt: "2030-01-01T00:00:01.000Z", steps: [{ op: "put", kind: "api", path: at("never-made"), properties: { title: "Never", kind: "rest" }, before: null, state: "sent" }] },
  ]);
  const [contested, never] = (await recoverPlans(d.gateway, new FileJournal(dir))).map(recoveredLine);
  assert.match(contested!, /nothing of it had been applied; left: API 'contested' \(changed by another writer since this call created it, so not deleted\)$/);
  assert.equal((await d.gateway.get("api", at("contested"))).properties.title, "Someone else");
  assert.match(never!, /: nothing of it had been applied$/);
});
