/**
 * An index of the whole inventory: APIs, versions, definitions with a digest of their specs,
 * deployments, environments and metadata schemas, per scope (service + workspace). Built by a crawl
 * through the gateway (crawl.ts), or by one read where the backend can; saved between processes
 * (IndexStore), so a new process answers at once from the last one's index and revalidates it in the
 * background, as it does when the index is older than its TTL.
 *
 * Writes made through this server mark what they touched; the next answer re-reads it first. Readers
 * share one re-read, and a mark is cleared only when a re-read that began after it succeeded, so a
 * write is in the next answer however many readers arrive at once. A crawl is not all or nothing: an
 * API that cannot be read keeps its last known entry (or, never read, its row from the API list), is
 * named in the answer's freshness, and is read again later.
 */
import { mapLimit } from "../concurrency.js";
import type { ApiCenterGateway, Kind, Path, Resource } from "../gateway.js";
import { resolveScope, scopeOfPath, type Scope, type Where } from "../scope.js";
import { API_SOURCES, ENVIRONMENTS, SCHEMAS, crawlApi, crawlScope, readWholeWorkspace, reasonOf, type CrawlCounter, type CrawlOptions } from "./crawl.js";
import type { ChangeSource, ForeignChange, IndexStore, IndexUpdate } from "./index-store.js";
import type { OperationRow } from "../specs/spec-doc.js";
import { SavedApis } from "./saved-apis.js";
import { searchDocument, type SearchDocument } from "./search.js";

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
  /** Its versions, definitions and deployments could not be read yet: only the API itself is known. */
  partial?: true;
}

/** The key of an API in the index: its name lower-cased, as ARM names are case-insensitive. */
export const apiKey = (name: string): string => name.toLowerCase();

export interface Snapshot {
  /** By apiKey. */
  apis: Map<string, IndexedApi>;
  /** Search documents saved with the index, for the APIs whose entries are still the saved ones. */
  searchDocuments?: ReadonlyMap<string, SearchDocument>;
  environments: Resource[];
  metadataSchemas: Resource[];
  /** The workspace's API sources: where imported APIs come from. */
  apiSources: Resource[];
  /** When the crawl behind it started (epoch ms). */
  builtAt: number;
  /**
   * Since when nothing it does not hold can have happened: the crawl's start, or, with a change source,
   * the last poll that found every change read (epoch ms). The age an answer states runs from here.
   */
  verifiedAt: number;
  /** When the last re-read of marked APIs finished. */
  refreshedAt: number;
  /** Bumped by every change applied in place; `changes` says which APIs (by key) each one touched. */
  revision: number;
  changes: Array<{ revision: number; api: string }>;
  crawl: { calls: number; ms: number; specsExported: number; specsReused: number };
  /** APIs the last crawl or re-read could not read, by key: their name and why. */
  missing: Map<string, { name: string; reason: string }>;
  /** The index was saved by an earlier process and not yet revalidated by this one. */
  fromSaved: boolean;
  /** A revalidating crawl is running. */
  revalidating: boolean;
}

export interface Freshness {
  builtAt: string;
  ageSeconds: number;
  apis: number;
  /** What it took to build: ARM calls and milliseconds. */
  crawlCalls: number;
  crawlMs: number;
  /** Saved by an earlier process and being revalidated; or being revalidated because it is older than its TTL. */
  revalidating: boolean;
  fromSaved: boolean;
  /** APIs that could not be read: their entries are as last read (or only their list row). */
  missing?: { count: number; apis: string[]; reason: string };
}

export interface IndexOptions extends Partial<Omit<CrawlOptions, "gateway">> {
  /** How long a crawl stays valid; older, the index answers and revalidates in the background. */
  ttlMs?: number;
  /** Where the index is saved between processes. */
  store?: IndexStore;
  /** Writes made by others (another process on the same local database). */
  changes?: ChangeSource;
  /**
   * The gateway for re-reads an answer waits on (what a write marked): the index's own gateway may
   * pace its calls as bulk work, behind a running crawl; these are a caller's, not the crawl's.
   */
  interactive?: ApiCenterGateway;
  /** Failures that do not fail an answer (saving the index, a background crawl). */
  onBackgroundError?: (e: Error) => void;
  now?: () => number;
}

export type CrawlProgress = (done: number, total: number, message: string) => void;

