/**
 * The local API Center: Microsoft.ApiCenter 2024-03-01 over SQLite, answering ARM requests the way
 * live Azure does (see ../shared/apicenter-arm/README.md for what the recordings show).
 * HTTP-agnostic: `handle` takes a request and returns a response, so the same code serves the
 * in-process transport of the ARM client and the standalone HTTP server.
 *
 * A request crosses the pipeline (pipeline.ts), the router hands it to the provider that owns its
 * namespace (router.ts, apicenter/provider.ts), whose handlers answer from the store (store.ts, db.ts).
 */
import type { ServiceScope } from "../arm/resource-id.js";
import { ApiCenterProvider } from "./apicenter/provider.js";
import { AuthorizationProvider } from "./authorization/provider.js";
import { ApiCenterResources } from "./apicenter/resources.js";
import { SpecOperations } from "./apicenter/specs.js";
import { openDb, type Db } from "./db.js";
import { answerFaults, pipeline, requireApiVersion, requireBearer, routeWith } from "./pipeline.js";
import { Router } from "./router.js";
import { Store } from "./store.js";
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
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_SPEC_BYTES = 64 * 1024 * 1024;

export class LocalApiCenter {
  readonly store: Store;
  private readonly specs: SpecOperations;
  private readonly pipeline: (req: EmulatorRequest) => Promise<EmulatorResponse>;

  constructor(options: LocalApiCenterOptions) {
    this.store = new Store(typeof options.db === "string" ? openDb(options.db) : options.db);
    const resources = new ApiCenterResources(this.store);
    this.specs = new SpecOperations(this.store, options.maxSpecBytes ?? DEFAULT_MAX_SPEC_BYTES);
    this.store.failInterruptedOperations(new Date().toISOString());
    if (options.seed) resources.seed(options.seed);

    const router = new Router([new ApiCenterProvider(resources, this.specs, { pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE }), new AuthorizationProvider()]);
    this.pipeline = pipeline([
      answerFaults,
      requireBearer,
      routeWith(router),
      requireApiVersion,
      // ARM's request throttling belongs here: routing has named the subscription and the
      // provider, and no provider has spent any work on the request yet.
    ]);
  }

  handle(req: EmulatorRequest): Promise<EmulatorResponse> {
    return this.pipeline(req);
  }

  /** Resolves when no background operation (link imports) is running. */
  idle(): Promise<void> {
    return this.specs.idle();
  }

  async close(): Promise<void> {
    await this.idle();
    this.store.close();
  }
}
