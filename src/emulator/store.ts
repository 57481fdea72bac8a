import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { Db } from "./db.js";
import type { SqlCondition } from "./filter.js";

/** What a resource holds besides its identity: `properties`, plus the tracked fields of a service. */
export interface ResourceDoc {
  properties: Record<string, unknown>;
  location?: string;
  tags?: Record<string, string>;
  identity?: Record<string, unknown> | null;
  sku?: Record<string, unknown>;
  zones?: string[] | null;
  /** What the service keeps about a resource besides what it answers (an activation under way, say). */
  state?: Record<string, unknown>;
}

export interface StoredResource {
  rowid: number;
  key: string;
  parentKey: string | null;
  kind: string;
  id: string;
  name: string;
  doc: ResourceDoc;
  etag: string;
  createdAt: string;
  modifiedAt: string;
}

export interface NewResource {
  key: string;
  parentKey: string | null;
  kind: string;
  id: string;
  name: string;
  scopeKey: string;
  doc: ResourceDoc;
  now: string;
}

/** An API made from an API Management API, and what keeps it in sync. */
export interface ImportedApi {
  apiKey: string;
  /** The API Management API's ARM id. */
  sourceId: string;
  /** The API source that keeps it in sync; null for a one-off import. */
  apiSourceKey: string | null;
  specDigest: string | null;
  importedAt: string;
}

export interface OperationRow {
  id: string;
  resourceKey: string;
  resourceId: string;
  status: "NotStarted" | "InProgress" | "Succeeded" | "Failed";
  startTime: string;
  endTime: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

interface Row {
  rowid: number;
  key: string;
  parent_key: string | null;
  kind: string;
  id: string;
  name: string;
  doc: string;
  etag: string;
  created_at: string;
  modified_at: string;
}

const COLUMNS = "rowid, key, parent_key, kind, id, name, doc, etag, created_at, modified_at";

/** A fresh etag for every write, in live Azure's shape (`c1000259-0000-0100-0000-67063c230000`). */
function newEtag(): string {
  const hex = randomUUID().replace(/-/g, "");
  return `${hex.slice(0, 8)}-0000-0100-0000-${hex.slice(8, 20)}`;
}

const toResource = (r: Row): StoredResource => ({
  rowid: r.rowid,
  key: r.key,
  parentKey: r.parent_key,
  kind: r.kind,
  id: r.id,
  name: r.name,
  doc: JSON.parse(r.doc) as ResourceDoc,
  etag: r.etag,
  createdAt: r.created_at,
  modifiedAt: r.modified_at,
});

const toImported = (r: Record<string, string | null>): ImportedApi => ({
  apiKey: r.api_key!,
  sourceId: r.source_id!,
  apiSourceKey: r.api_source_key ?? null,
  specDigest: r.spec_digest ?? null,
  importedAt: r.imported_at!,
});

/**
 * Persistence of the local API Center: resources (a tree by parent key, each with a JSON doc and an
 * etag stamped on every write), spec contents and long-running operations. Knows nothing of HTTP.
 */
export class Store {
  private readonly stmts;
  private dataVersion: number | undefined;
  /** Statements of the list queries, whose SQL varies with the filter: prepared once per shape. */
  private readonly listStatements = new Map<string, Database.Statement<unknown[], Row>>();

