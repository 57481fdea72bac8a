/**
 * server.json, the entry for the official MCP registry. No npm package ships the registry's JSON
 * schema, so it is checked against the fields the registry documents (server.json format, schema
 * 2025-12-11, and the official registry's extra requirements), strictly: a misspelt field fails.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { OPTIONS } from "../../src/config/config.js";
import { PROJECT_ROOT } from "../helpers/shared.js";

const SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";
/** A version, not a range or a tag (the registry refuses '^1.2.3', '1.x', 'latest'...). */
const exactVersion = z.string().min(1).max(255).regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/);

const Input = {
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  format: z.enum(["string", "number", "boolean", "filepath"]).optional(),
  default: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
  value: z.string().optional(),
};
const KeyValueInput = z.strictObject({ name: z.string().min(1), ...Input });
const Argument = z.strictObject({ type: z.enum(["positional", "named"]), name: z.string().optional(), valueHint: z.string().optional(), isRepeated: z.boolean().optional(), ...Input });
const Transport = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("stdio") }),
  z.strictObject({ type: z.literal("streamable-http"), url: z.string(), headers: z.array(KeyValueInput).optional() }),
  z.strictObject({ type: z.literal("sse"), url: z.url(), headers: z.array(KeyValueInput).optional() }),
]);
const NpmPackage = z.strictObject({
  registryType: z.literal("npm"),
  // The official registry accepts npm packages from the public registry only.
  registryBaseUrl: z.literal("https://registry.npmjs.org").optional(),
  identifier: z.string().min(1),
  version: exactVersion,
  runtimeHint: z.string().optional(),
  transport: Transport,
  runtimeArguments: z.array(Argument).optional(),
  packageArguments: z.array(Argument).optional(),
  environmentVariables: z.array(KeyValueInput).optional(),
});
const ServerJson = z.strictObject({
  $schema: z.literal(SCHEMA_URL),
  name: z.string().min(3).max(200).regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/),
  title: z.string().min(1).max(100).optional(),
  description: z.string().min(1).max(100),
  version: exactVersion,
  websiteUrl: z.url().optional(),
  repository: z.strictObject({ url: z.url(), source: z.string(), id: z.string().optional(), subfolder: z.string().optional() }).optional(),
  packages: z.array(NpmPackage).min(1),
});

const read = (file: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, file), "utf8")) as Record<string, unknown>;

test("server.json has the registry's documented shape", () => {
  const parsed = ServerJson.safeParse(read("server.json"));
  assert.ok(parsed.success, parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
});

test("server.json agrees with package.json: name (mcpName, which proves ownership), versions, package", () => {
  const server = ServerJson.parse(read("server.json"));
  const pkg = read("package.json") as { name: string; version: string; mcpName: string; description: string };
  assert.equal(server.name, pkg.mcpName);
  assert.equal(server.version, pkg.version);
  const [npm] = server.packages;
  assert.equal(npm!.identifier, pkg.name);
  assert.equal(npm!.version, pkg.version);
  assert.deepEqual(npm!.transport, { type: "stdio" });
});

test("its environment variables are ones the server reads, and the secret ones are marked so", () => {
  const server = ServerJson.parse(read("server.json"));
  const known = new Map<string, boolean>();
  for (const o of OPTIONS) for (const name of "env" in o ? o.env : []) known.set(name, "secret" in o && o.secret === true);
  // DefaultAzureCredential's variables: the Azure SDK reads them.
  for (const name of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE"]) known.set(name, false);
  known.set("AZURE_CLIENT_SECRET", true);
  const vars = server.packages[0]!.environmentVariables ?? [];
  assert.ok(vars.length > 0);
  for (const v of vars) {
    assert.ok(known.has(v.name), `${v.name} is read by the server`);
    assert.equal(v.isSecret === true, known.get(v.name), `${v.name} isSecret`);
    assert.ok(v.description && v.description.length > 10, `${v.name} is described`);
    assert.notEqual(v.isRequired, true, "nothing is required: with no settings it runs on the local API Center");
  }
  for (const needed of ["AZURE_SUBSCRIPTION_ID", "APICENTER_RESOURCE_GROUP", "APICENTER_SERVICE", "AZURE_CLIENT_SECRET"]) {
    assert.ok(vars.some((v) => v.name === needed), `${needed} is offered`);
  }
});

test("the strict check refuses what the registry would", () => {
  const good = read("server.json");
  const bad = (patch: Record<string, unknown>) => ServerJson.safeParse({ ...good, ...patch }).success;
  assert.equal(bad({ name: "no-namespace" }), false);
  assert.equal(bad({ description: "x".repeat(101) }), false);
  assert.equal(bad({ status: "active" }), false, "registry-managed fields are not the publisher's");
  const pkg = (good.packages as Array<Record<string, unknown>>)[0]!;
  assert.equal(bad({ packages: [{ ...pkg, version: "^0.1.0" }] }), false);
  assert.equal(bad({ packages: [{ ...pkg, registryBaseUrl: "https://npm.example.com" }] }), false);
  assert.equal(bad({ packages: [{ ...pkg, environmentVariables: [{ name: "X", is_secret: true }] }] }), false, "snake_case fields were renamed in 2025-09-16");
});
