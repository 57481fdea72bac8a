import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, OPTIONS, defaultDataDir, parseFlags, resolveConfig, resolveEmulatorOptions } from "../../src/config/config.js";

const resolve = (argv: string[], env: NodeJS.ProcessEnv = {}) => resolveConfig(parseFlags(argv).values, env);
const SUB = "11111111-2222-3333-4444-555555555555";
const refused = (argv: string[], env: NodeJS.ProcessEnv, message: RegExp) =>
  assert.throws(() => resolve(argv, env), (e: Error) => e instanceof ConfigError && message.test(e.message), message.source);

test("no Azure configuration means the local backend, stdio, loopback", () => {
  const c = resolve([], { HOME: "/home/u" });
  assert.equal(c.backend, "local");
  assert.equal(c.transport, "stdio");
  assert.equal(c.host, "127.0.0.1");
  assert.match(c.dbPath, /apicenter-mcp[/\\]apicenter\.db$/);
});

test("environment configures Azure; flags override the environment", () => {
  const env = { AZURE_SUBSCRIPTION_ID: SUB, APICENTER_RESOURCE_GROUP: "rg", APICENTER_SERVICE: "svc" };
  const c = resolve(["--service", "other", "--read-only"], env);
  assert.equal(c.backend, "azure");
  assert.equal(c.subscriptionId, SUB);
  assert.equal(c.serviceName, "other");
  assert.equal(c.resourceGroup, "rg");
  assert.equal(c.readOnly, true);
  assert.equal(resolve([], { ...env, APICENTER_READ_ONLY: "1" }).readOnly, true);
  assert.equal(resolve([], { ...env, APICENTER_READ_ONLY: "off" }).readOnly, false);
  assert.equal(resolve([], { ...env, APICENTER_RESOURCE_GROUP: "", AZURE_RESOURCE_GROUP: "alias-rg" }).resourceGroup, "alias-rg");
});

test("half an Azure configuration is an error naming what is missing", () => {
  assert.throws(() => resolve(["--subscription", SUB]), (e: Error) => e instanceof ConfigError && /resource group.*service name/.test(e.message));
});

test("the subscription id must be a GUID; the message names the flag or the variable it came from", () => {
  refused(["--subscription", "foo", "--resource-group", "rg", "--service", "svc"], {}, /^--subscription 'foo' is not a subscription id: it is a GUID/);
  refused([], { AZURE_SUBSCRIPTION_ID: "foo", APICENTER_RESOURCE_GROUP: "rg", APICENTER_SERVICE: "svc" }, /^AZURE_SUBSCRIPTION_ID 'foo' is not a subscription id/);
  refused([], { AZURE_SUBSCRIPTION_ID: `${SUB}0`, APICENTER_RESOURCE_GROUP: "rg", APICENTER_SERVICE: "svc" }, /not a subscription id/);
  assert.equal(resolve(["--subscription", SUB.toUpperCase(), "--resource-group", "rg", "--service", "svc"]).subscriptionId, SUB.toUpperCase());
});

test("resource group names follow ARM's rule", () => {
  const base = ["--subscription", SUB, "--service", "svc", "--resource-group"];
  for (const ok of ["rg", "my-rg_1.(prod)", "a", "x".repeat(90), "équipe-api"]) assert.equal(resolve([...base, ok]).resourceGroup, ok);
  for (const bad of ["rg.", "x".repeat(91), "a/b", "a b", "a*"]) refused([...base, bad], {}, /^--resource-group '.*' is not a resource group name: 1 to 90/);
  refused([], { AZURE_SUBSCRIPTION_ID: SUB, APICENTER_SERVICE: "svc", AZURE_RESOURCE_GROUP: "rg." }, /^AZURE_RESOURCE_GROUP 'rg\.'/);
});