const ALL = "#all";
/** Where a crawl that could not even list the APIs is reported; the index it had keeps answering. */
const API_LIST = "#apis";
const MISSING_RETRY_MS = 30_000;
const MISSING_RETRY_MAX_MS = 5 * 60_000;

interface State {
  scope: Scope;
  snapshot?: Snapshot;
  loading?: Promise<void>;
  crawling?: Promise<void>;
  refreshing?: Promise<void>;
  retryingMissing?: Promise<void>;
  missingRetryAt: number;
  missingBackoffMs: number;
  /** What writes touched, by API key (or ALL, ENVIRONMENTS, SCHEMAS), with the generation of the latest mark. */
  marks: Map<string, number>;
  /** The snapshot was crawled by this process, or saved and brought up to date through the change source. */
  validated: boolean;
  /** The change source's position up to which every change is in the snapshot or marked. */
  cursor?: string;
  /** Marks made while a crawl runs: the crawl may have read before the write. */
  markedDuringCrawl?: Set<string>;
}

export class InventoryIndex {
  private readonly states = new Map<string, State>();
  private readonly ttlMs: number;
  private readonly crawlOptions: CrawlOptions;
  private readonly now: () => number;
  private generation = 0;
  /** The change source's position at the last poll. */
  private pollCursor: string | undefined;
  private polls: Promise<void> = Promise.resolve();

  constructor(
    private readonly gateway: ApiCenterGateway,
    private readonly options: IndexOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.crawlOptions = { gateway, concurrency: options.concurrency ?? 8, maxDigestBytes: options.maxDigestBytes ?? 32 * 1024 * 1024 };
  }

  private state(scope: Scope): State {
    let s = this.states.get(scope.key);
    if (!s) {
      s = { scope, marks: new Map(), validated: false, missingRetryAt: 0, missingBackoffMs: MISSING_RETRY_MS };
      this.states.set(scope.key, s);
    }
    return s;
  }

  private mark(s: State, key: string): void {
    s.marks.set(key, ++this.generation);
    s.markedDuringCrawl?.add(key);
  }

  /** Marks what a write touched, so the next answer re-reads it. Metadata schemas are service-wide. */
  invalidate(kind: Kind, path: Path): void {
    const scope = scopeOfPath(path, this.gateway.defaultService);
    const serviceKey = scope.key.slice(0, scope.key.lastIndexOf("/"));
    for (const s of this.states.values()) {
      if (kind === "metadataSchema") {
        if (s.scope.key.startsWith(`${serviceKey}/`)) this.mark(s, SCHEMAS);
        continue;
      }
      if (s.scope.key !== scope.key) continue;
      if (kind === "environment") this.mark(s, ENVIRONMENTS);
      else if (kind === "apiSource") this.mark(s, API_SOURCES);
      else if (path.api) this.mark(s, apiKey(path.api));
      else this.mark(s, ALL);
    }
  }

  freshness(snapshot: Snapshot): Freshness {
    const missing = [...snapshot.missing.values()];
    return {
      builtAt: new Date(snapshot.builtAt).toISOString(),
      ageSeconds: Math.max(0, Math.round((this.now() - snapshot.verifiedAt) / 1000)),
      apis: snapshot.apis.size,
      crawlCalls: snapshot.crawl.calls,
      crawlMs: snapshot.crawl.ms,
      revalidating: snapshot.revalidating,
      fromSaved: snapshot.fromSaved,
      ...(missing.length ? { missing: { count: missing.length, apis: missing.slice(0, 20).map((m) => m.name), reason: missing[0]!.reason } } : {}),
    };
  }

  /**
   * The index of a workspace. Without one (none saved either), the first caller's crawl builds it and
   * every caller waits for that one crawl; `refresh` waits for a new one. An index older than its TTL,
   * or saved by an earlier process, answers now and is revalidated in the background. What writes
   * touched is re-read before the answer.
   */
  async get(where: Where, opts: { refresh?: boolean; onProgress?: CrawlProgress } = {}): Promise<Snapshot> {
    const s = this.state(resolveScope(where, this.gateway.defaultService));
    const polledAt = this.now();
    await this.pollForeignChanges();
    await this.load(s);
    if (!s.snapshot || opts.refresh || s.marks.has(ALL)) {
      await this.revalidate(s, opts.onProgress);
      // A crawl that was already running began before the mark.
      if (s.marks.has(ALL)) await this.revalidate(s, opts.onProgress);
    } else if (!s.validated || (!this.options.changes && this.now() - s.snapshot.builtAt > this.ttlMs)) {
      // With a change source the index misses nothing, so it does not expire.
      this.background(this.revalidate(s));
    }
    await this.refreshMarked(s);
    const snapshot = s.snapshot!;
    if (this.options.changes && s.validated && s.marks.size === 0) snapshot.verifiedAt = Math.max(snapshot.verifiedAt, polledAt);
    if (snapshot.missing.size && !s.retryingMissing && !s.crawling && this.now() >= s.missingRetryAt) {
      s.retryingMissing = this.retryMissing(s).finally(() => (s.retryingMissing = undefined));
      this.background(s.retryingMissing);
    }
    return snapshot;
  }

