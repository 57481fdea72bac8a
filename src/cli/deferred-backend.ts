/**
 * The backend as the server holds it: known from the configuration at once (backend-info.ts), loaded (the Azure SDK,
 * SQLite, the ARM client) by the first call that needs it or by ready(), so that start-up does not wait for it.
 */
import type { Config } from "../config/config.js";
import type { ApiCenterGateway } from "../domain/gateway.js";
import { backendInfo, type BackendInfo } from "./backend-info.js";

export interface DeferredBackend extends Omit<BackendInfo, "service" | "endpoint"> {
  gateway: ApiCenterGateway;
  /** Loads and opens the backend now; rejects as the first call would. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function deferBackend(config: Config): DeferredBackend {
  const info = backendInfo(config);
  let loading: Promise<import("./backend.js").Backend> | undefined;
  const load = () => (loading ??= import("./backend.js").then((m) => m.createBackend(config)));
  return {
    scope: info.scope,
    description: info.description,
    ...(info.journal ? { journal: info.journal } : {}),
    gateway: deferredGateway({ description: info.description, defaultService: info.service, endpoint: info.endpoint }, async () => (await load()).gateway),
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
function deferredGateway(known: Pick<ApiCenterGateway, "description" | "defaultService" | "endpoint">, gateway: () => Promise<ApiCenterGateway>): ApiCenterGateway {
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