test("bad values are refused with the fix, naming their source", () => {
  refused(["--port", "99999"], {}, /^--port '99999' is not a port number \(0-65535/);
  refused([], { APICENTER_MCP_PORT: "http" }, /^APICENTER_MCP_PORT 'http' is not a port number/);
  refused(["--log-level", "loud"], {}, /^--log-level 'loud' is not one of error, warn, info, debug/);
  refused([], { APICENTER_READ_ONLY: "maybe" }, /^APICENTER_READ_ONLY='maybe' is neither on nor off: use 1/);
  refused([], { APICENTER_MCP_HTTP: "enabled" }, /^APICENTER_MCP_HTTP='enabled'/);
  refused(["--index-concurrency", "0"], {}, /^--index-concurrency '0' is not a whole number of at least 1/);
});

test("parse mistakes get a sentence with the closest flag, not the parser's text", () => {
  const parseError = (argv: string[]) => {
    try {
      parseFlags(argv);
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.message;
    }
    assert.fail(`${argv.join(" ")} parsed`);
  };
  assert.equal(parseError(["--prot", "3000"]), "unknown flag --prot; did you mean --port?");
  assert.equal(parseError(["--read"]), "unknown flag --read; did you mean --read-only?");
  assert.equal(parseError(["--subscriptoin=x"]), "unknown flag --subscriptoin; did you mean --subscription?");
  assert.equal(parseError(["--frobnicate"]), "unknown flag --frobnicate; run apicenter-mcp --help for the options");
  assert.equal(parseError(["--port"]), "--port needs a value: --port N");
  assert.equal(parseError(["--read-only=yes"]), "--read-only is a switch and takes no value: pass --read-only alone");
});

test("every option has a help line; environment variable names are unique", () => {
  const names = OPTIONS.flatMap((o) => ("env" in o ? [...o.env] : []));
  assert.equal(new Set(names).size, names.length);
  for (const o of OPTIONS) assert.ok(o.help.length > 5, o.flag);
});

test("per-user data directories follow the platform", () => {
  assert.equal(defaultDataDir({ XDG_DATA_HOME: "/x" }, "linux"), "/x/apicenter-mcp");
  assert.match(defaultDataDir({ LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, "win32"), /apicenter-mcp$/);
});

test("the index and lint settings", () => {
  const c = resolve(["--index-ttl", "60", "--lint-ruleset", "rules.yaml"], { APICENTER_INDEX_CONCURRENCY: "4" });
  assert.equal(c.indexTtlSeconds, 60);
  assert.equal(c.indexConcurrency, 4);
  assert.equal(c.lintRuleset, "rules.yaml");
});

test("the standalone local API Center's own settings", () => {
  assert.deepEqual(resolveEmulatorOptions(parseFlags([]).values), { host: "127.0.0.1", port: 4010, latencyMs: 0 });
  assert.deepEqual(resolveEmulatorOptions(parseFlags(["--port", "0", "--latency", "25"]).values), { host: "127.0.0.1", port: 0, latencyMs: 25 });
  assert.throws(() => resolveEmulatorOptions(parseFlags(["--latency=-1"]).values), /^Error: --latency '-1' is not a whole number of at least 0$/);
});

test("hosts link imports may fetch from: none by default, from flags or the environment", () => {
  assert.deepEqual(resolve([]).allowFetchHosts, []);
  assert.deepEqual(resolve([], { APICENTER_ALLOW_FETCH_HOSTS: "docs.internal, localhost" }).allowFetchHosts, ["docs.internal", "localhost"]);
  assert.deepEqual(resolve(["--allow-fetch-host", "a", "--allow-fetch-host", "b"], { APICENTER_ALLOW_FETCH_HOSTS: "c" }).allowFetchHosts, ["a", "b"]);
});

test("ARM throttling of the local API Center: off by default, on by flag or environment, limits overridable", () => {
  assert.equal(resolve([]).throttle, undefined);
  assert.deepEqual(resolve(["--throttle"]).throttle, {});
  assert.deepEqual(resolve([], { APICENTER_EMULATOR_THROTTLE: "1" }).throttle, {});
  assert.equal(resolve([], { APICENTER_EMULATOR_THROTTLE: "off" }).throttle, undefined);
  assert.deepEqual(resolve([], { APICENTER_EMULATOR_THROTTLE: "reads=100/5" }).throttle, { reads: { size: 100, refillPerSecond: 5 } });
  assert.deepEqual(resolve(["--throttle-limits", "writes=20/0.5,deletes=3/1"]).throttle, {
    writes: { size: 20, refillPerSecond: 0.5 },
    deletes: { size: 3, refillPerSecond: 1 },
  });
  assert.throws(() => resolve(["--throttle-limits", "reads=100"]), /TYPE=SIZE\/REFILL/);
  assert.throws(() => resolve(["--throttle-limits", "lists=1/1"]), /reads, writes or deletes/);
  assert.throws(() => resolve(["--throttle-limits", "reads=0/1"]), ConfigError);
});

test("the share of ARM's budget the index leaves for everything else", () => {
  assert.equal(resolve([]).armReserve, 0.2);
  assert.equal(resolve(["--arm-reserve", "0.5"]).armReserve, 0.5);
  assert.equal(resolve([], { APICENTER_ARM_RESERVE: "30%" }).armReserve, 0.3);
  assert.throws(() => resolve(["--arm-reserve", "1"]), /between 0 and 0.9/);
  assert.throws(() => resolve(["--arm-reserve", "lots"]), ConfigError);
});
