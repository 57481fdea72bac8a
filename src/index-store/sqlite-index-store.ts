/**
 * The inventory index saved between processes, in a SQLite file beside the local database.
 *
 * SQLite rather than a JSON file renamed into place: a write made through the server updates one
 * API's row instead of rewriting an index of 20,000; two processes sharing the file (two MCP hosts
 * of one user) each apply their updates in a transaction, under WAL, without losing the other's;
 * and a reader always sees a complete state. It is a cache: a file from another format version, or
 * one that cannot be read, is started afresh.
 */
import Database from "better-sqlite3";
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import type { IndexStore, IndexUpdate, SavedIndex } from "../domain/intelligence/index-store.js";
import type { IndexedApi } from "../domain/intelligence/inventory-index.js";
import type { SearchDocument } from "../domain/intelligence/search.js";

/** Bumped whenever the saved shape of an entry changes: older files are started afresh. */
const FORMAT = 2;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS scopes (
    scope_key        TEXT PRIMARY KEY,
    built_at         INTEGER NOT NULL,
    cursor           TEXT,
    environments     TEXT NOT NULL,
    metadata_schemas TEXT NOT NULL,
    api_sources      TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS apis (
    scope_key TEXT NOT NULL,
    api       TEXT NOT NULL,            -- the API's name lower-cased
    entry     TEXT NOT NULL,            -- the IndexedApi as JSON
    search    TEXT NOT NULL,            -- its SearchDocument as JSON
    PRIMARY KEY (scope_key, api)
  ) WITHOUT ROWID;
`;

function open(path: string): Database.Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // A cache: losing the last update to a power cut costs a re-read, not data.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version !== FORMAT) {
    db.exec("DROP TABLE IF EXISTS scopes; DROP TABLE IF EXISTS apis;");
    db.exec(SCHEMA);
    db.pragma(`user_version = ${FORMAT}`);
  }
  return db;
}

export class SqliteIndexStore implements IndexStore {
  private readonly db: Database.Database;
  private readonly stmts;
  /** Updates not written yet: written together once the answer that made them is out. */
  private pending: Array<{ scopeKey: string; update: IndexUpdate; written: () => void; failed: (e: Error) => void }> = [];
  private flushing: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(path: string) {
    let db: Database.Database;
    try {
      db = open(path);
    } catch {
      // Unreadable (corrupt, or written by something else): the index is rebuilt anyway.
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
      db = open(path);
    }
    this.db = db;
    this.stmts = {
      scope: db.prepare<[string], { built_at: number; cursor: string | null; environments: string; metadata_schemas: string; api_sources: string }>(
        "SELECT built_at, cursor, environments, metadata_schemas, api_sources FROM scopes WHERE scope_key = ?",
      ),
      entries: db.prepare<[string], { api: string; entry: string; search: string }>("SELECT api, entry, search FROM apis WHERE scope_key = ?"),
      upsertScope: db.prepare(
        `INSERT INTO scopes (scope_key, built_at, cursor, environments, metadata_schemas, api_sources)
         VALUES (@scopeKey, @builtAt, @cursor, coalesce(@environments, '[]'), coalesce(@metadataSchemas, '[]'), coalesce(@apiSources, '[]'))
         ON CONFLICT(scope_key) DO UPDATE SET built_at = excluded.built_at,
           cursor = coalesce(@cursor, scopes.cursor),
           environments = coalesce(@environments, scopes.environments),
           metadata_schemas = coalesce(@metadataSchemas, scopes.metadata_schemas),
           api_sources = coalesce(@apiSources, scopes.api_sources)`,
      ),
      clearScope: db.prepare<[string]>("DELETE FROM apis WHERE scope_key = ?"),
      forgetCursor: db.prepare<[string]>("UPDATE scopes SET cursor = NULL WHERE scope_key = ?"),
      put: db.prepare<[string, string, string, string]>("INSERT OR REPLACE INTO apis (scope_key, api, entry, search) VALUES (?, ?, ?, ?)"),
      remove: db.prepare<[string, string]>("DELETE FROM apis WHERE scope_key = ? AND api = ?"),
    };
  }

  async load(scopeKey: string): Promise<SavedIndex | undefined> {
    this.flush();
    return this.db.transaction(() => {
      const scope = this.stmts.scope.get(scopeKey);
      if (!scope) return undefined;
      return {
        builtAt: scope.built_at,
        ...(scope.cursor !== null ? { cursor: scope.cursor } : {}),
        environments: JSON.parse(scope.environments),
        metadataSchemas: JSON.parse(scope.metadata_schemas),
        apiSources: JSON.parse(scope.api_sources),
        // The entries stay text until asked for: a search needs only the documents.
        apis: this.stmts.entries.all(scopeKey).map((r) => ({ key: r.api, entry: () => JSON.parse(r.entry) as IndexedApi, search: JSON.parse(r.search) as SearchDocument })),
      };
    })();
  }

  /**
   * Settles once the update is written (or could not be: a busy or full disk rejects it, and the next
   * process re-reads a little more). After close there is nowhere to write: a background crawl that
   * ends while the server shuts down saves nothing (the next process revalidates anyway).
   */
  save(scopeKey: string, update: IndexUpdate): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((written, failed) => {
      this.pending.push({ scopeKey, update, written, failed });
      this.flushing ??= setImmediate(() => this.flush());
    });
  }

  /** Writes what is pending, each update in its own transaction; one that fails does not stop the others. */
  flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    const pending = this.pending;
    this.pending = [];
    for (const { scopeKey, update, written, failed } of pending) {
      try {
        this.write(scopeKey, update);
        written();
      } catch (e) {
        failed(new Error(`could not save the inventory index: ${(e as Error).message}`));
      }
    }
  }

  private write(scopeKey: string, update: IndexUpdate): void {
    this.db.transaction(() => {
      if (update.replace) this.stmts.clearScope.run(scopeKey);
      if (update.cursor === undefined) this.stmts.forgetCursor.run(scopeKey);
      this.stmts.upsertScope.run({
        scopeKey,
        builtAt: update.builtAt,
        cursor: update.cursor ?? null,
        environments: update.environments ? JSON.stringify(update.environments) : null,
        metadataSchemas: update.metadataSchemas ? JSON.stringify(update.metadataSchemas) : null,
        apiSources: update.apiSources ? JSON.stringify(update.apiSources) : null,
      });
      for (const { entry, search } of update.put) this.stmts.put.run(scopeKey, entry.resource.name.toLowerCase(), JSON.stringify(entry), JSON.stringify(search()));
      for (const key of update.remove) this.stmts.remove.run(scopeKey, key);
    })();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