  private background(p: Promise<unknown>): void {
    p.catch((e: Error) => this.options.onBackgroundError?.(e));
  }

  private markChanges(changes: ForeignChange[]): void {
    for (const change of changes) {
      if (change === "all") {
        for (const s of this.states.values()) this.mark(s, ALL);
      } else {
        this.invalidate(change.kind, change.path);
      }
    }
  }

  /**
   * Marks what others wrote since the last poll; afterwards every state reflects or has marked every
   * change up to now. Polls run one after another, each answer after its own.
   */
  private pollForeignChanges(): Promise<void> {
    const source = this.options.changes;
    if (!source) return Promise.resolve();
    const poll = async () => {
      if (this.pollCursor === undefined) {
        await source.changedElsewhere();
        this.pollCursor = await source.cursor();
        return;
      }
      if (!(await source.changedElsewhere())) return;
      const found = await source.since(this.pollCursor);
      this.markChanges(found ? found.changes : ["all"]);
      this.pollCursor = found?.cursor ?? (await source.cursor());
      for (const s of this.states.values()) if (s.cursor !== undefined) s.cursor = this.pollCursor;
    };
    this.polls = this.polls.then(poll, poll);
    return this.polls;
  }

  /** The saved index of the scope, once per process. */
  private load(s: State): Promise<void> {
    const store = this.options.store;
    if (!store) return Promise.resolve();
    s.loading ??= store.load(s.scope.key).then(
      async (saved) => {
        if (!saved || s.snapshot) return;
        // What changed in the backend since it was saved is marked, and then the saved index is as good as a crawl.
        const since = saved.cursor !== undefined ? await this.options.changes?.since(saved.cursor) : undefined;
        const apis = new SavedApis(saved.apis);
        s.snapshot = {
          apis,
          searchDocuments: apis.documents,
          environments: saved.environments,
          metadataSchemas: saved.metadataSchemas,
          apiSources: saved.apiSources,
          builtAt: saved.builtAt,
          verifiedAt: saved.builtAt,
          refreshedAt: saved.builtAt,
          revision: 0,
          changes: [],
          crawl: { calls: 0, ms: 0, specsExported: 0, specsReused: 0 },
          missing: new Map(),
          fromSaved: true,
          revalidating: false,
        };
        if (since) {
          this.markChanges(since.changes);
          s.cursor = since.cursor;
          s.validated = true;
        }
      },
      // An unreadable saved index is only a slower start.
      (e: Error) => this.options.onBackgroundError?.(e),
    );
    return s.loading;
  }

  /** One crawl per scope at a time; callers arriving meanwhile wait for that one. */
  private revalidate(s: State, onProgress?: CrawlProgress): Promise<void> {
    if (!s.crawling) {
      const started = this.generation;
      s.markedDuringCrawl = new Set();
      if (s.snapshot) s.snapshot.revalidating = true;
      s.crawling = this.crawlInto(s, started, onProgress)
        .catch((e: Error) => {
          if (!s.snapshot) throw e;
          s.snapshot.missing.set(API_LIST, { name: "(the API list)", reason: reasonOf(e) });
          this.options.onBackgroundError?.(e);
        })
        .finally(() => {
          s.crawling = undefined;
          s.markedDuringCrawl = undefined;
          if (s.snapshot) s.snapshot.revalidating = false;
        });
    }
    return s.crawling;
  }