  constructor(readonly db: Db) {
    this.stmts = {
      get: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM resources WHERE key = ?`),
      upsert: db.prepare(
        `INSERT INTO resources (key, parent_key, kind, id, name, scope_key, doc, etag, created_at, modified_at)
         VALUES (@key, @parentKey, @kind, @id, @name, @scopeKey, @doc, @etag, @now, @now)
         ON CONFLICT(key) DO UPDATE SET doc = excluded.doc, etag = excluded.etag, modified_at = excluded.modified_at`,
      ),
      updateDoc: db.prepare<[string, string, string]>(`UPDATE resources SET doc = ?, etag = ? WHERE key = ?`),
      updateDocModified: db.prepare<[string, string, string, string]>(`UPDATE resources SET doc = ?, etag = ?, modified_at = ? WHERE key = ?`),
      descendants: db.prepare<[string, string], Row>(`SELECT ${COLUMNS} FROM resources WHERE key > ? AND key < ? ORDER BY rowid`),
      changeSeq: db.prepare<[], { history: string; n: number }>(`SELECT history, n FROM change_seq`),
      changesSince: db.prepare<[number], { key: string; seq: number }>(`SELECT key, seq FROM changes WHERE seq > ? ORDER BY seq`),
      delete: db.prepare<[string]>(`DELETE FROM resources WHERE key = ?`),
      listServices: db.prepare<[string, string, number, number], Row>(
        `SELECT ${COLUMNS} FROM resources WHERE kind = 'service' AND (scope_key = ? OR scope_key LIKE ? ESCAPE '\\')
         AND rowid > ? ORDER BY rowid LIMIT ?`,
      ),
      countServices: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM resources WHERE kind = 'service'`),
      listKind: db.prepare<[string, string, string, number, number], Row>(
        `SELECT ${COLUMNS} FROM resources WHERE kind = ? AND (scope_key = ? OR scope_key LIKE ? ESCAPE '\\')
         AND rowid > ? ORDER BY rowid LIMIT ?`,
      ),
      getSpec: db.prepare<[string], { content: string }>(`SELECT content FROM specs WHERE definition_key = ?`),
      putSpec: db.prepare(
        `INSERT INTO specs (definition_key, content, imported_at) VALUES (?, ?, ?)
         ON CONFLICT(definition_key) DO UPDATE SET content = excluded.content, imported_at = excluded.imported_at`,
      ),
      getOp: db.prepare<[string], Record<string, string | null>>(`SELECT * FROM operations WHERE id = ?`),
      putOp: db.prepare(
        `INSERT INTO operations (id, resource_key, resource_id, status, start_time, end_time, error_code, error_message)
         VALUES (@id, @resourceKey, @resourceId, @status, @startTime, @endTime, @errorCode, @errorMessage)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, end_time = excluded.end_time,
           error_code = excluded.error_code, error_message = excluded.error_message`,
      ),
      getImported: db.prepare<[string], Record<string, string | null>>(`SELECT * FROM imported_apis WHERE api_key = ?`),
      putImported: db.prepare(
        `INSERT INTO imported_apis (api_key, source_id, api_source_key, spec_digest, imported_at)
         VALUES (@apiKey, @sourceId, @apiSourceKey, @specDigest, @importedAt)
         ON CONFLICT(api_key) DO UPDATE SET source_id = excluded.source_id, api_source_key = excluded.api_source_key,
           spec_digest = excluded.spec_digest, imported_at = excluded.imported_at`,
      ),
      importedBySource: db.prepare<[string], Record<string, string | null>>(`SELECT * FROM imported_apis WHERE api_source_key = ?`),
      failInterrupted: db.prepare(
        `UPDATE operations SET status = 'Failed', end_time = ?, error_code = 'OperationInterrupted',
           error_message = 'the local API Center restarted while this operation ran; start it again'
         WHERE status IN ('NotStarted', 'InProgress')`,
      ),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  get(key: string): StoredResource | undefined {
    const row = this.stmts.get.get(key);
    return row ? toResource(row) : undefined;
  }

  /** Inserts or replaces the resource's doc; returns whether it was created. */
  upsert(res: NewResource): { created: boolean; resource: StoredResource } {
    const existed = this.stmts.get.get(res.key) !== undefined;
    this.stmts.upsert.run({ ...res, doc: JSON.stringify(res.doc), etag: newEtag() });
    return { created: !existed, resource: this.get(res.key)! };
  }

  /**
   * Rewrites a doc: one the service derives keeps its modified time (the caller did not write it);
   * one an action changed (a spec imported into a definition) takes `modifiedAt`, as live Azure does.
   */
  updateDoc(key: string, doc: ResourceDoc, modifiedAt?: string): void {
    if (modifiedAt) this.stmts.updateDocModified.run(JSON.stringify(doc), newEtag(), modifiedAt, key);
    else this.stmts.updateDoc.run(JSON.stringify(doc), newEtag(), key);
  }

  /** Everything below a resource, in creation order (one range scan of the key index). */
  descendants(key: string): StoredResource[] {
    // Keys below `key` start with `key/`; '0' is the character after '/'.
    return this.stmts.descendants.all(`${key}/`, `${key}0`).map(toResource);
  }

  /**
   * Commits made to this file by other connections (other processes) since the last call: true once
   * per change. SQLite's data_version moves only for other connections' commits.
   */
  changedElsewhere(): boolean {
    const v = this.db.pragma("data_version", { simple: true }) as number;
    const changed = this.dataVersion !== undefined && v !== this.dataVersion;
    this.dataVersion = v;
    return changed;
  }

  /** This database's history of changes and the latest change's sequence number in it. */
  changeSeq(): { history: string; n: number } {
    return this.stmts.changeSeq.get()!;
  }

  /** Keys of resources (and definitions whose spec) changed after `seq`, deleted ones included. */
  changesSince(seq: number): Array<{ key: string; seq: number }> {
    return this.stmts.changesSince.all(seq);
  }

  /** Deletes the resource and, through the foreign keys, everything below it. */
  delete(key: string): boolean {
    return this.stmts.delete.run(key).changes > 0;
  }

  /** One page of a parent's children of a kind, in creation order, after `afterRowid`. */
  listChildren(
    parentKey: string,
    kind: string,
    opts: { where?: SqlCondition; afterRowid: number; limit: number },
  ): StoredResource[] {
    const where = opts.where ? ` AND ${opts.where.sql}` : "";
    const sql = `SELECT ${COLUMNS} FROM resources WHERE parent_key = ? AND kind = ? AND rowid > ?${where} ORDER BY rowid LIMIT ?`;
    let stmt = this.listStatements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<unknown[], Row>(sql);
      if (this.listStatements.size > 200) this.listStatements.clear();
      this.listStatements.set(sql, stmt);
    }
    const rows = stmt.all(parentKey, kind, opts.afterRowid, ...(opts.where?.params ?? []), opts.limit);
    return rows.map(toResource);
  }

