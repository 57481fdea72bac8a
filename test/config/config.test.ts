import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, defaultDataDir, parseFlags, resolveConfig } from "../../src/config/config.js";

const resolve = (argv: string[], env: NodeJS.ProcessEnv = {}) => resolveConfig(parseFlags(argv).values, env);

test("no Azure configuration means the local backend, stdio, loopback", () => {
  const c = resolve([], { HOME: "/home/u" });
  assert.equal(c.backend, "local");
  assert.equal(c.transport, "stdio");
  assert.equal(c.host, "127.0.0.1");
  assert.match(c.dbPath, /apicenter-mcp[/\\]apicenter\.db$/);
});

test("environment configures Azure; flags override the environment", () => {
  const env = { AZURE_SUBSCRIPTION_ID: "sub", APICENTER_RESOURCE_GROUP: "rg", APICENTER_SERVICE: "svc" };
  const c = resolve(["--service", "other", "--read-only"], env);
  assert.equal(c.backend, "azure");
  assert.equal(c.serviceName, "other");
  assert.equal(c.resourceGroup, "rg");
  assert.equal(c.readOnly, true);
  assert.equal(resolve([], { ...env, APICENTER_READ_ONLY: "1" }).readOnly, true);
});

test("half an Azure configuration is an error naming what is missing", () => {
  assert.throws(() => resolve(["--subscription", "s"]), (e: Error) => e instanceof ConfigError && /resource group.*service name/.test(e.message));
});

test("bad values are refused with the fix", () => {
  assert.throws(() => resolve(["--port", "99999"]), ConfigError);
  assert.throws(() => resolve(["--log-level", "loud"]), ConfigError);
  assert.throws(() => resolve(["--no-such-flag"]), /apicenter-mcp --help/);
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
  assert.throws(() => resolve(["--index-concurrency", "0"]), /at least 1/);
});
