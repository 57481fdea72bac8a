/**
 * The backend as the server holds it: known from the configuration at once (backend-info.ts), loaded (the Azure SDK,
 * SQLite, the ARM client) by the first call that needs it or by ready(), so that start-up does not wait for it.
 */
import type { Config } from "../config/config.js";
import type { ApiCenterGateway } from "../domain/gateway.js";
import type { ChangeSource, IndexStore } from "../domain/intelligence/index-store.js";
import { backendInfo, type BackendInfo } from "./backend-info.js";

export interface DeferredBackend extends Omit<BackendInfo, "service" | "endpoint"> {
  gateway: ApiCenterGateway;
  /** The same gateway for the inventory index's crawls: its calls paced as bulk work (see azure/budget.ts). */
  indexGateway: ApiCenterGateway;
  /** The backend's history of changes, where it keeps one (the local API Center). */
  changes?: ChangeSource;
  /** Loads and opens the backend now; rejects as the first call would. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function deferBackend(config: Config): DeferredBackend {
  const info = backendInfo(config);
  let loading: Promise<import("./backend.js").Backend> | undefined;
  const load = () => (loading ??= import("./backend.js").then((m) => m.createBackend(config)));
  const known = {
    description: info.description,
    defaultService: info.service,
    endpoint: info.endpoint,
    // Reading whole workspaces is the embedded database's, unless it is to meet ARM's limits (backend.ts).
    ...(config.backend === "local" && !config.throttle ? {} : { readWorkspace: undefined }),
  };
  const local = config.backend === "local";
  return {
    scope: info.scope,
    description: info.description,
    ...(info.journal ? { journal: info.journal } : {}),
    gateway: deferredGateway(known, async () => (await load()).gateway),
    indexGateway: deferredGateway(known, async () => (await load()).gateway.bulk()),
    ...(local
      ? {
          changes: {
            changedElsewhere: async () => (await load()).changes!.changedElsewhere(),
            cursor: async () => (await load()).changes!.cursor(),
            since: async (cursor: string) => (await load()).changes!.since(cursor),
          },
        }
      : {}),
    ready: async () => void (await load()),
    close: async () => {
      if (loading) await (await loading).close();
    },
  };
}

/**
 * The gateway of a backend that is loaded by its first call: its properties known now, each of its (asynchronous)
 * operations forwarded once the backend is there, whichever operations the port has.
 */
function deferredGateway(known: Pick<ApiCenterGateway, "description" | "defaultService" | "endpoint" | "readWorkspace">, gateway: () => Promise<ApiCenterGateway>): ApiCenterGateway {
  return new Proxy(known, {
    get(target, name) {
      if (name in target) return target[name as keyof typeof target];
      // Not a promise itself, and nothing to say to inspection.
      if (typeof name === "symbol" || name === "then") return undefined;
      return async (...args: unknown[]) => {
        const real = (await gateway()) as unknown as Record<string, (...a: unknown[]) => unknown>;
        return real[name]!(...args);
      };
    },
  }) as ApiCenterGateway;
}

/** The saved inventory index, its SQLite module loaded by the first load or save, not at start-up. */
export function deferIndexStore(path: string): IndexStore & { close(): Promise<void> } {
  let opened: Promise<import("../index-store/sqlite-index-store.js").SqliteIndexStore> | undefined;
  const open = () => (opened ??= import("../index-store/sqlite-index-store.js").then((m) => new m.SqliteIndexStore(path)));
  return {
    load: async (scopeKey) => (await open()).load(scopeKey),
    save: async (scopeKey, update) => (await open()).save(scopeKey, update),
    close: async () => {
      if (opened) (await opened).close();
    },
  };
}
