/**
 * `apicenter-mcp doctor` run as a user would: the local checks on real database files (one held open
 * or mid-write by this process), and the Azure walk against a standalone local API Center reached
 * through --arm-endpoint, as Azure would be.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { checkNode } from "../../src/cli/doctor.js";
import { SCHEMA_VERSION, openDb } from "../../src/emulator/db.js";
import { CLI, EMULATOR_READY, spawnListening, type CliProcess } from "../helpers/cli-process.js";

const dir = mkdtempSync(join(tmpdir(), "apicenter-doctor-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function doctor(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, "doctor", ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test("Node versions below the package's engines range fail with the fix", () => {
  assert.equal(checkNode("20.0.0").status, "ok");
  const old = checkNode("18.19.1");
  assert.equal(old.status, "fail");
  assert.match(old.detail, /^v18\.19\.1 \(.+\); apicenter-mcp needs >=20$/);
  assert.match(old.fix!, /install Node\.js 20 or later/);
});

test("local: a database not created yet, in a writable folder, is fine", () => {
  const { status, out, err } = doctor(["--db", join(dir, "new", "deeper", "apicenter.db")]);
  assert.equal(status, 0, out + err);
  assert.match(out, /^ {2}ok {4}Node\.js: v\d+/m);
  assert.match(out, /^ {2}ok {4}SQLite module \(better-sqlite3\): loads \(SQLite 3\.\d+/m);
  assert.match(out, /^ {2}ok {4}database: .*apicenter\.db does not exist yet; it is created on first start \(.* is writable\)$/m);
  assert.match(out, /^Everything apicenter-mcp needs is in place\.$/m);
});

test("local: an existing database, alone, held open by another process, or mid-write", () => {
  const path = join(dir, "existing.db");
  openDb(path).close();
  let r = doctor(["--db", path]);
  assert.equal(r.status, 0, r.out + r.err);
  assert.match(r.out, new RegExp(`database: .*existing\\.db \\(\\d+ KiB, schema version ${SCHEMA_VERSION}\\) opens for reading and writing; no other process has it open$`, "m"));

  const held = openDb(path);
  try {
    r = doctor(["--db", path]);
    assert.equal(r.status, 0, r.out + r.err);
    assert.match(r.out, /; also open in another process \(e\.g\. a server an MCP client started\): they share it safely$/m);
    held.exec("BEGIN IMMEDIATE");
    r = doctor(["--db", path]);
    assert.equal(r.status, 0, "a writer is a warning, not a failure");
    assert.match(r.out, /^ {2}warn {2}database: .* is being written by another process right now$/m);
    assert.match(r.out, /^ {8}fix: if that lasts, find the process holding it/m);
    held.exec("ROLLBACK");
  } finally {
    held.close();
  }
});

test("local: a database from a newer apicenter-mcp, or a file that is not one, fails with the fix", () => {
  const newer = join(dir, "newer.db");
  const db = openDb(newer);
  db.pragma("user_version = 99");
  db.close();
  let r = doctor(["--db", newer]);
  assert.equal(r.status, 1);
  assert.match(r.out, new RegExp(`^ {2}FAIL {2}database: .*newer\\.db is at schema version 99, newer than this apicenter-mcp knows \\(${SCHEMA_VERSION}\\)$`, "m"));
  assert.match(r.out, /^ {8}fix: upgrade apicenter-mcp, or pass --db \(or set APICENTER_DB\) to another file$/m);
  assert.match(r.out, /^1 problem to fix\.$/m);

  const text = join(dir, "notes.db");
  writeFileSync(text, "these are not the tables you are looking for\n".repeat(200));
  r = doctor(["--db", text]);
  assert.equal(r.status, 1);
  assert.match(r.out, /^ {2}FAIL {2}database: .*notes\.db cannot be read: file is not a database$/m);
});

test("with --http, an address already in use fails with the flag to change", async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as { port: number }).port;
  try {
    const r = doctor(["--http", "--port", String(port), "--db", join(dir, "http.db")]);
    assert.equal(r.status, 1);
    assert.match(r.out, new RegExp(`^ {2}FAIL {2}HTTP address: port ${port} on 127\\.0\\.0\\.1 is already in use \\(another apicenter-mcp\\?\\): pass --port with a free port`, "m"));
  } finally {
    blocker.close();
  }
  assert.match(doctor(["--http", "--port", "0", "--db", join(dir, "http.db")]).out, /^ {2}ok {4}HTTP address: 127\.0\.0\.1:0 is free to listen on$/m);
});

let emulator: CliProcess & { url: string };
before(async () => {
  emulator = await spawnListening(["emulator", "--port", "0", "--db", join(dir, "remote.db")], EMULATOR_READY);
});
after(() => emulator?.child.kill());

const azure = (overrides: Record<string, string> = {}) => ({
  AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000000",
  APICENTER_RESOURCE_GROUP: "local",
  APICENTER_SERVICE: "local",
  APICENTER_ARM_ENDPOINT: emulator.url,
  ...overrides,
});

test("Azure: every step passes against an ARM endpoint that grants access", () => {
  const { status, out, err } = doctor([], azure());
  assert.equal(status, 0, out + err);
  const lines = [
    `ARM endpoint: ${emulator.url}`,
    "credentials: the endpoint is a local API Center on loopback, which accepts any bearer token",
    "subscription: 00000000-0000-0000-0000-000000000000: 1 API Center service visible: local (local)",
    "service: local in resource group local (region local)",
    "read access: listed the APIs of workspace 'default' (it is empty)",
    "write access: the identity's roles allow writes and deletes on the service (Microsoft.ApiCenter/services/workspaces/apis/write, checked without writing)",
  ];
  for (const line of lines) assert.ok(out.includes(`  ok    ${line}\n`), `${line}\n--- got:\n${out}`);
  assert.match(out, /^apicenter-mcp \S+ doctor: Azure API Center 'local'$/m);
});

test("Azure: a service in another resource group, or another name, is found and the fix names it", () => {
  let r = doctor([], azure({ APICENTER_RESOURCE_GROUP: "elsewhere" }));
  assert.equal(r.status, 1);
  assert.match(r.out, /^ {2}FAIL {2}service: API Center service 'local' was not found in resource group 'elsewhere'/m);
  assert.match(r.out, /^ {8}fix: it is in resource group 'local': set APICENTER_RESOURCE_GROUP=local \(or pass --resource-group local\)$/m);
  assert.doesNotMatch(r.out, /read access/, "the walk stops at the missing service");

  r = doctor(["--service", "payments-hub"], azure());
  assert.equal(r.status, 1);
  assert.match(r.out, /^ {8}fix: set APICENTER_SERVICE \/ --service and APICENTER_RESOURCE_GROUP \/ --resource-group to one of: local \(local\)$/m);

  r = doctor([], azure({ AZURE_SUBSCRIPTION_ID: "11111111-1111-1111-1111-111111111111" }));
  assert.equal(r.status, 1);
  assert.match(r.out, /subscription: 11111111-1111-1111-1111-111111111111: 0 API Center services visible$/m);
  assert.match(r.out, /fix: check the service name and resource group/);
});
