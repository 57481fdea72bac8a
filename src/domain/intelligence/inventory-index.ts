/**
 * An index of the whole inventory, built by crawling through the gateway (the same for Azure and the
 * local API Center): APIs, versions, definitions with a digest of their specs, deployments,
 * environments and metadata schemas. The crawl keeps at most `concurrency` calls in flight (the ARM
 * pipeline under it honours 429 + Retry-After); the index lives for `ttlMs`, and every write made
 * through this server marks what it touched, which is re-read before the next answer.
 */
import { mapLimit } from "../concurrency.js";
import { DomainError } from "../errors.js";
import type { ApiCenterGateway, Kind, Path, Resource } from "../gateway.js";
import { resolveScope, scopeOfPath, type Scope, type Where } from "../scope.js";
import { operations, parseSpecDocument, specInfo, type OperationRow } from "../specs/spec-doc.js";

export interface SpecDigest {
  title?: string;
  description?: string;
  operations: OperationRow[];
}

export interface IndexedDefinition {
  resource: Resource;
  hasSpec: boolean;
  /** For OpenAPI and AsyncAPI specs: their info and operations. */
  digest?: SpecDigest;
}

export interface IndexedVersion {
  resource: Resource;
  definitions: IndexedDefinition[];
}

export interface IndexedApi {
  resource: Resource;
  versions: IndexedVersion[];
  deployments: Resource[];
}

export interface Snapshot {
  apis: Map<string, IndexedApi>;
  environments: Resource[];
  metadataSchemas: Resource[];
  /** The workspace's API sources: where imported APIs come from. */
  apiSources: Resource[];
  /** When the full crawl finished (epoch ms). */
  builtAt: number;
  /** When the last incremental refresh finished. */
  refreshedAt: number;
  /** Bumped by every incremental refresh; `changes` says which APIs each one re-read (or removed). */
  revision: number;
  changes: Array<{ revision: number; api: string }>;
  crawl: { calls: number; ms: number };
}

export interface Freshness {
  builtAt: string;
  ageSeconds: number;
  apis: number;
  /** What it took to build: ARM calls and milliseconds. */
  crawlCalls: number;
  crawlMs: number;
}

export interface IndexOptions {
  /** How long a crawl stays valid. */
  ttlMs?: number;
  /** ARM calls in flight at once while crawling. */
  concurrency?: number;
  /** Specs larger than this are indexed without a digest (their operations are not searchable). */
  maxDigestBytes?: number;
}

export type CrawlProgress = (done: number, total: number, message: string) => void;

interface State {
  snapshot?: Snapshot;
  building?: Promise<Snapshot>;
  dirtyApis: Set<string>;
  dirtyEnvironments: boolean;
  dirtySchemas: boolean;
}

export class InventoryIndex {
  private readonly states = new Map<string, State>();
  private readonly ttlMs: number;
  private readonly concurrency: number;
  private readonly maxDigestBytes: number;

  constructor(
    private readonly gateway: ApiCenterGateway,
    options: IndexOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.concurrency = options.concurrency ?? 8;
    this.maxDigestBytes = options.maxDigestBytes ?? 32 * 1024 * 1024;
  }

  private state(key: string): State {
    let s = this.states.get(key);
    if (!s) {
      s = { dirtyApis: new Set(), dirtyEnvironments: false, dirtySchemas: false };
      this.states.set(key, s);
    }
    return s;
  }

  /** Marks what a write touched, so the next answer re-reads it. Metadata schemas are service-wide. */
  invalidate(kind: Kind, path: Path): void {
    const key = scopeOfPath(path, this.gateway.defaultService).key;
    for (const [stateKey, s] of this.states) {
      if (kind === "metadataSchema") {
        s.dirtySchemas = true;
        continue;
      }
      if (stateKey !== key) continue;
      if (kind === "environment") s.dirtyEnvironments = true;
      else if (path.api) s.dirtyApis.add(path.api);
      else s.snapshot = undefined;
    }
  }

  freshness(snapshot: Snapshot, now = Date.now()): Freshness {
    return {
      builtAt: new Date(snapshot.builtAt).toISOString(),
      ageSeconds: Math.round((now - snapshot.builtAt) / 1000),
      apis: snapshot.apis.size,
      crawlCalls: snapshot.crawl.calls,
      crawlMs: snapshot.crawl.ms,
    };
  }

  /** The index for a workspace: built when missing, expired or refresh is asked for; what writes touched is re-read first. */
  async get(where: Where, opts: { refresh?: boolean; onProgress?: CrawlProgress } = {}): Promise<Snapshot> {
    const scope = resolveScope(where, this.gateway.defaultService);
    const s = this.state(scope.key);
    const expired = s.snapshot && Date.now() - s.snapshot.builtAt > this.ttlMs;
    if (!s.snapshot || expired || opts.refresh) {
      if (!s.building) {
        s.dirtyApis.clear();
        s.dirtyEnvironments = s.dirtySchemas = false;
        s.building = this.crawl(scope, opts.onProgress).finally(() => (s.building = undefined));
      }
      s.snapshot = await s.building;
    }
    await this.refreshDirty(scope, s);
    return s.snapshot!;
  }

