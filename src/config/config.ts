/**
 * The server's configuration and its resolution: defaults < environment < command-line flags.
 * This is the one place that reads the environment.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

export interface Config {
  /** `azure` when a subscription, resource group and service are configured; otherwise the embedded local API Center. */
  backend: "local" | "azure";
  /** Azure subscription id (AZURE_SUBSCRIPTION_ID, --subscription). */
  subscriptionId: string;
  /** Resource group of the API Center service (APICENTER_RESOURCE_GROUP, --resource-group). */
  resourceGroup: string;
  /** API Center service name (APICENTER_SERVICE, --service). */
  serviceName: string;
  /** ARM endpoint (APICENTER_ARM_ENDPOINT, --arm-endpoint); any ARM-compatible one, such as a standalone local API Center. */
  armEndpoint: string;
  /** Token scope for a non-default cloud (APICENTER_ARM_SCOPE, --arm-scope); defaults to `${armEndpoint}/.default`. */
  armScope?: string;
  /** The local API Center's database file (APICENTER_DB, --db); defaults to a per-user data directory. */
  dbPath: string;
  /** MCP transport: stdio (default) or Streamable HTTP (--http). */
  transport: "stdio" | "http";
  /** HTTP bind address (APICENTER_MCP_HOST, --host); loopback by default. */
  host: string;
  /** HTTP port (APICENTER_MCP_PORT, --port). */
  port: number;
  /** Bearer token HTTP clients must send (APICENTER_MCP_AUTH_TOKEN, --auth-token); required beyond loopback. */
  authToken?: string;
  /** Extra allowed Origin values for HTTP mode (APICENTER_MCP_ALLOWED_ORIGINS, comma-separated, --allowed-origin). */
  allowedOrigins: string[];
  /** Expose only tools that do not write (APICENTER_READ_ONLY=1, --read-only). */
  readOnly: boolean;
  /** Tool groups to expose (APICENTER_TOOLSETS, --toolsets a,b); all when empty. */
  toolsets: string[];
  /** A Spectral ruleset file (JSON or YAML) for lint_spec (APICENTER_LINT_RULESET, --lint-ruleset). */
  lintRuleset?: string;
  /** Seconds the inventory index stays valid (APICENTER_INDEX_TTL, --index-ttl). */
  indexTtlSeconds: number;
  /** ARM calls in flight while the index is built (APICENTER_INDEX_CONCURRENCY, --index-concurrency). */
  indexConcurrency: number;
  /** Log verbosity on stderr (APICENTER_LOG_LEVEL, --log-level). */
  logLevel: "error" | "warn" | "info" | "debug";
}

/** The local backend's service, created on first start. */
export const LOCAL_SERVICE = {
  subscriptionId: "00000000-0000-0000-0000-000000000000",
  resourceGroup: "local",
  serviceName: "local",
} as const;

export const AZURE_ENDPOINT = "https://management.azure.com";

export class ConfigError extends Error {}

/** The per-user data directory, following each platform's convention. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === "win32") return join(env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"), "apicenter-mcp");
  if (platform === "darwin") return join(homedir(), "Library", "Application Support", "apicenter-mcp");
  return join(env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "apicenter-mcp");
}

const FLAGS = {
  subscription: { type: "string" },
  "resource-group": { type: "string" },
  service: { type: "string" },
  "arm-endpoint": { type: "string" },
  "arm-scope": { type: "string" },
  db: { type: "string" },
  http: { type: "boolean" },
  host: { type: "string" },
  port: { type: "string" },
  "auth-token": { type: "string" },
  "allowed-origin": { type: "string", multiple: true },
  "read-only": { type: "boolean" },
  toolsets: { type: "string" },
  "log-level": { type: "string" },
  latency: { type: "string" },
  "lint-ruleset": { type: "string" },
  "index-ttl": { type: "string" },
  "index-concurrency": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export type Flags = ReturnType<typeof parseFlags>["values"];

export function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}; run apicenter-mcp --help for the options`);
  }
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

function positive(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${what} '${value}' is not a whole number of at least 1`);
  return n;
}

function port(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${what} '${value}' is not a port number (0-65535)`);
  return n;
}

export function resolveConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): Config {
  const pick = (flag: string | undefined, ...names: string[]) => flag ?? names.map((n) => env[n]).find((v) => v !== undefined && v !== "");
  const subscriptionId = pick(flags.subscription, "AZURE_SUBSCRIPTION_ID");
  const resourceGroup = pick(flags["resource-group"], "APICENTER_RESOURCE_GROUP", "AZURE_RESOURCE_GROUP");
  const serviceName = pick(flags.service, "APICENTER_SERVICE", "APICENTER_SERVICE_NAME");
  const armEndpoint = pick(flags["arm-endpoint"], "APICENTER_ARM_ENDPOINT");
  const azureParts = [subscriptionId, resourceGroup, serviceName].filter(Boolean).length;
  const backend = azureParts > 0 || armEndpoint ? "azure" : "local";
  if (backend === "azure" && azureParts < 3) {
    throw new ConfigError(
      "Azure mode needs all three of the subscription (AZURE_SUBSCRIPTION_ID or --subscription), the resource group " +
        "(APICENTER_RESOURCE_GROUP or --resource-group) and the service name (APICENTER_SERVICE or --service); " +
        "set none of them to use the local API Center",
    );
  }
  const logLevel = (pick(flags["log-level"], "APICENTER_LOG_LEVEL") ?? "info") as Config["logLevel"];
  if (!["error", "warn", "info", "debug"].includes(logLevel)) throw new ConfigError(`log level '${logLevel}' is not one of error, warn, info, debug`);
  const armScope = pick(flags["arm-scope"], "APICENTER_ARM_SCOPE");
  const authToken = pick(flags["auth-token"], "APICENTER_MCP_AUTH_TOKEN");
  const lintRuleset = pick(flags["lint-ruleset"], "APICENTER_LINT_RULESET");
  const toolsets = (pick(flags.toolsets, "APICENTER_TOOLSETS") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const origins = flags["allowed-origin"] ?? (env.APICENTER_MCP_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return {
    backend,
    subscriptionId: subscriptionId ?? LOCAL_SERVICE.subscriptionId,
    resourceGroup: resourceGroup ?? LOCAL_SERVICE.resourceGroup,
    serviceName: serviceName ?? LOCAL_SERVICE.serviceName,
    armEndpoint: armEndpoint ?? AZURE_ENDPOINT,
    ...(armScope ? { armScope } : {}),
    dbPath: pick(flags.db, "APICENTER_DB") ?? join(defaultDataDir(env), "apicenter.db"),
    transport: flags.http || truthy(env.APICENTER_MCP_HTTP) ? "http" : "stdio",
    host: pick(flags.host, "APICENTER_MCP_HOST") ?? "127.0.0.1",
    port: port(pick(flags.port, "APICENTER_MCP_PORT"), 3000, "port"),
    ...(authToken ? { authToken } : {}),
    allowedOrigins: origins,
    readOnly: flags["read-only"] === true || truthy(env.APICENTER_READ_ONLY),
    toolsets,
    ...(lintRuleset ? { lintRuleset } : {}),
    indexTtlSeconds: positive(pick(flags["index-ttl"], "APICENTER_INDEX_TTL"), 300, "index TTL"),
    indexConcurrency: positive(pick(flags["index-concurrency"], "APICENTER_INDEX_CONCURRENCY"), 8, "index concurrency"),
    logLevel,
  };
}

