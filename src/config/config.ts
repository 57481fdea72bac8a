/**
 * The server's configuration and its resolution: defaults < environment < command-line flags.
 * This is the one place that reads the environment, and OPTIONS is the one list of what it reads:
 * `--help`, the README check and the server.json check all derive from it.
 */
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { closest } from "./suggest.js";

export interface Config {
  /** `azure` when a subscription, resource group and service are configured; otherwise the embedded local API Center. */
  backend: "local" | "azure";
  /** Azure subscription id, a GUID (AZURE_SUBSCRIPTION_ID, --subscription). */
  subscriptionId: string;
  /** Resource group of the API Center service (APICENTER_RESOURCE_GROUP or AZURE_RESOURCE_GROUP, --resource-group). */
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
  /** Browser origins allowed besides loopback pages, as scheme://host[:port] (APICENTER_MCP_ALLOWED_ORIGINS, comma-separated, --allowed-origin). */
  allowedOrigins: string[];
  /**
   * Host names HTTP requests may use besides loopback and the bound address, e.g. a reverse proxy's or
   * the machine's DNS name (APICENTER_MCP_ALLOWED_HOSTS, comma-separated, --allowed-host).
   */
  allowedHosts: string[];
  /** Expose only tools that do not write (APICENTER_READ_ONLY=1, --read-only). */
  readOnly: boolean;
  /** Tool groups to expose (APICENTER_TOOLSETS, --toolsets a,b); all when empty. */
  toolsets: string[];
  /** A Spectral ruleset file (JSON or YAML) for lint_spec (APICENTER_LINT_RULESET, --lint-ruleset). */
  lintRuleset?: string;
  /** Seconds the inventory index is used before it is revalidated in the background (APICENTER_INDEX_TTL, --index-ttl). */
  indexTtlSeconds: number;
  /** APIs read at once while the index is built (APICENTER_INDEX_CONCURRENCY, --index-concurrency). */
  indexConcurrency: number;
  /** How often the local API Center syncs its API sources, in seconds (APICENTER_SYNC_INTERVAL, --sync-interval). */
  syncIntervalSeconds: number;
  /**
   * Host names the local API Center's link imports may fetch from although they resolve to loopback,
   * private or link-local addresses (APICENTER_ALLOW_FETCH_HOSTS, comma-separated, --allow-fetch-host).
   */
  allowFetchHosts: string[];
  /**
   * Where the inventory index is saved for the next process (APICENTER_INDEX_DB, --index-db; `off` keeps it
   * in memory only); defaults to a file beside the local database.
   */
  indexDbPath?: string;
  /**
   * Share of ARM's request budget (each token bucket) the index's crawl leaves for everything else
   * (APICENTER_ARM_RESERVE, --arm-reserve): 0 to 0.9, default 0.2.
   */
  armReserve: number;
  /**
   * ARM's request throttling applied by the local API Center, embedded or standalone (APICENTER_EMULATOR_THROTTLE,
   * --throttle, --throttle-limits): token buckets per subscription and principal; absent when off. Limits not given are ARM's.
   */
  throttle?: ThrottleLimits;
  /** Log verbosity on stderr (APICENTER_LOG_LEVEL, --log-level). */
  logLevel: "error" | "warn" | "info" | "debug";
}

/** Token-bucket sizes and refill rates (tokens per second) by operation type. */
export type ThrottleLimits = Partial<Record<"reads" | "writes" | "deletes", { size: number; refillPerSecond: number }>>;

/** The local backend's service, created on first start. */
export const LOCAL_SERVICE = {
  subscriptionId: "00000000-0000-0000-0000-000000000000",
  resourceGroup: "local",
  serviceName: "local",
} as const;

export const AZURE_ENDPOINT = "https://management.azure.com";

/** The standalone local API Center's default port (`apicenter-mcp emulator`). */
export const EMULATOR_PORT = 4010;

export class ConfigError extends Error {}

export type OptionSection = "backend" | "transport" | "intelligence" | "emulator" | "other";

/** One command-line option with the environment variables it can also come from. */
export interface OptionSpec {
  /** The flag without its dashes. */
  flag: string;
  /** What the value looks like in --help; a flag without one is a switch. */
  value?: string;
  /** Environment variables, in order of precedence (later ones are accepted aliases). */
  env?: readonly string[];
  /** How the environment variable is written when it is a switch or a list, for --help. */
  envForm?: string;
  /** The default as a person reads it; the database path is computed (see defaultDbPath). */
  default?: string;
  help: string;
  section: OptionSection;
  /** A value that must never be shown (server.json marks it isSecret). */
  secret?: boolean;
  multiple?: boolean;
  short?: string;
}

