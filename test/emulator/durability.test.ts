/** The local API Center's database: acknowledged writes survive a crash, and its schema is versioned. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { SCHEMA_VERSION, openDb } from "../../src/emulator/db.js";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import { LOCAL_SCOPE } from "../helpers/backends.js";
import { PROJECT_ROOT } from "../helpers/shared.js";

const dir = mkdtempSync(join(tmpdir(), "apicenter-durability-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SVC = `/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}`;
const put = (api: LocalApiCenter, name: string) =>
  api.handle({
    method: "PUT",
    url: `https://local${SVC}/workspaces/default/apis/${name}?api-version=2024-03-01`,
    headers: { authorization: "Bearer t" },
    body: JSON.stringify({ properties: { title: name, kind: "rest" } }),
  });

test("the database is in WAL mode with full sync, at the current schema version", () => {
  const db = openDb(join(dir, "pragmas.db"));
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  assert.equal(db.pragma("synchronous", { simple: true }), 2, "FULL");
  assert.equal(db.pragma("user_version", { simple: true }), SCHEMA_VERSION);
  db.close();
});

test("a database from a newer build is refused with the fix", () => {
  const path = join(dir, "newer.db");
  const db = new Database(path);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => openDb(path), /newer than this build knows.*upgrade apicenter-mcp or use another --db/);
});

test("a first start holds one service with its default workspace; a restart keeps everything", async () => {
  const path = join(dir, "restart.db");
  const first = new LocalApiCenter({ db: path, seed: LOCAL_SCOPE });
  assert.equal((await put(first, "kept-api")).status, 200);
  await first.close();
  const second = new LocalApiCenter({ db: path, seed: LOCAL_SCOPE });
  const got = await second.handle({
    method: "GET",
    url: `https://local${SVC}/workspaces/default/apis?api-version=2024-03-01`,
    headers: { authorization: "Bearer t" },
  });
  assert.deepEqual((JSON.parse(got.body!) as { value: Array<{ name: string }> }).value.map((a) => a.name), ["kept-api"]);
  assert.equal(second.store.countServices(), 1, "the seed is not made twice");
  await second.close();
});

test("every acknowledged write survives the process being killed mid-stream", async () => {
  const path = join(dir, "crash.db");
  const moduleUrl = pathToFileURL(join(PROJECT_ROOT, "dist", "src", "emulator", "local-api-center.js")).href;
  const script = `
    import { LocalApiCenter } from ${JSON.stringify(moduleUrl)};
    const scope = ${JSON.stringify(LOCAL_SCOPE)};
    const api = new LocalApiCenter({ db: ${JSON.stringify(path)}, seed: scope });
    const svc = ${JSON.stringify(SVC)};
    for (let i = 0; ; i++) {
      const res = await api.handle({ method: "PUT", url: "https://local" + svc + "/workspaces/default/apis/crash-" + i + "?api-version=2024-03-01",
        headers: { authorization: "Bearer t" }, body: JSON.stringify({ properties: { title: "t" + i, kind: "rest" } }) });
      if (res.status !== 200) { console.error(res.body); process.exit(3); }
      process.stdout.write("ack " + i + "\\n");
    }`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let acked = -1;
  await new Promise<void>((resolve) => {
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith("ack ")) acked = Number(line.slice(4));
      if (acked >= 200) {
        child.kill("SIGKILL");
        resolve();
      }
    });
  });
  await new Promise((r) => child.once("exit", r));
  const api = new LocalApiCenter({ db: path });
  const names = new Set(
    api.store.db
      .prepare("SELECT name FROM resources WHERE kind = 'api'")
      .all()
      .map((r) => (r as { name: string }).name),
  );
  for (let i = 0; i <= acked; i++) assert.ok(names.has(`crash-${i}`), `acknowledged write crash-${i} survived`);
  await api.close();
});

test("an import cut off by a restart is reported failed, not left running", async () => {
  const path = join(dir, "interrupted.db");
  const first = new LocalApiCenter({ db: path, seed: LOCAL_SCOPE });
  first.store.putOperation({
    id: "op1",
    resourceKey: "k",
    resourceId: "r",
    status: "InProgress",
    startTime: new Date().toISOString(),
    endTime: null,
    errorCode: null,
    errorMessage: null,
  });
  await first.close();
  const second = new LocalApiCenter({ db: path });
  const op = second.store.getOperation("op1")!;
  assert.equal(op.status, "Failed");
  assert.match(op.errorMessage!, /restarted/);
  await second.close();
});
