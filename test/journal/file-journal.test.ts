/**
 * The plan journal on disk, with real processes: a plan is recovered only once its process is gone,
 * exactly once however many processes look, and records are replaced atomically.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, test } from "node:test";
import type { PlanRecord } from "../../src/domain/journal.js";
import { FileJournal, journalDir } from "../../src/journal/file-journal.js";
import { PROJECT_ROOT } from "../helpers/shared.js";

const MODULE = pathToFileURL(join(PROJECT_ROOT, "dist", "src", "journal", "file-journal.js")).href;

const record = (api: string): PlanRecord => ({
  startedAt: new Date().toISOString(),
  steps: [{ op: "put", kind: "api", path: { workspace: "default", api }, properties: { title: api }, before: null, state: "sent" }],
});

/** Runs `body` in another Node process with `journal` (a FileJournal on `dir`) in scope; resolves with its stdout lines once it prints "ready" or exits. */
function child(dir: string, body: string, stayAlive = false) {
  const code = `const { FileJournal } = await import(${JSON.stringify(MODULE)}); const journal = new FileJournal(${JSON.stringify(dir)});
    const record = (api) => ({ startedAt: new Date().toISOString(), steps: [{ op: "put", kind: "api", path: { workspace: "default", api }, properties: { title: api }, before: null, state: "sent" }] });
    ${body}
    console.log("ready");
    ${stayAlive ? "process.stdin.resume(); await new Promise((r) => process.stdin.on('end', r));" : ""}`;
  const proc = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  const lines = new Promise<string[]>((resolve, reject) => {
    proc.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("ready\n")) resolve(out.split("\n").filter((l) => l && l !== "ready"));
    });
    proc.once("exit", (codeNo) => (codeNo === 0 ? resolve(out.split("\n").filter((l) => l && l !== "ready")) : reject(new Error(`child exited with ${codeNo}`))));
  });
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return { proc, lines, exited };
}

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "apicenter-journal-")), "j");
});
afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

test("a plan's record is replaced whole at each save and gone when it closes; no temporary file stays", async () => {
  const journal = new FileJournal(dir);
  const entry = await journal.open(record("one"));
  const [file] = readdirSync(dir);
  assert.match(file!, /\.plan\.json$/);
  const next = record("one");
  next.steps[0]!.state = "applied";
  next.steps[0]!.etag = "e-1";
  await entry.save(next);
  assert.deepEqual(readdirSync(dir), [file]);
  assert.equal(JSON.parse(readFileSync(join(dir, file!), "utf8")).record.steps[0].etag, "e-1");
  await entry.close();
  assert.deepEqual(readdirSync(dir), []);
});

test("this process's own plans in flight are never claimed", async () => {
  const journal = new FileJournal(dir);
  const entry = await journal.open(record("mine"));
  assert.deepEqual(await new FileJournal(dir).claimAbandoned(), []);
  await entry.close();
});

test("a plan of a process that died is claimed once, and gone when done", async () => {
  await child(dir, `for (const n of ["a-1", "a-2", "a-3"]) await journal.open(record(n));`).exited;
  const first = await new FileJournal(dir).claimAbandoned();
  assert.deepEqual(first.map((p) => p.record.steps[0]!.path.api).sort(), ["a-1", "a-2", "a-3"]);
  assert.deepEqual(await new FileJournal(dir).claimAbandoned(), [], "claimed by a live process: nobody else takes it");
  for (const p of first) await p.done();
  assert.deepEqual(readdirSync(dir), []);
});

test("a live process's plan is left alone until the process is killed", async () => {
  const owner = child(dir, `await journal.open(record("live"));`, true);
  await owner.lines;
  assert.deepEqual(await new FileJournal(dir).claimAbandoned(), []);
  owner.proc.kill("SIGKILL");
  await owner.exited;
  const claimed = await new FileJournal(dir).claimAbandoned();
  assert.equal(claimed.length, 1);
  await claimed[0]!.done();
});

test("two processes claiming at once share the plans without overlap", async () => {
  await child(dir, `for (let i = 0; i < 40; i++) await journal.open(record("p-" + String(i).padStart(2, "0")));`).exited;
  const claim = `for (const p of await journal.claimAbandoned()) { console.log(p.record.steps[0].path.api); await p.done(); }`;
  const [a, b] = await Promise.all([child(dir, claim).lines, child(dir, claim).lines]);
  assert.equal(new Set([...a!, ...b!]).size, a!.length + b!.length, "no plan claimed twice");
  assert.equal(a!.length + b!.length, 40, "every plan claimed");
  assert.deepEqual(readdirSync(dir), []);
});

test("a plan released (its undo could not run) is claimed again at the next start; so is one whose claimer died", async () => {
  await child(dir, `await journal.open(record("again"));`).exited;
  const [claimed] = await new FileJournal(dir).claimAbandoned();
  await claimed!.release();
  await child(dir, `await journal.claimAbandoned();`).exited;
  const [reclaimed] = await new FileJournal(dir).claimAbandoned();
  assert.equal(reclaimed?.record.steps[0]!.path.api, "again");
  await reclaimed!.done();
});

test("each backend and service has its own directory", () => {
  const svc = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroup: "rg", serviceName: "contoso" };
  assert.notEqual(journalDir("/base", "local:/a.db", svc), journalDir("/base", "local:/b.db", svc));
  assert.notEqual(journalDir("/base", "https://management.azure.com", svc), journalDir("/base", "https://management.azure.com", { ...svc, serviceName: "fabrikam" }));
  assert.equal(journalDir("/base", "https://management.azure.com", svc), journalDir("/base", "https://management.azure.com", { ...svc, resourceGroup: "RG" }), "ARM names are case-insensitive");
  assert.match(journalDir("/base", "x", svc), /^\/base\/contoso-[0-9a-f]{16}$/);
});