export const OPTIONS = [
  { flag: "subscription", value: "ID", env: ["AZURE_SUBSCRIPTION_ID"], help: "Azure subscription of the API Center service (a GUID)", section: "backend" },
  { flag: "resource-group", value: "NAME", env: ["APICENTER_RESOURCE_GROUP", "AZURE_RESOURCE_GROUP"], help: "its resource group", section: "backend" },
  { flag: "service", value: "NAME", env: ["APICENTER_SERVICE"], help: "its name; set all three for Azure, none for the local API Center", section: "backend" },
  { flag: "arm-endpoint", value: "URL", env: ["APICENTER_ARM_ENDPOINT"], default: AZURE_ENDPOINT, help: "another ARM endpoint (a sovereign cloud, a standalone local API Center)", section: "backend" },
  { flag: "arm-scope", value: "SCOPE", env: ["APICENTER_ARM_SCOPE"], default: "<endpoint>/.default", help: "token scope for non-default clouds", section: "backend" },
  { flag: "db", value: "PATH", env: ["APICENTER_DB"], help: "the local API Center's SQLite file", section: "backend" },
  {
    flag: "allow-fetch-host",
    value: "HOST",
    env: ["APICENTER_ALLOW_FETCH_HOSTS"],
    envForm: "APICENTER_ALLOW_FETCH_HOSTS (comma-separated)",
    default: "none",
    help: "a host the local API Center's link imports may fetch from although it is on loopback or a private network (repeatable)",
    section: "backend",
    multiple: true,
  },
  { flag: "http", env: ["APICENTER_MCP_HTTP"], envForm: "APICENTER_MCP_HTTP=1", default: "stdio", help: "serve Streamable HTTP at /mcp instead of stdio", section: "transport" },
  { flag: "host", value: "ADDR", env: ["APICENTER_MCP_HOST"], default: "127.0.0.1", help: "HTTP bind address", section: "transport" },
  { flag: "port", value: "N", env: ["APICENTER_MCP_PORT"], default: "3000", help: "HTTP port (0 picks a free one)", section: "transport" },
  { flag: "auth-token", value: "TOKEN", env: ["APICENTER_MCP_AUTH_TOKEN"], help: "bearer token HTTP clients must send; required beyond loopback", section: "transport", secret: true },
  {
    flag: "allowed-origin",
    value: "ORIGIN",
    env: ["APICENTER_MCP_ALLOWED_ORIGINS"],
    envForm: "APICENTER_MCP_ALLOWED_ORIGINS (comma-separated)",
    default: "loopback pages only",
    help: "browser origins allowed to call the HTTP endpoint, as scheme://host[:port], matched whole (repeatable)",
    section: "transport",
    multiple: true,
  },
  {
    flag: "allowed-host",
    value: "NAME",
    env: ["APICENTER_MCP_ALLOWED_HOSTS"],
    envForm: "APICENTER_MCP_ALLOWED_HOSTS (comma-separated)",
    default: "loopback and the bind address",
    help: "Host names clients may use, e.g. a reverse proxy's or the machine's DNS name (repeatable)",
    section: "transport",
    multiple: true,
  },
  { flag: "read-only", env: ["APICENTER_READ_ONLY"], envForm: "APICENTER_READ_ONLY=1", default: "off", help: "expose only tools that change nothing", section: "transport" },
  { flag: "toolsets", value: "a,b", env: ["APICENTER_TOOLSETS"], default: "all", help: "expose only these tool groups: apis, specs, deployments, metadata, services, intelligence, apim", section: "transport" },
  { flag: "index-ttl", value: "SECONDS", env: ["APICENTER_INDEX_TTL"], default: "300", help: "how old the inventory index may be before it is revalidated in the background", section: "intelligence" },
  { flag: "index-concurrency", value: "N", env: ["APICENTER_INDEX_CONCURRENCY"], default: "8", help: "APIs read at once while the index is built", section: "intelligence" },
  { flag: "index-db", value: "PATH", env: ["APICENTER_INDEX_DB"], default: "beside --db", help: "where the index is saved for the next session (off: memory only)", section: "intelligence" },
  {
    flag: "arm-reserve",
    value: "SHARE",
    env: ["APICENTER_ARM_RESERVE"],
    default: "0.2",
    help: "share of ARM's request budget the index's crawl leaves to everything else (0 to 0.9, or 20%)",
    section: "intelligence",
  },
  { flag: "lint-ruleset", value: "PATH", env: ["APICENTER_LINT_RULESET"], default: "Spectral's oas/asyncapi recommended", help: "a Spectral ruleset (JSON or YAML) for lint_spec", section: "intelligence" },
  { flag: "latency", value: "MS", default: "0", help: "delay every answer of the standalone local API Center (benchmarks)", section: "emulator" },
  { flag: "sync-interval", value: "SECONDS", env: ["APICENTER_SYNC_INTERVAL"], default: "300", help: "how often the local API Center syncs its API sources", section: "emulator" },
  { flag: "apim", value: "NAME", default: "local-apim", help: "emulator seed-apim: the API Management service to create or update", section: "emulator" },
  { flag: "spec", value: "FILE", help: "emulator seed-apim: an OpenAPI document to make an API of (repeatable; the Echo API without)", section: "emulator", multiple: true },
  {
    flag: "throttle",
    env: ["APICENTER_EMULATOR_THROTTLE"],
    envForm: "APICENTER_EMULATOR_THROTTLE=1 (or =SPEC)",
    default: "off",
    help: "the local API Center, embedded or standalone, throttles like ARM: per subscription, reads 250 refilled at 25/s, writes and deletes 200 at 10/s; 429 + Retry-After",
    section: "emulator",
  },
  { flag: "throttle-limits", value: "SPEC", default: "ARM's", help: "other buckets for --throttle, e.g. reads=250/25,writes=200/10,deletes=200/10", section: "emulator" },
  { flag: "log-level", value: "LEVEL", env: ["APICENTER_LOG_LEVEL"], default: "info", help: "error, warn, info or debug (stderr only)", section: "other" },
  { flag: "help", short: "h", help: "show this help", section: "other" },
  { flag: "version", short: "v", help: "print the version", section: "other" },
] as const satisfies readonly OptionSpec[];

