import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type Db = Database.Database;

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
 * Append only: a released migration is never edited.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE resources (
    key          TEXT PRIMARY KEY,            -- the lower-cased ARM id (ARM names are case-insensitive)
    parent_key   TEXT REFERENCES resources(key) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    id           TEXT NOT NULL,               -- the ARM id with names as first created
    name         TEXT NOT NULL,
    scope_key    TEXT NOT NULL,               -- lower-cased '/subscriptions/{s}/resourceGroups/{rg}'
    doc          TEXT NOT NULL,               -- JSON: properties, and location/tags/identity/sku for services
    etag         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    modified_at  TEXT NOT NULL
  );
  CREATE INDEX resources_children ON resources(parent_key, kind);
  CREATE INDEX resources_scope ON resources(kind, scope_key);

  CREATE TABLE specs (
    definition_key TEXT PRIMARY KEY REFERENCES resources(key) ON DELETE CASCADE,
    content        TEXT NOT NULL,
    imported_at    TEXT NOT NULL
  );

  CREATE TABLE operations (
    id            TEXT PRIMARY KEY,
    resource_key  TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    status        TEXT NOT NULL,              -- NotStarted | InProgress | Succeeded | Failed
    start_time    TEXT NOT NULL,
    end_time      TEXT,
    error_code    TEXT,
    error_message TEXT
  );
  `,
  `
  -- APIs the local API Center made from API Management APIs (importFromApim, API sources): where each
  -- came from, which API source keeps it in sync (null for a one-off import), and the imported spec's digest.
  CREATE TABLE imported_apis (
    api_key        TEXT PRIMARY KEY REFERENCES resources(key) ON DELETE CASCADE,
    source_id      TEXT NOT NULL,
    api_source_key TEXT,
    spec_digest    TEXT,
    imported_at    TEXT NOT NULL
  );
  CREATE INDEX imported_apis_by_source ON imported_apis(api_source_key);
  `,
  // What changed, for other processes on the same file (PRAGMA data_version tells them when to look)
  // and for indexes saved by earlier ones: each resource or spec key with the sequence number of its
  // latest change, deletions included. `history` names this database, so a position in another
  // (a file deleted and made again) is not taken for one in this.
  `
  CREATE TABLE change_seq (history TEXT NOT NULL, n INTEGER NOT NULL);
  INSERT INTO change_seq VALUES (lower(hex(randomblob(8))), 0);
  CREATE TABLE changes (key TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX changes_by_seq ON changes(seq);
  CREATE TRIGGER resources_inserted AFTER INSERT ON resources BEGIN
    UPDATE change_seq SET n = n + 1;
    INSERT INTO changes VALUES (new.key, (SELECT n FROM change_seq)) ON CONFLICT(key) DO UPDATE SET seq = excluded.seq;
  END;
  CREATE TRIGGER resources_updated AFTER UPDATE ON resources BEGIN
    UPDATE change_seq SET n = n + 1;
    INSERT INTO changes VALUES (new.key, (SELECT n FROM change_seq)) ON CONFLICT(key) DO UPDATE SET seq = excluded.seq;
  END;
  CREATE TRIGGER resources_deleted AFTER DELETE ON resources BEGIN
    UPDATE change_seq SET n = n + 1;
    INSERT INTO changes VALUES (old.key, (SELECT n FROM change_seq)) ON CONFLICT(key) DO UPDATE SET seq = excluded.seq;
  END;
  CREATE TRIGGER specs_written AFTER INSERT ON specs BEGIN
    UPDATE change_seq SET n = n + 1;
    INSERT INTO changes VALUES (new.definition_key, (SELECT n FROM change_seq)) ON CONFLICT(key) DO UPDATE SET seq = excluded.seq;
  END;
  CREATE TRIGGER specs_rewritten AFTER UPDATE ON specs BEGIN
    UPDATE change_seq SET n = n + 1;
    INSERT INTO changes VALUES (new.definition_key, (SELECT n FROM change_seq)) ON CONFLICT(key) DO UPDATE SET seq = excluded.seq;
  END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (creating if needed) the database and brings its schema up to date. */
export function openDb(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_DLOPEN_FAILED") {
      throw new Error(
        `the SQLite module was built for another Node.js than this one (${process.version}): run \`npm rebuild better-sqlite3\` with this Node, or start apicenter-mcp with the Node it was installed with`,
      );
    }
    throw e;
  }
  db.pragma("journal_mode = WAL");
  // FULL: a write is on disk before it is acknowledged, so it survives a crash or power loss.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the local API Center database is at schema version ${current}, newer than this build knows (${MIGRATIONS.length}); upgrade apicenter-mcp or use another --db`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
