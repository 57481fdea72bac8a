/** `apicenter-mcp`: the MCP server over stdio or Streamable HTTP, on Azure or the local API Center. */
import { readFileSync } from "node:fs";
import { ConfigError, type Config } from "../config/config.js";
import { recoverPlans, recoveredLine } from "../domain/undo.js";
import { createServerFactory } from "../mcp/server.js";
import { runHttp, runStdio, type Running } from "../mcp/transports.js";
import { SpectralLinter } from "../spectral/spectral-linter.js";
import { ensureDirectoryOf } from "./data-dir.js";
import { deferBackend, deferIndexStore } from "./deferred-backend.js";
import { listenHint } from "./listen-errors.js";
import type { Logger } from "./log.js";
import { version } from "./package-info.js";

function readRuleset(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read the lint ruleset ${path}: ${(e as Error).message}`);
  }
}

/** `onFatal`: what ends the server when the backend, loaded after start-up, cannot open. */
export async function runServer(config: Config, log: Logger, onFatal: (e: Error) => void): Promise<() => Promise<void>> {
  const custom = config.lintRuleset ? { text: readRuleset(config.lintRuleset), source: config.lintRuleset } : undefined;
  if (custom) await SpectralLinter.check(custom);
  const linter = new SpectralLinter(custom);
  // The backend opens after start-up: a path it cannot use is refused now, with the flag to fix.
  ensureDirectoryOf(config.dbPath, "the local database and the journal (--db, APICENTER_DB)");
  if (config.indexDbPath) ensureDirectoryOf(config.indexDbPath, "the saved index (--index-db, APICENTER_INDEX_DB)");
  const backend = deferBackend(config);
  const indexStore = config.indexDbPath ? deferIndexStore(config.indexDbPath) : undefined;
  // The factory is made before the transport that will carry its change notifications.
  const changes: { notify: () => void } = { notify: () => {} };
  const onUnexpected = (e: Error) => log.error(`unexpected: ${e.stack ?? e.message}`);
  // Plans a crash interrupted are undone while the server starts; writes wait for it, reads do not.
  const recovered = backend.journal
    ? recoverPlans(backend.gateway, backend.journal).then(
        (plans) => plans.forEach((p) => log.info(recoveredLine(p))),
        (e: Error) => log.error(`could not recover the plans interrupted earlier: ${e.message}`),
      )
    : undefined;
  const factory = createServerFactory({
    gateway: backend.gateway,
    indexGateway: backend.indexGateway,
    selection: { readOnly: config.readOnly, toolsets: config.toolsets },
    version: version(),
    index: {
      ttlMs: config.indexTtlSeconds * 1000,
      concurrency: config.indexConcurrency,
      ...(indexStore ? { store: indexStore } : {}),
      ...(backend.changes ? { changes: backend.changes } : {}),
      onBackgroundError: (e) => log.warn(`inventory index: ${e.message}`),
    },
    linter,
    onInventoryChanged: () => changes.notify(),
    onUnexpected,
    log,
    ...(backend.journal ? { journal: backend.journal } : {}),
    ...(recovered ? { recovered } : {}),
  });
  let running: Running;
  try {
    running =
      config.transport === "http"
        ? await runHttp(factory, { host: config.host, port: config.port, allowedOrigins: config.allowedOrigins, allowedHosts: config.allowedHosts, ...(config.authToken ? { authToken: config.authToken } : {}) }, onUnexpected, (m) => log.warn(m))
        : runStdio(factory, (m) => log.warn(m));
  } catch (e) {
    await recovered;
    await backend.close();
    await indexStore?.close();
    throw listenHint(e as Error, config.host, config.port);
  }
  log.info(
    `apicenter-mcp ${version()}: ${backend.description}; serving MCP over ${running.where}` +
      `${config.readOnly ? "; read-only" : ""}${config.toolsets.length ? `; toolsets ${config.toolsets.join(",")}` : ""}`,
  );
  changes.notify = () => running.inventoryChanged();
  // The backend loads once the first requests (initialize, tools/list) are answered, or with the first call that needs
  // it; one that cannot open (a bad database path, an unusable endpoint) still ends the server, as at start-up.
  setTimeout(() => backend.ready().catch(onFatal), 250);
  return async () => {
    await running.close();
    await recovered;
    await backend.close();
    await indexStore?.close();
  };
}
