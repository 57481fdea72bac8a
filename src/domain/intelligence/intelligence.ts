/**
 * Inventory-wide answers from the index: ranked search (including the specs' own content), the
 * governance audit, spec analysis, linting and version diffs. Every answer built from the index says
 * how fresh it is.
 */
import { DomainError } from "../errors.js";
import type { ApiCenterGateway, Resource } from "../gateway.js";
import { resolveScope, type Where } from "../scope.js";
import { diffSpecs, type SpecDiff } from "../specs/diff.js";
import { lintReport, type LintReport, type LintSeverity, type SpecLinter } from "../specs/linter.js";
import { operationSlice, operations, parseSpecDocument, summarize, type OperationRow, type SpecSummary } from "../specs/spec-doc.js";
import { decodeCursor, encodeCursor } from "../inventory.js";
import { deploymentView, latestOf, latestVersionView, type LatestVersion } from "../summaries.js";
import { findDrift, originLine, originOf, type Drift } from "../apim/provenance.js";
import { AuditCache, DRIFT_RULE, audit, type Finding, type Severity } from "./audit.js";
import { InventoryIndex, type CrawlProgress, type Freshness, type IndexedApi, type Snapshot } from "./inventory-index.js";
import { SearchIndex } from "./search.js";

export interface SearchQuery extends Where {
  query?: string;
  kind?: string;
  lifecycleStage?: string;
  environment?: string;
  customProperties?: Record<string, unknown>;
  limit: number;
  refresh?: boolean;
}

export interface SearchRow {
  name: string;
  title: string;
  kind: string;
  lifecycleStage?: string;
  summary?: string;
  latestVersion?: LatestVersion;
  /** Where it came from, when it was imported (e.g. "API Management contoso.azure-api.net"). */
  origin?: string;
  score?: number;
  matched?: string[];
}

export interface DefinitionRef {
  api: string;
  version: string;
  definition: string;
}

const lower = (v: unknown) => String(v ?? "").toLowerCase();