  private async crawlInto(s: State, startedAtGeneration: number, onProgress?: CrawlProgress): Promise<void> {
    const builtAt = this.now();
    const cursor = await this.options.changes?.cursor();
    const counter: CrawlCounter = { calls: 0, specsExported: 0, specsReused: 0 };
    const previous = s.snapshot;
    const fresh = this.gateway.readWorkspace
      ? await readWholeWorkspace(this.crawlOptions, s.scope, previous, counter)
      : await crawlScope(this.crawlOptions, s.scope, previous, counter, onProgress);
    const crawl = { calls: counter.calls, ms: this.now() - builtAt, specsExported: counter.specsExported, specsReused: counter.specsReused };
    const update = { builtAt, put: [] as IndexedApi[], remove: [] as string[], environments: fresh.environments, metadataSchemas: fresh.metadataSchemas, apiSources: fresh.apiSources, replace: false };
    if (!previous) {
      s.snapshot = {
        apis: fresh.apis,
        environments: fresh.environments,
        metadataSchemas: fresh.metadataSchemas,
        apiSources: fresh.apiSources,
        builtAt,
        verifiedAt: builtAt,
        refreshedAt: this.now(),
        revision: 0,
        changes: [],
        crawl,
        missing: fresh.missing,
        fromSaved: false,
        revalidating: false,
      };
      update.put = [...fresh.apis.values()];
      update.replace = true;
    } else {
      // Applied in place, API by API, so that what was built on the index (the search index) follows.
      const touched: string[] = [];
      for (const [key, entry] of fresh.apis) {
        const old = previous.apis.get(key);
        if (old === entry || (old && sameEntry(old, entry))) continue;
        previous.apis.set(key, entry);
        touched.push(key);
        update.put.push(entry);
      }
      for (const key of previous.apis.keys()) {
        if (fresh.apis.has(key)) continue;
        previous.apis.delete(key);
        touched.push(key);
        update.remove.push(key);
      }
      this.recordChanges(previous, touched);
      // Unchanged lists keep their identity: what was computed from them (audit results) stays valid.
      const same = (a: Resource[], b: Resource[]) => JSON.stringify(a) === JSON.stringify(b);
      Object.assign(previous, {
        environments: same(previous.environments, fresh.environments) ? previous.environments : fresh.environments,
        metadataSchemas: same(previous.metadataSchemas, fresh.metadataSchemas) ? previous.metadataSchemas : fresh.metadataSchemas,
        apiSources: fresh.apiSources,
        builtAt,
        verifiedAt: Math.max(previous.verifiedAt, builtAt),
        crawl,
        missing: fresh.missing,
        fromSaved: false,
      });
    }
    // What was written while the crawl ran may have been read before the write: read it again.
    for (const key of s.markedDuringCrawl ?? []) if (key !== ALL) this.mark(s, key);
    if ((s.marks.get(ALL) ?? Infinity) <= startedAtGeneration) s.marks.delete(ALL);
    s.validated = true;
    if (cursor !== undefined) s.cursor = cursor;
    if (fresh.missing.size) {
      s.missingBackoffMs = MISSING_RETRY_MS;
      s.missingRetryAt = this.now() + MISSING_RETRY_MS;
    }
    this.save(s, update);
  }

  private recordChanges(snapshot: Snapshot, keys: string[]): void {
    if (!keys.length) return;
    snapshot.revision += 1;
    for (const api of keys) snapshot.changes.push({ revision: snapshot.revision, api });
    if (snapshot.changes.length > 10_000) snapshot.changes.splice(0, snapshot.changes.length - 10_000);
  }

  private save(s: State, update: Omit<IndexUpdate, "put"> & { put: IndexedApi[] }): void {
    const store = this.options.store;
    if (!store) return;
    // The saved position moves only when nothing is left marked: a new process re-reads from it.
    const cursor = s.marks.size === 0 ? s.cursor : undefined;
    const put = update.put.map((entry) => ({ entry, search: () => searchDocument(entry) }));
    this.background(store.save(s.scope.key, { ...update, put, ...(cursor !== undefined ? { cursor } : {}) }));
  }

