/**
 * `apicenter-mcp doctor`: checks what the server needs, one line each, and says how to fix what is
 * wrong. Node and the SQLite module; with --http, the address; for the local API Center its database
 * file and whether another process has it open; on Azure the credential chain, the subscription, the
 * service and the access.
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import type { Config } from "../config/config.js";
import { listenHint } from "./listen-errors.js";
import { PACKAGE_ROOT, packageJson, version } from "./package-info.js";

export type Status = "ok" | "warn" | "fail";

export interface Finding {
  status: Status;
  subject: string;
  detail: string;
  /** Further lines worth reading (e.g. each credential's error). */
  notes?: string[];
  fix?: string;
}

const LABEL: Record<Status, string> = { ok: "ok", warn: "warn", fail: "FAIL" };

function renderFinding(f: Finding): string {
  const pad = " ".repeat(8);
  const lines = [`  ${LABEL[f.status].padEnd(6)}${f.subject}: ${f.detail}`];
  for (const n of f.notes ?? []) lines.push(`${pad}${n}`);
  if (f.fix) lines.push(`${pad}fix: ${f.fix}`);
  return lines.join("\n") + "\n";
}

export function checkNode(nodeVersion = process.versions.node): Finding {
  const needed = packageJson().engines.node;
  const min = Number(/\d+/.exec(needed)?.[0] ?? 0);
  const major = Number(nodeVersion.split(".")[0]);
  const subject = "Node.js";
  const detail = `v${nodeVersion} (${process.execPath}); apicenter-mcp needs ${needed}`;
  return major >= min ? { status: "ok", subject, detail } : { status: "fail", subject, detail, fix: `install Node.js ${min} or later (https://nodejs.org), then reinstall apicenter-mcp with it` };
}

/** Loads the native SQLite module the way the local API Center does, on an in-memory database. */
async function checkSqlite(needed: boolean): Promise<Finding> {
  const subject = "SQLite module (better-sqlite3)";
  try {
    const { openDb } = await import("../emulator/db.js");
    const db = openDb(":memory:");
    const sqlite = db.prepare("SELECT sqlite_version()").pluck().get() as string;
    db.close();
    return { status: "ok", subject, detail: `loads (SQLite ${sqlite}, Node module ABI ${process.versions.modules})` };
  } catch (e) {
    return {
      status: needed ? "fail" : "warn",
      subject,
      detail: `does not load: ${(e as Error).message}${needed ? "" : " (only the local API Center needs it)"}`,
      fix: `run \`npm rebuild better-sqlite3\` in ${PACKAGE_ROOT} with this Node (${process.execPath}), or start apicenter-mcp with the Node that installed it`,
    };
  }
}

/** The nearest folder on the way to `path` that exists. */
function existingAncestor(path: string): string {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

async function checkDatabase(path: string): Promise<Finding> {
  const subject = "database";
  if (!existsSync(path)) {
    const dir = existingAncestor(path);
    try {
      accessSync(dir, constants.W_OK);
      return { status: "ok", subject, detail: `${path} does not exist yet; it is created on first start (${dir} is writable)` };
    } catch {
      return { status: "fail", subject, detail: `${path} does not exist and ${dir} is not writable`, fix: "pass --db (or set APICENTER_DB) to a file in a folder you can write" };
    }
  }
  const { default: Sqlite } = await import("better-sqlite3");
  const { SCHEMA_VERSION } = await import("../emulator/db.js");
  let db: Database.Database;
  try {
    db = new Sqlite(path, { fileMustExist: true, timeout: 0 });
  } catch (e) {
    return { status: "fail", subject, detail: `${path} cannot be opened: ${(e as Error).message}`, fix: "check the file's permissions, or pass --db (or set APICENTER_DB) to another file" };
  }
  try {
    return inspect(db, path, SCHEMA_VERSION);
  } catch (e) {
    return { status: "fail", subject, detail: `${path} cannot be read: ${(e as Error).message}`, fix: "pass --db (or set APICENTER_DB) to another file; move this one aside if it is not the local API Center's" };
  } finally {
    db.close();
  }
}

function inspect(db: Database.Database, path: string, known: number): Finding {
  const subject = "database";
  const schema = db.pragma("user_version", { simple: true }) as number;
  const size = `${(statSync(path).size / 1024).toFixed(0)} KiB`;
  if (schema > known) {
    return {
      status: "fail",
      subject,
      detail: `${path} is at schema version ${schema}, newer than this apicenter-mcp knows (${known})`,
      fix: "upgrade apicenter-mcp, or pass --db (or set APICENTER_DB) to another file",
    };
  }
  const schemaNote = schema === known ? `schema version ${schema}` : `schema version ${schema}, brought to ${known} on next start`;
  const writer = busy(() => db.exec("BEGIN IMMEDIATE; COMMIT;"));
  if (writer) {
    return {
      status: "warn",
      subject,
      detail: `${path} (${size}, ${schemaNote}) is being written by another process right now`,
      fix: "if that lasts, find the process holding it (e.g. `lsof` on the file) and stop it; writes wait 5 s for the lock and then fail",
    };
  }
  // Exclusive locking in WAL mode is refused while any other connection has the file open.
  const shared = busy(() => {
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE; COMMIT;");
  });
  const detail = `${path} (${size}, ${schemaNote}) opens for reading and writing; ${shared ? "also open in another process (e.g. a server an MCP client started): they share it safely" : "no other process has it open"}`;
  return { status: "ok", subject, detail };
}

/** For --http: whether the address can be listened on, by listening on it for a moment. */
async function checkPort(host: string, port: number): Promise<Finding> {
  const subject = "HTTP address";
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    return { status: "ok", subject, detail: `${host}:${port} is free to listen on` };
  } catch (e) {
    return { status: "fail", subject, detail: listenHint(e as Error, host, port).message };
  } finally {
    server.close();
  }
}

function busy(work: () => void): boolean {
  try {
    work();
    return false;
  } catch (e) {
    if ((e as { code?: string }).code === "SQLITE_BUSY") return true;
    throw e;
  }
}

export async function runDoctor(config: Config, out: NodeJS.WritableStream): Promise<number> {
  out.write(`apicenter-mcp ${version()} doctor: ${config.backend === "local" ? "the embedded local API Center" : `Azure API Center '${config.serviceName}'`}\n`);
  const findings: Finding[] = [];
  const report = (f: Finding) => {
    findings.push(f);
    out.write(renderFinding(f));
  };
  report(checkNode());
  const sqlite = await checkSqlite(config.backend === "local");
  report(sqlite);
  if (config.transport === "http") report(await checkPort(config.host, config.port));
  if (config.backend === "local") {
    if (sqlite.status === "ok") report(await checkDatabase(config.dbPath));
  } else {
    const { azureFindings } = await import("./doctor-azure.js");
    for await (const f of azureFindings(config)) report(f);
  }
  const failed = findings.filter((f) => f.status === "fail").length;
  const warned = findings.filter((f) => f.status === "warn").length;
  out.write(
    failed
      ? `${failed} problem${failed > 1 ? "s" : ""} to fix${warned ? `, ${warned} warning${warned > 1 ? "s" : ""}` : ""}.\n`
      : `Everything apicenter-mcp needs is in place${warned ? ` (${warned} warning${warned > 1 ? "s" : ""})` : ""}.\n`,
  );
  return failed ? 1 : 0;
}