/** A filter value as the metadata schema types it: "true" is a boolean for a boolean property, "3" a number for a number. */
function coerce(value: unknown, schemaText: string | undefined): unknown {
  if (typeof value !== "string" || !schemaText) return value;
  let type: unknown;
  try {
    type = (JSON.parse(schemaText) as { type?: unknown }).type;
  } catch {
    return value;
  }
  if (type === "boolean" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  if ((type === "number" || type === "integer") && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  return value;
}

function sameValue(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((a) => sameValue(a, wanted));
  if (typeof actual === "string" && typeof wanted === "string") return actual.toLowerCase() === wanted.toLowerCase();
  return JSON.stringify(actual) === JSON.stringify(wanted);
}

const environmentsByName = (snapshot: Snapshot) => new Map(snapshot.environments.map((e) => [e.name.toLowerCase(), e]));

export class Intelligence {
  private searchCache = new WeakMap<Snapshot, { revision: number; index: SearchIndex }>();
  private readonly auditCache = new AuditCache();
  /** Where each indexed API was imported from, kept like the audit's per-API results (see AuditCache). */
  private readonly origins = new WeakMap<IndexedApi, { environments: Resource[]; apiSources: Resource[]; origin: ReturnType<typeof originOf> }>();

  private originOf(snapshot: Snapshot, entry: IndexedApi, environments: () => Map<string, Resource>): ReturnType<typeof originOf> {
    const kept = this.origins.get(entry);
    if (kept && kept.environments === snapshot.environments && kept.apiSources === snapshot.apiSources) return kept.origin;
    const origin = originOf(entry.deployments, environments(), snapshot.apiSources);
    this.origins.set(entry, { environments: snapshot.environments, apiSources: snapshot.apiSources, origin });
    return origin;
  }

  constructor(
    private readonly gateway: ApiCenterGateway,
    readonly index: InventoryIndex,
    private readonly linter: SpecLinter,
  ) {}

  /** The search index of a snapshot, brought up to date with the APIs re-read since it was last used. */
  private searchIndex(snapshot: Snapshot): SearchIndex {
    const cached = this.searchCache.get(snapshot);
    const oldest = snapshot.changes[0]?.revision ?? snapshot.revision + 1;
    if (!cached || (cached.revision < snapshot.revision && cached.revision + 1 < oldest)) {
      const index = new SearchIndex(snapshot);
      this.searchCache.set(snapshot, { revision: snapshot.revision, index });
      return index;
    }
    for (const c of snapshot.changes) {
      if (c.revision <= cached.revision) continue;
      const entry = snapshot.apis.get(c.api);
      if (entry) cached.index.put(entry);
      else cached.index.remove(c.api);
    }
    cached.revision = snapshot.revision;
    return cached.index;
  }

  async search(q: SearchQuery, onProgress?: CrawlProgress): Promise<{ results: SearchRow[]; total: number; freshness: Freshness }> {
    const snapshot = await this.index.get(q, { ...(q.refresh ? { refresh: true } : {}), ...(onProgress ? { onProgress } : {}) });
    const schemas = new Map(snapshot.metadataSchemas.map((m) => [m.name.toLowerCase(), String(m.properties.schema ?? "")]));
    const wanted = Object.entries(q.customProperties ?? {}).map(([k, v]) => [k, coerce(v, schemas.get(k.toLowerCase()))] as const);
    const allowed = (entry: IndexedApi): boolean => {
      const p = entry.resource.properties;
      if (q.kind && lower(p.kind) !== q.kind.toLowerCase()) return false;
      if (q.lifecycleStage && lower(p.lifecycleStage) !== q.lifecycleStage.toLowerCase()) return false;
      if (q.environment && !entry.deployments.some((d) => lower(deploymentView(d).environment) === q.environment!.toLowerCase())) return false;
      const custom = (p.customProperties ?? {}) as Record<string, unknown>;
      return wanted.every(([k, v]) => sameValue(custom[Object.keys(custom).find((c) => c.toLowerCase() === k.toLowerCase()) ?? k], v));
    };
    const environments = environmentsByName(snapshot);
    const row = (entry: IndexedApi): SearchRow => {
      const p = entry.resource.properties;
      const latest = latestOf(entry.versions, (v) => v.resource);
      const origin = originOf(entry.deployments, environments, snapshot.apiSources);
      return Object.fromEntries(
        Object.entries({
          name: entry.resource.name,
          title: String(p.title ?? entry.resource.name),
          kind: lower(p.kind),
          lifecycleStage: p.lifecycleStage ? lower(p.lifecycleStage) : undefined,
          summary: p.summary,
          latestVersion: latest ? latestVersionView(latest.resource, latest.definitions.map((d) => d.resource)) : undefined,
          origin: origin ? originLine(origin) : undefined,
        }).filter(([, v]) => v !== undefined),
      ) as unknown as SearchRow;
    };
    let results: SearchRow[];
    let total: number;
    if (q.query?.trim()) {
      // Without filters no entry is read but those of the rows returned (a saved index reads entries on demand).
      const filtered = Boolean(q.kind || q.lifecycleStage || q.environment || wanted.length);
      const found = this.searchIndex(snapshot).search(q.query, { limit: q.limit, ...(filtered ? { allowed: (key: string) => allowed(snapshot.apis.get(key)!) } : {}) });
      total = found.total;
      results = found.hits.map((h) => ({ ...row(snapshot.apis.get(h.api)!), score: h.score, matched: h.matched }));
    } else {
      const all = [...snapshot.apis.values()].filter(allowed).sort((a, b) => a.resource.name.localeCompare(b.resource.name));
      total = all.length;
      results = all.slice(0, q.limit).map(row);
    }
    return { results, total, freshness: this.index.freshness(snapshot) };
  }

  async audit(where: Where & { rules?: string[]; minSeverity?: Severity; refresh?: boolean }, onProgress?: CrawlProgress): Promise<{ findings: Finding[]; freshness: Freshness }> {
    const snapshot = await this.index.get(where, { ...(where.refresh ? { refresh: true } : {}), ...(onProgress ? { onProgress } : {}) });
    // Drift is read from API Management at audit time, not kept in the index: it changes on the other side.
    let drift: Drift[] | undefined;
    if (!where.rules?.length || where.rules.includes(DRIFT_RULE)) {
      const scope = resolveScope(where, this.gateway.defaultService);
      let byName: Map<string, Resource> | undefined;
      const environments = () => (byName ??= environmentsByName(snapshot));
      const imported = [...snapshot.apis.values()].flatMap((a) => {
        const origin = this.originOf(snapshot, a, environments);
        return origin ? [{ api: a.resource.name, origin }] : [];
      });
      drift = await findDrift(this.gateway, scope.path, scope.service.subscriptionId, imported, onProgress && ((m) => onProgress(0, 0, m)));
    }
    return {
      findings: audit(snapshot, { ...(where.rules ? { rules: where.rules } : {}), ...(where.minSeverity ? { minSeverity: where.minSeverity } : {}), ...(drift ? { drift } : {}) }, this.auditCache),
      freshness: this.index.freshness(snapshot),
    };
  }

  private async spec(where: Where, ref: DefinitionRef): Promise<{ text: string; specName?: string }> {
    const path = { ...resolveScope(where, this.gateway.defaultService).path, api: ref.api, version: ref.version, definition: ref.definition };
    const hint = `get_api '${ref.api}' shows its versions and definitions`;
    const def = await this.gateway.find("definition", path);
    if (!def) throw new DomainError("not_found", `definition '${ref.definition}' of ${ref.api} ${ref.version} does not exist; ${hint}`);
    let text: string;
    try {
      text = await this.gateway.exportSpecification(path);
    } catch (e) {
      if (e instanceof DomainError && e.kind === "not_found") throw new DomainError("not_found", `${ref.api}/${ref.version}/${ref.definition} has no spec yet; import one with import_spec`);
      throw e;
    }
    const specName = (def.properties.specification as { name?: string } | undefined)?.name;
    return { text, ...(specName ? { specName } : {}) };
  }

  async analyze(
    where: Where,
    ref: DefinitionRef,
    opts: { tag?: string; operationId?: string; limit: number; cursor?: string },
  ): Promise<{ specification?: string; bytes: number; summary: SpecSummary; models: string[]; operations: OperationRow[]; nextCursor?: string; operation?: unknown }> {
    const { text, specName } = await this.spec(where, ref);
    const doc = parseSpecDocument(text);
    if (!doc) throw new DomainError("invalid_input", `analysis is for OpenAPI and AsyncAPI specs; ${ref.api}/${ref.version}/${ref.definition} is ${specName ?? "something else"}: read it with export_spec mode 'whole'`);
    const offset = decodeCursor(opts.cursor);
    const ops = operations(doc).filter((o) => !opts.tag || (o.tags ?? []).some((t) => t.toLowerCase() === opts.tag!.toLowerCase()));
    const components = (doc.components ?? {}) as Record<string, unknown>;
    const models = Object.keys((components.schemas ?? doc.definitions ?? {}) as Record<string, unknown>);
    return {
      ...(specName ? { specification: specName } : {}),
      bytes: Buffer.byteLength(text),
      summary: summarize(doc),
      models: models.slice(0, 100),
      operations: ops.slice(offset, offset + opts.limit),
      ...(offset + opts.limit < ops.length ? { nextCursor: encodeCursor(offset + opts.limit) } : {}),
      ...(opts.operationId ? { operation: operationSlice(doc, { operationId: opts.operationId }) } : {}),
    };
  }

  async lint(where: Where, ref: DefinitionRef, opts: { limit: number; severity?: LintSeverity }): Promise<LintReport & { bytes: number }> {
    const { text, specName } = await this.spec(where, ref);
    const family = specName?.toLowerCase();
    if (family && family !== "openapi" && family !== "asyncapi") {
      throw new DomainError("invalid_input", `linting covers OpenAPI and AsyncAPI specs; ${ref.api}/${ref.version}/${ref.definition} is ${specName}`);
    }
    const { ruleset, results } = await this.linter.lint(text, specName);
    return { ...lintReport(ruleset, results, opts), bytes: Buffer.byteLength(text) };
  }

  async diff(where: Where, from: DefinitionRef, to: DefinitionRef): Promise<SpecDiff> {
    const [a, b] = await Promise.all([this.spec(where, from), this.spec(where, to)]);
    const before = parseSpecDocument(a.text);
    const after = parseSpecDocument(b.text);
    if (!before?.paths && !before?.swagger) throw new DomainError("invalid_input", `diff compares OpenAPI specs; ${from.api}/${from.version}/${from.definition} is not one`);
    if (!after?.paths && !after?.swagger) throw new DomainError("invalid_input", `diff compares OpenAPI specs; ${to.api}/${to.version}/${to.definition} is not one`);
    return diffSpecs(before, after);
  }
}
