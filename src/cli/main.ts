#!/usr/bin/env node
/** The composition root: argv/env -> config -> backend -> server -> transport. */
import { readFileSync } from "node:fs";
import { ConfigError, parseFlags, resolveConfig } from "../config/config.js";
import { DomainError } from "../domain/errors.js";
import { createServerFactory } from "../mcp/server.js";
import { runHttp, runStdio, type Running } from "../mcp/transports.js";
import { SpectralLinter } from "../spectral/spectral-linter.js";
import { createBackend } from "./backend.js";
import { runEmulator } from "./emulator.js";
import { createLogger, type Logger } from "./log.js";
import type { Config } from "../config/config.js";

const HELP = `apicenter-mcp: an MCP server for Azure API Center inventories

Usage:
  apicenter-mcp [options]              serve MCP over stdio (Streamable HTTP with --http)
  apicenter-mcp emulator [options]     run the local API Center as an ARM endpoint over HTTP

Backend (Azure when all three are set, else the embedded local API Center):
  --subscription ID        AZURE_SUBSCRIPTION_ID
  --resource-group NAME    APICENTER_RESOURCE_GROUP
  --service NAME           APICENTER_SERVICE
  --arm-endpoint URL       APICENTER_ARM_ENDPOINT (default https://management.azure.com)
  --arm-scope SCOPE        APICENTER_ARM_SCOPE (default <endpoint>/.default)
  --db PATH                APICENTER_DB: the local API Center's database file

MCP transport:
  --http                   serve Streamable HTTP at /mcp instead of stdio (APICENTER_MCP_HTTP=1)
  --host ADDR              APICENTER_MCP_HOST: bind address (default 127.0.0.1)
  --port N                 APICENTER_MCP_PORT (default 3000)
  --auth-token TOKEN       APICENTER_MCP_AUTH_TOKEN: bearer token HTTP clients must send
                           (required to bind beyond loopback)
  --allowed-origin ORIGIN  APICENTER_MCP_ALLOWED_ORIGINS: browser origins allowed besides localhost
  --read-only              APICENTER_READ_ONLY=1: expose only tools that change nothing
  --toolsets a,b           APICENTER_TOOLSETS: apis, specs, deployments, metadata, services, intelligence

Inventory intelligence:
  --index-ttl SECONDS      APICENTER_INDEX_TTL: how long the inventory index is reused (default 300)
  --index-concurrency N    APICENTER_INDEX_CONCURRENCY: ARM calls in flight while indexing (default 8)
  --lint-ruleset PATH      APICENTER_LINT_RULESET: a Spectral ruleset (JSON/YAML) for lint_spec

Emulator:
  --host ADDR --port N     bind address (default 127.0.0.1:4010)
  --latency MS             delay every answer (benchmarks)

Other:
  --log-level LEVEL        APICENTER_LOG_LEVEL: error, warn, info (default), debug
  -h, --help  -v, --version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<void> {
  const { values: flags, positionals } = parseFlags(argv);
  if (flags.help) {
    process.stdout.write(HELP);
    return;
  }
  if (flags.version) {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const config = resolveConfig(flags);
  const log = createLogger(config.logLevel);
  const command = positionals[0];
  let stop: () => Promise<void>;
  if (command === "emulator") {
    stop = await runEmulator(flags, config.dbPath, log);
  } else if (command) {
    throw new ConfigError(`unknown command '${command}'; run apicenter-mcp --help`);
  } else {
    stop = await runServer(config, log);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    stop().then(
      () => process.exit(0),
      (e: Error) => {
        log.error(e.message);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

function readRuleset(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read the lint ruleset ${path}: ${(e as Error).message}`);
  }
}

async function runServer(config: Config, log: Logger): Promise<() => Promise<void>> {
  const backend = createBackend(config);
  // The factory is made before the transport that will carry its change notifications.
  const changes: { notify: () => void } = { notify: () => {} };
  const onUnexpected = (e: Error) => log.error(`unexpected: ${e.stack ?? e.message}`);
  const factory = createServerFactory({
    gateway: backend.gateway,
    selection: { readOnly: config.readOnly, toolsets: config.toolsets },
    version: version(),
    index: { ttlMs: config.indexTtlSeconds * 1000, concurrency: config.indexConcurrency },
    linter: new SpectralLinter(config.lintRuleset ? { text: readRuleset(config.lintRuleset), source: config.lintRuleset } : undefined),
    onInventoryChanged: () => changes.notify(),
    onUnexpected,
    log,
  });
  const running: Running =
    config.transport === "http"
      ? await runHttp(factory, { host: config.host, port: config.port, allowedOrigins: config.allowedOrigins, ...(config.authToken ? { authToken: config.authToken } : {}) }, onUnexpected)
      : runStdio(factory, onUnexpected);
  log.info(
    `apicenter-mcp ${version()}: ${backend.description}; serving MCP over ${running.where}` +
      `${config.readOnly ? "; read-only" : ""}${config.toolsets.length ? `; toolsets ${config.toolsets.join(",")}` : ""}`,
  );
  changes.notify = () => running.inventoryChanged();
  return async () => {
    await running.close();
    await backend.close();
  };
}

main(process.argv.slice(2)).catch((e: Error) => {
  const expected = e instanceof ConfigError || (e instanceof DomainError && e.kind === "configuration");
  process.stderr.write(`apicenter-mcp: ${expected ? "" : "error: "}${e.message}\n`);
  process.exit(expected ? 2 : 1);
});
