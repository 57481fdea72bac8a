/**
 * The local API Center: Microsoft.ApiCenter 2024-03-01 over SQLite, answering ARM requests the way
 * live Azure does (see ../shared/apicenter-arm/README.md for what the recordings show).
 * HTTP-agnostic: `handle` takes a request and returns a response, so the same code serves the
 * in-process transport of the ARM client and the standalone HTTP server.
 *
 * A request crosses the pipeline (pipeline.ts), the router hands it to the provider that owns its
 * namespace (router.ts): Microsoft.ApiCenter (apicenter/), the local API Management that API Center
 * imports from (apim/, Microsoft.ApiManagement 2022-08-01), and the role assignments that let it read
 * that (authorization/); their handlers answer from the one store (store.ts, db.ts).
 */
import type { ResourceRef, ServiceScope } from "../arm/resource-id.js";
import { ApimProvider } from "./apim/provider.js";
import { ApimReader } from "./apim/reader.js";
import { ApimResources } from "./apim/resources.js";
import { ApimImports } from "./apicenter/apim-import.js";
import { ApiSources } from "./apicenter/api-sources.js";
import { ApiCenterProvider } from "./apicenter/provider.js";
import { ApiCenterResources } from "./apicenter/resources.js";
import { SpecOperations } from "./apicenter/specs.js";
import { AuthorizationProvider, RoleAssignments } from "./authorization/provider.js";
import { BlobStore, serveBlobs } from "./blobs.js";
import { readWorkspace, type WorkspaceTree } from "./apicenter/workspace-read.js";
import { openDb, type Db } from "./db.js";
import { answerFaults, pipeline, requireApiVersion, requireBearer, routeWith } from "./pipeline.js";
import { Router } from "./router.js";
import { Store } from "./store.js";
import { throttle, type ThrottleOptions } from "./throttle.js";
import type { EmulatorRequest, EmulatorResponse } from "./wire.js";

export interface LocalApiCenterOptions {
  /** A database file path, `:memory:`, or an open database. */
  db: string | Db;
  /** The service created on first start (with its `default` workspace), so a newcomer can register at once. */
  seed?: ServiceScope & { location?: string };
  /** Items per list page when the caller gives no `$top`. */
  pageSize?: number;
  /** The largest specification accepted, in bytes of UTF-8. */
  maxSpecBytes?: number;
  /** How long a new API Management service takes to activate (live Azure: a minute or two). */
  apimActivationMs?: number;
  /** How soon after an API source is written it syncs (live Azure: within minutes); null: not until the schedule or syncApiSources. */
  apiSourceFirstSyncMs?: number | null;
  /** How often every API source syncs; 0 turns the schedule off. */
  apiSourceSyncIntervalMs?: number;
  /**
   * Host names link imports (specs, API Management APIs) may fetch from although they resolve to
   * loopback, private or link-local addresses (a docs server on this machine, tests); every other
   * such address is refused.
   */
  allowFetchHosts?: readonly string[];
  /** Throttle requests with ARM's token buckets (limits overridable); off when absent. */
  throttle?: ThrottleOptions;
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_SPEC_BYTES = 64 * 1024 * 1024;
const DEFAULT_APIM_ACTIVATION_MS = 1500;
const DEFAULT_API_SOURCE_FIRST_SYNC_MS = 500;
const DEFAULT_API_SOURCE_SYNC_INTERVAL_MS = 5 * 60_000;

export class LocalApiCenter {
  readonly store: Store;
  private readonly specs: SpecOperations;
  private readonly apim: ApimProvider;
  private readonly imports: ApimImports;
  private readonly apiSources: ApiSources;
  private readonly pipeline: (req: EmulatorRequest) => Promise<EmulatorResponse>;

  constructor(options: LocalApiCenterOptions) {
    this.store = new Store(typeof options.db === "string" ? openDb(options.db) : options.db);
    const resources = new ApiCenterResources(this.store);
    this.specs = new SpecOperations(this.store, options.maxSpecBytes ?? DEFAULT_MAX_SPEC_BYTES, options.allowFetchHosts);
    this.store.failInterruptedOperations(new Date().toISOString());
    if (options.seed) resources.seed(options.seed);
    this.store.changedElsewhere();

    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const blobs = new BlobStore();
    const apimResources = new ApimResources(this.store);
    const roles = new RoleAssignments(this.store);
    this.imports = new ApimImports(resources, this.specs, new ApimReader(apimResources), roles);
    this.apiSources = new ApiSources(resources, this.imports, {
      firstSyncMs: options.apiSourceFirstSyncMs === undefined ? DEFAULT_API_SOURCE_FIRST_SYNC_MS : options.apiSourceFirstSyncMs,
      intervalMs: options.apiSourceSyncIntervalMs ?? DEFAULT_API_SOURCE_SYNC_INTERVAL_MS,
    });
    this.apiSources.start();
    this.apim = new ApimProvider(apimResources, blobs, {
      pageSize,
      activationMs: options.apimActivationMs ?? DEFAULT_APIM_ACTIVATION_MS,
      maxDocumentBytes: options.maxSpecBytes ?? DEFAULT_MAX_SPEC_BYTES,
      allowFetchHosts: options.allowFetchHosts ?? [],
    });
    const router = new Router([
      new ApiCenterProvider(resources, this.specs, this.imports, this.apiSources, { pageSize }),
      this.apim,
      new AuthorizationProvider(roles),
    ]);
    this.pipeline = pipeline([
      answerFaults,
      // Blob links (API Management's exports) carry their own signature instead of a bearer token.
      serveBlobs(blobs),
      requireBearer,
      routeWith(router),
      requireApiVersion,
      // Throttling comes once routing has named the subscription, before any provider work.
      ...(options.throttle ? [throttle(options.throttle)] : []),
    ]);
  }

  handle(req: EmulatorRequest): Promise<EmulatorResponse> {
    return this.pipeline(req);
  }

  /** A whole workspace in one read of the store (see apicenter/workspace-read.ts); null when it does not exist. */
  readWorkspace(ref: ResourceRef): WorkspaceTree | null {
    return readWorkspace(this.store, ref);
  }

  /** Whether another process has written to this database since the last call (cheap: SQLite's data_version). */
  changedElsewhere(): boolean {
    return this.store.changedElsewhere();
  }

  /** The position in this database's history of changes now. */
  changeCursor(): string {
    const { history, n } = this.store.changeSeq();
    return `${history}:${n}`;
  }

  /**
   * The resources changed after `cursor`, by lower-cased ARM id (deleted ones, and definitions whose
   * spec was imported, included), and the position now; null when `cursor` is not a position in this
   * database's history (the file was made again since).
   */
  changesSince(cursor: string): { keys: string[]; cursor: string } | null {
    const { history, n } = this.store.changeSeq();
    const [h, seq] = cursor.split(":");
    const from = Number(seq);
    if (h !== history || !Number.isInteger(from) || from > n) return null;
    return { keys: this.store.changesSince(from).map((c) => c.key), cursor: `${history}:${n}` };
  }

  /** Resolves when no background operation (link imports) is running. */
  async idle(): Promise<void> {
    await Promise.all([this.specs.idle(), this.apim.apis.idle(), this.imports.idle(), this.apiSources.idle()]);
  }

  /** Syncs every API source now, as the schedule would (specs as a requested sync brings them). */
  async syncApiSources(): Promise<void> {
    await this.apiSources.syncAll("requested");
  }

  async close(): Promise<void> {
    await this.apiSources.stop();
    await this.idle();
    this.store.close();
  }
}