type Option = (typeof OPTIONS)[number];
type EnvName = Option extends infer O ? (O extends { env: readonly (infer N)[] } ? N : never) : never;

/** The environment variables the per-user data directory follows (read by defaultDataDir). */
export const DATA_DIR_ENV = ["XDG_DATA_HOME", "LOCALAPPDATA"] as const;

/** The per-user data directory, following each platform's convention. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === "win32") return join(env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"), "apicenter-mcp");
  if (platform === "darwin") return join(homedir(), "Library", "Application Support", "apicenter-mcp");
  return join(env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "apicenter-mcp");
}

export const defaultDbPath = (env: NodeJS.ProcessEnv = process.env, platform = process.platform): string => join(defaultDataDir(env, platform), "apicenter.db");

type ParseArgsOptions = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;
const PARSE_OPTIONS = Object.fromEntries(
  OPTIONS.map((o: OptionSpec) => [o.flag, { type: o.value ? "string" : "boolean", ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
) as ParseArgsOptions;

export type Flags = { [O in Option as O["flag"]]?: O extends { value: string } ? (O extends { multiple: true } ? string[] : string) : boolean };

export const FLAG_NAMES = OPTIONS.map((o) => `--${o.flag}`);

/** Parses argv; a mistake gets a sentence naming the closest flag, not the parser's text. */
export function parseFlags(argv: string[]): { values: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: true });
    return { values: values as Flags, positionals };
  } catch (e) {
    throw new ConfigError(parseErrorMessage(e as Error & { code?: string }));
  }
}

function parseErrorMessage(e: Error & { code?: string }): string {
  const named = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1];
  const help = "run apicenter-mcp --help for the options";
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && named) {
    const guess = closest(named.replace(/^-+/, "").split("=")[0]!, OPTIONS.map((o) => o.flag));
    return `unknown flag ${named}${guess ? `; did you mean --${guess}?` : `; ${help}`}`;
  }
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && named) {
    const spec = OPTIONS.find((o: OptionSpec) => `--${o.flag}` === named || (o.short && `-${o.short}` === named)) as OptionSpec | undefined;
    if (spec?.value) return `--${spec.flag} needs a value: --${spec.flag} ${spec.value}`;
    if (spec) return `--${spec.flag} is a switch and takes no value: pass --${spec.flag} alone`;
  }
  return `${e.message}; ${help}`;
}

/** A value with where it came from, so a refusal can name the flag or variable to fix. */
interface Sourced {
  value: string;
  from: string;
}

const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ARM's rule for resource group names. */
const RESOURCE_GROUP = /^[-\w.()\p{L}\p{N}]{1,90}$/u;

