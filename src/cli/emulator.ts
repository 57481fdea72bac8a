/** `apicenter-mcp emulator`: the local API Center as a standalone ARM endpoint over HTTP. */
import { ARM_LIMITS } from "../arm/throttling.js";
import { LOCAL_SERVICE, resolveEmulatorOptions, type Config, type Flags, type ThrottleLimits } from "../config/config.js";
import { serveEmulator } from "../emulator/http-server.js";
import { LocalApiCenter } from "../emulator/local-api-center.js";
import { ensureDirectoryOf } from "./data-dir.js";
import { listenHint } from "./listen-errors.js";
import type { Logger } from "./log.js";

export async function runEmulator(flags: Flags, config: Config, log: Logger): Promise<() => Promise<void>> {
  const { host, port, latencyMs } = resolveEmulatorOptions(flags);
  ensureDirectoryOf(config.dbPath, "the local database (--db, APICENTER_DB)");
  const api = new LocalApiCenter({
    db: config.dbPath,
    allowFetchHosts: config.allowFetchHosts,
    seed: {
      subscriptionId: LOCAL_SERVICE.subscriptionId,
      resourceGroupName: LOCAL_SERVICE.resourceGroup,
      serviceName: LOCAL_SERVICE.serviceName,
    },
    apiSourceSyncIntervalMs: config.syncIntervalSeconds * 1000,
    ...(config.throttle ? { throttle: config.throttle } : {}),
  });
  if (!/^(127(\.\d{1,3}){3}|localhost|::1|\[::1\])$/i.test(host)) {
    log.warn(`the local API Center accepts any bearer token: binding it to ${host} lets anyone who reaches that address read and change its data`);
  }
  const running = await serveEmulator(api, { host, port, latencyMs }).catch(async (e: Error) => {
    await api.close();
    throw listenHint(e, host, port);
  });
  log.info(
    `local API Center listening on ${running.url} (db ${config.dbPath}${latencyMs ? `, +${latencyMs} ms latency` : ""}${config.throttle ? `, ${describeThrottle(config.throttle)}` : ""}); ` +
      `service /subscriptions/${LOCAL_SERVICE.subscriptionId}/resourceGroups/${LOCAL_SERVICE.resourceGroup}/providers/Microsoft.ApiCenter/services/${LOCAL_SERVICE.serviceName}; any bearer token is accepted`,
  );
  return async () => {
    await running.close();
    await api.close();
  };
}

function describeThrottle(limits: ThrottleLimits): string {
  const shown = (["reads", "writes", "deletes"] as const).map((t) => {
    const l = limits[t] ?? ARM_LIMITS[t];
    return `${t} ${l.size}+${l.refillPerSecond}/s`;
  });
  return `throttled like ARM (${shown.join(", ")})`;
}