  /**
   * Re-reads what writes marked, before an answer. One re-read at a time per scope; a reader that
   * finds one running waits for it and then re-reads what is still marked (its own write may have
   * come after that re-read began). Each mark is tried at most once per answer: a failure keeps the
   * mark for the next answer, and the entry as last read in this one.
   */
  private async refreshMarked(s: State): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      if (s.refreshing) {
        await s.refreshing;
        continue;
      }
      const due = new Map([...s.marks].filter(([key]) => key !== ALL && !tried.has(key)));
      if (due.size === 0) return;
      for (const key of due.keys()) tried.add(key);
      s.refreshing = this.reread(s, due, this.options.interactive ?? this.gateway).finally(() => (s.refreshing = undefined));
      await s.refreshing;
    }
  }

  private clearMark(s: State, key: string, generation: number): void {
    if (s.marks.get(key) === generation) s.marks.delete(key);
  }

  private async reread(s: State, due: Map<string, number>, gateway: ApiCenterGateway): Promise<void> {
    const snap = s.snapshot!;
    const ws = s.scope.path;
    const update: Omit<IndexUpdate, "put"> & { put: IndexedApi[] } = { builtAt: snap.builtAt, put: [], remove: [] };
    // The scope's lists a write marked, each read again whole.
    const lists: Array<[key: string, name: string, read: () => Promise<Resource[]>, keep: (r: Resource[]) => void]> = [
      [SCHEMAS, "(metadata schemas)", () => gateway.list("metadataSchema", { service: s.scope.service }), (r) => (snap.metadataSchemas = update.metadataSchemas = r)],
      [ENVIRONMENTS, "(environments)", () => gateway.list("environment", ws), (r) => (snap.environments = update.environments = r)],
      [API_SOURCES, "(API sources)", () => gateway.list("apiSource", ws), (r) => (snap.apiSources = update.apiSources = r)],
    ];
    for (const [key, name, read, keep] of lists) {
      const generation = due.get(key);
      if (generation === undefined) continue;
      try {
        keep(await read());
        snap.missing.delete(key);
        this.clearMark(s, key, generation);
      } catch (e) {
        snap.missing.set(key, { name, reason: reasonOf(e) });
      }
    }
    const touched: string[] = [];
    const counter: CrawlCounter = { calls: 0, specsExported: 0, specsReused: 0 };
    const keys = [...due.keys()].filter((k) => !k.startsWith("#"));
    if (due.has(API_LIST)) {
      // The API list failed last time: only a crawl reads it again.
      this.background(this.revalidate(s));
    }
    await mapLimit(keys, this.crawlOptions.concurrency, async (key) => {
      try {
        const api = await gateway.find("api", { ...ws, api: key });
        // A write changed it: its specs are exported again, whatever the timestamps say.
        const entry = api ? await crawlApi({ ...this.crawlOptions, gateway }, ws, api, undefined, counter) : undefined;
        if (entry) {
          snap.apis.set(key, entry);
          update.put.push(entry);
        } else if (snap.apis.delete(key)) {
          update.remove.push(key);
        }
        snap.missing.delete(key);
        touched.push(key);
        this.clearMark(s, key, due.get(key)!);
      } catch (e) {
        snap.missing.set(key, { name: snap.apis.get(key)?.resource.name ?? key, reason: reasonOf(e) });
      }
    });
    this.recordChanges(snap, touched);
    snap.refreshedAt = this.now();
    if (touched.length || update.environments || update.metadataSchemas || update.apiSources) this.save(s, update);
  }

  /** Reads again, in the background, what the last crawl or re-read could not; backs off while it keeps failing. */
  private async retryMissing(s: State): Promise<void> {
    const snap = s.snapshot!;
    const due = new Map<string, number>();
    for (const key of snap.missing.keys()) due.set(key, s.marks.get(key) ?? ++this.generation);
    const before = snap.missing.size;
    await this.reread(s, due, this.gateway);
    s.missingBackoffMs = snap.missing.size < before ? MISSING_RETRY_MS : Math.min(MISSING_RETRY_MAX_MS, s.missingBackoffMs * 2);
    s.missingRetryAt = this.now() + s.missingBackoffMs;
  }
}

/** Whether a re-read entry says what the one held says (the same resources, the same digests). */
function sameEntry(a: IndexedApi, b: IndexedApi): boolean {
  if (a.partial !== b.partial || a.versions.length !== b.versions.length || a.deployments.length !== b.deployments.length) return false;
  const resources = (e: IndexedApi) =>
    JSON.stringify([e.resource, e.deployments, e.versions.map((v) => [v.resource, v.definitions.map((d) => [d.resource, d.hasSpec, d.digest === undefined])])]);
  if (resources(a) !== resources(b)) return false;
  return a.versions.every((v, i) => v.definitions.every((d, j) => d.digest === b.versions[i]!.definitions[j]!.digest || JSON.stringify(d.digest) === JSON.stringify(b.versions[i]!.definitions[j]!.digest)));
}
