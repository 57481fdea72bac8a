#!/usr/bin/env node
/** The composition root: argv/env -> config -> backend -> server -> transport. */
import { readFileSync } from "node:fs";
import { ConfigError, parseFlags, resolveConfig } from "../config/config.js";
import { runEmulator } from "./emulator.js";
import { createLogger } from "./log.js";

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
  } else {
    throw new ConfigError(command ? `unknown command '${command}'; run apicenter-mcp --help` : "the MCP server is not part of this build yet; run apicenter-mcp emulator");
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

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`apicenter-mcp: ${e instanceof ConfigError ? "" : "error: "}${e.message}\n`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