  private async refreshDirty(scope: Scope, s: State): Promise<void> {
    const snap = s.snapshot!;
    if (!s.dirtySchemas && !s.dirtyEnvironments && s.dirtyApis.size === 0) return;
    const ws = scope.path;
    if (s.dirtySchemas) {
      s.dirtySchemas = false;
      snap.metadataSchemas = await this.gateway.list("metadataSchema", { service: scope.service });
    }
    if (s.dirtyEnvironments) {
      s.dirtyEnvironments = false;
      snap.environments = await this.gateway.list("environment", ws);
    }
    if (s.dirtyApis.size) {
      const names = [...s.dirtyApis];
      s.dirtyApis.clear();
      const counter = { calls: 0 };
      await mapLimit(names, this.concurrency, async (name) => {
        const api = await this.gateway.find("api", { ...ws, api: name });
        if (!api) snap.apis.delete(name);
        else snap.apis.set(api.name, await this.crawlApi(ws, api, counter));
      });
      snap.revision += 1;
      for (const api of names) snap.changes.push({ revision: snap.revision, api });
      if (snap.changes.length > 10_000) snap.changes.splice(0, snap.changes.length - 10_000);
    }
    snap.refreshedAt = Date.now();
  }

  private async crawl(scope: Scope, onProgress?: CrawlProgress): Promise<Snapshot> {
    const started = Date.now();
    const counter = { calls: 0 };
    const ws = scope.path;
    const count = <T>(p: Promise<T>) => {
      counter.calls += 1;
      return p;
    };
    const [apis, environments, metadataSchemas, apiSources] = await Promise.all([
      count(this.gateway.list("api", ws)),
      count(this.gateway.list("environment", ws)),
      count(this.gateway.list("metadataSchema", { service: scope.service })),
      count(this.gateway.list("apiSource", ws)),
    ]);
    onProgress?.(0, apis.length, `indexing ${apis.length} APIs`);
    let done = 0;
    const step = Math.max(1, Math.ceil(apis.length / 20));
    const entries = await mapLimit(apis, this.concurrency, async (api) => {
      const entry = await this.crawlApi(ws, api, counter);
      done += 1;
      if (done % step === 0 || done === apis.length) onProgress?.(done, apis.length, `indexed ${done} of ${apis.length} APIs`);
      return entry;
    });
    const now = Date.now();
    return {
      apis: new Map(entries.map((e) => [e.resource.name, e])),
      environments,
      metadataSchemas,
      apiSources,
      builtAt: now,
      refreshedAt: now,
      revision: 0,
      changes: [],
      crawl: { calls: counter.calls, ms: now - started },
    };
  }

  /** One API, read sequentially: with the crawl's bound on APIs in flight, that bounds the calls in flight. */
  private async crawlApi(ws: Path, api: Resource, counter: { calls: number }): Promise<IndexedApi> {
    const path = { ...ws, api: api.name };
    counter.calls += 2;
    const versions = await this.gateway.list("version", path);
    const deployments = await this.gateway.list("deployment", path);
    const indexed: IndexedVersion[] = [];
    for (const v of versions) {
      counter.calls += 1;
      const defs = await this.gateway.list("definition", { ...path, version: v.name });
      const definitions: IndexedDefinition[] = [];
      for (const d of defs) {
        definitions.push(await this.crawlDefinition({ ...path, version: v.name, definition: d.name }, d, counter));
      }
      indexed.push({ resource: v, definitions });
    }
    return { resource: api, versions: indexed, deployments };
  }

  private async crawlDefinition(path: Path, d: Resource, counter: { calls: number }): Promise<IndexedDefinition> {
    const spec = d.properties.specification as { name?: string } | undefined;
    counter.calls += 1;
    let text: string;
    try {
      text = await this.gateway.exportSpecification(path);
    } catch (e) {
      if (e instanceof DomainError && e.kind === "not_found") return { resource: d, hasSpec: false };
      throw e;
    }
    if (!text) return { resource: d, hasSpec: false };
    const name = spec?.name?.toLowerCase();
    if (Buffer.byteLength(text) > this.maxDigestBytes || (name && name !== "openapi" && name !== "asyncapi")) return { resource: d, hasSpec: true };
    const doc = parseSpecDocument(text);
    if (!doc) return { resource: d, hasSpec: true };
    const info = specInfo(doc);
    return {
      resource: d,
      hasSpec: true,
      digest: {
        ...(info.title ? { title: info.title } : {}),
        ...(info.description ? { description: info.description.slice(0, 2000) } : {}),
        operations: operations(doc),
      },
    };
  }
}