function wholeNumber(s: Sourced | undefined, fallback: number, min: number): number {
  if (!s) return fallback;
  const n = Number(s.value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${s.from} '${s.value}' is not a whole number of at least ${min}`);
  return n;
}

function portNumber(s: Sourced | undefined, fallback: number): number {
  if (!s) return fallback;
  const n = Number(s.value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${s.from} '${s.value}' is not a port number (0-65535; 0 picks a free one)`);
  return n;
}

function subscription(s: Sourced | undefined): string | undefined {
  if (s && !GUID.test(s.value)) {
    throw new ConfigError(`${s.from} '${s.value}' is not a subscription id: it is a GUID such as 00000000-0000-0000-0000-000000000000 (\`az account show --query id -o tsv\` prints yours)`);
  }
  return s?.value;
}

function resourceGroup(s: Sourced | undefined): string | undefined {
  if (s && (!RESOURCE_GROUP.test(s.value) || s.value.endsWith("."))) {
    throw new ConfigError(
      `${s.from} '${s.value}' is not a resource group name: 1 to 90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period`,
    );
  }
  return s?.value;
}

const THROTTLE_LIMIT = /^(reads|writes|deletes)=(\d+)\/(\d+(?:\.\d+)?)$/;

/** `reads=250/25,writes=200/10`: bucket size / refill per second for each operation type named. */
export function parseThrottleLimits(spec: string, from: string): ThrottleLimits {
  const limits: ThrottleLimits = {};
  for (const part of spec.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = THROTTLE_LIMIT.exec(part);
    const size = Number(m?.[2]);
    const refillPerSecond = Number(m?.[3]);
    if (!m || size < 1 || !(refillPerSecond > 0)) {
      throw new ConfigError(`${from}: '${part.slice(0, 80)}' is not TYPE=SIZE/REFILL with TYPE reads, writes or deletes, e.g. reads=250/25,writes=200/10,deletes=200/10`);
    }
    limits[m[1] as keyof ThrottleLimits] = { size, refillPerSecond };
  }
  return limits;
}

function share(s: Sourced | undefined, fallback: number): number {
  if (!s) return fallback;
  const n = s.value.endsWith("%") ? Number(s.value.slice(0, -1)) / 100 : Number(s.value);
  if (!Number.isFinite(n) || n < 0 || n > 0.9) throw new ConfigError(`${s.from} '${s.value.slice(0, 80)}' is not a share between 0 and 0.9 (or 0% to 90%)`);
  return n;
}