  /** Every child of a kind (for derived state and validation, not for paging). */
  allChildren(parentKey: string, kind: string): StoredResource[] {
    return this.listChildren(parentKey, kind, { afterRowid: 0, limit: -1 });
  }

  /** Services whose scope key starts with `scopePrefix` (a subscription or a resource group). */
  listServices(scopePrefix: string, opts: { afterRowid: number; limit: number }): StoredResource[] {
    const like = `${scopePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
    return this.stmts.listServices.all(scopePrefix, like, opts.afterRowid, opts.limit).map(toResource);
  }

  /** Resources of a kind whose scope key is `scopePrefix` or below it (a subscription or a resource group). */
  listKind(kind: string, scopePrefix: string, opts: { afterRowid: number; limit: number }): StoredResource[] {
    const like = `${scopePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
    return this.stmts.listKind.all(kind, scopePrefix, like, opts.afterRowid, opts.limit).map(toResource);
  }

  countServices(): number {
    return this.stmts.countServices.get()!.n;
  }

  getSpec(definitionKey: string): string | undefined {
    return this.stmts.getSpec.get(definitionKey)?.content;
  }

  putSpec(definitionKey: string, content: string, now: string): void {
    this.stmts.putSpec.run(definitionKey, content, now);
  }

  getOperation(id: string): OperationRow | undefined {
    const r = this.stmts.getOp.get(id);
    if (!r) return undefined;
    return {
      id: r.id!,
      resourceKey: r.resource_key!,
      resourceId: r.resource_id!,
      status: r.status as OperationRow["status"],
      startTime: r.start_time!,
      endTime: r.end_time ?? null,
      errorCode: r.error_code ?? null,
      errorMessage: r.error_message ?? null,
    };
  }

  putOperation(op: OperationRow): void {
    this.stmts.putOp.run(op);
  }

  getImported(apiKey: string): ImportedApi | undefined {
    const r = this.stmts.getImported.get(apiKey);
    return r ? toImported(r) : undefined;
  }

  putImported(row: ImportedApi): void {
    this.stmts.putImported.run(row);
  }

  /** The APIs an API source keeps in sync. */
  importedBySource(apiSourceKey: string): ImportedApi[] {
    return this.stmts.importedBySource.all(apiSourceKey).map(toImported);
  }

  /** Operations cut off by a restart cannot finish: mark them failed so pollers stop. */
  failInterruptedOperations(now: string): void {
    this.stmts.failInterrupted.run(now);
  }

  close(): void {
    this.db.close();
  }
}