export function resolveConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): Config {
  const fromEnv = (...names: EnvName[]): Sourced | undefined => {
    for (const name of names) {
      const value = env[name];
      if (value !== undefined && value !== "") return { value, from: name };
    }
    return undefined;
  };
  const pick = (flag: keyof Flags, ...names: EnvName[]): Sourced | undefined => {
    const given = flags[flag];
    return typeof given === "string" ? { value: given, from: `--${flag}` } : fromEnv(...names);
  };
  const switchOn = (flag: keyof Flags, name: EnvName): boolean => {
    if (flags[flag] === true) return true;
    const s = fromEnv(name);
    if (!s || FALSE.test(s.value)) return false;
    if (TRUE.test(s.value)) return true;
    throw new ConfigError(`${s.from}='${s.value}' is neither on nor off: use 1 (or true) to turn it on, 0 (or false) to leave it off`);
  };
  const list = (s: Sourced | undefined) => (s?.value ?? "").split(",").map((v) => v.trim()).filter(Boolean);

  const subscriptionId = subscription(pick("subscription", "AZURE_SUBSCRIPTION_ID"));
  const group = resourceGroup(pick("resource-group", "APICENTER_RESOURCE_GROUP", "AZURE_RESOURCE_GROUP"));
  const serviceName = pick("service", "APICENTER_SERVICE")?.value;
  const armEndpoint = pick("arm-endpoint", "APICENTER_ARM_ENDPOINT")?.value;
  const azureParts = [subscriptionId, group, serviceName].filter(Boolean).length;
  const backend = azureParts > 0 || armEndpoint ? "azure" : "local";
  if (backend === "azure" && azureParts < 3) {
    throw new ConfigError(
      "Azure mode needs all three of the subscription (AZURE_SUBSCRIPTION_ID or --subscription), the resource group " +
        "(APICENTER_RESOURCE_GROUP or --resource-group) and the service name (APICENTER_SERVICE or --service); " +
        "set none of them to use the local API Center",
    );
  }
  const level = pick("log-level", "APICENTER_LOG_LEVEL");
  const logLevel = (level?.value ?? "info") as Config["logLevel"];
  if (!["error", "warn", "info", "debug"].includes(logLevel)) throw new ConfigError(`${level!.from} '${logLevel}' is not one of error, warn, info, debug`);
  const armScope = pick("arm-scope", "APICENTER_ARM_SCOPE")?.value;
  const authToken = pick("auth-token", "APICENTER_MCP_AUTH_TOKEN")?.value;
  const lintRuleset = pick("lint-ruleset", "APICENTER_LINT_RULESET")?.value;
  const dbPath = pick("db", "APICENTER_DB")?.value ?? defaultDbPath(env);
  const indexDb = pick("index-db", "APICENTER_INDEX_DB")?.value ?? (dbPath === ":memory:" ? "off" : join(dirname(dbPath), basename(dbPath).replace(/(\.db)?$/, ".index.db")));
  const throttle = throttleConfig(flags, fromEnv("APICENTER_EMULATOR_THROTTLE"));
  return {
    backend,
    subscriptionId: subscriptionId ?? LOCAL_SERVICE.subscriptionId,
    resourceGroup: group ?? LOCAL_SERVICE.resourceGroup,
    serviceName: serviceName ?? LOCAL_SERVICE.serviceName,
    armEndpoint: armEndpoint ?? AZURE_ENDPOINT,
    ...(armScope ? { armScope } : {}),
    dbPath,
    transport: switchOn("http", "APICENTER_MCP_HTTP") ? "http" : "stdio",
    host: pick("host", "APICENTER_MCP_HOST")?.value ?? "127.0.0.1",
    port: portNumber(pick("port", "APICENTER_MCP_PORT"), 3000),
    ...(authToken ? { authToken } : {}),
    allowedOrigins: flags["allowed-origin"] ?? list(fromEnv("APICENTER_MCP_ALLOWED_ORIGINS")),
    allowedHosts: flags["allowed-host"] ?? list(fromEnv("APICENTER_MCP_ALLOWED_HOSTS")),
    readOnly: switchOn("read-only", "APICENTER_READ_ONLY"),
    toolsets: list(pick("toolsets", "APICENTER_TOOLSETS")),
    ...(lintRuleset ? { lintRuleset } : {}),
    allowFetchHosts: flags["allow-fetch-host"] ?? list(fromEnv("APICENTER_ALLOW_FETCH_HOSTS")),
    indexTtlSeconds: wholeNumber(pick("index-ttl", "APICENTER_INDEX_TTL"), 300, 1),
    indexConcurrency: wholeNumber(pick("index-concurrency", "APICENTER_INDEX_CONCURRENCY"), 8, 1),
    syncIntervalSeconds: wholeNumber(pick("sync-interval", "APICENTER_SYNC_INTERVAL"), 300, 1),
    ...(/^(off|none)$/i.test(indexDb) ? {} : { indexDbPath: indexDb }),
    armReserve: share(pick("arm-reserve", "APICENTER_ARM_RESERVE"), 0.2),
    ...(throttle ? { throttle } : {}),
    logLevel,
  };
}

/** --throttle-limits, else --throttle or APICENTER_EMULATOR_THROTTLE (1 for ARM's limits, or a SPEC of others). */
function throttleConfig(flags: Flags, env: Sourced | undefined): ThrottleLimits | undefined {
  if (flags["throttle-limits"] !== undefined) return parseThrottleLimits(flags["throttle-limits"], "--throttle-limits");
  const envSpec = env && !TRUE.test(env.value) && !FALSE.test(env.value) ? env : undefined;
  if (flags.throttle) return envSpec ? parseThrottleLimits(envSpec.value, envSpec.from) : {};
  if (!env || FALSE.test(env.value)) return undefined;
  return envSpec ? parseThrottleLimits(envSpec.value, envSpec.from) : {};
}

/** The standalone local API Center's own settings (`apicenter-mcp emulator`), from flags only. */
export function resolveEmulatorOptions(flags: Flags): { host: string; port: number; latencyMs: number } {
  const given = (flag: "port" | "latency"): Sourced | undefined => (flags[flag] === undefined ? undefined : { value: String(flags[flag]), from: `--${flag}` });
  return {
    host: flags.host ?? "127.0.0.1",
    port: portNumber(given("port"), EMULATOR_PORT),
    latencyMs: wholeNumber(given("latency"), 0, 0),
  };
}
