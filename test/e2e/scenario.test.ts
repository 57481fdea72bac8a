/**
 * The end-to-end scenario, with real clients of both protocol eras over stdio and HTTP against the
 * built CLI: define_metadata -> register_api -> create_version -> import_spec (GitHub's ~13 MB
 * OpenAPI) -> create_environment -> create_deployment -> every read tool -> delete_resource, and the
 * exported spec equals the imported bytes. Every tool of the server is called, and every answer's
 * text carries its structured result (clients.ts checks each call).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { ALL_TOOLS } from "../../src/mcp/tools/index.js";
import { MATRIX, startClient, type ToolAnswer } from "./clients.js";

const require = createRequire(import.meta.url);
const GITHUB_SPEC = readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8");
const petstore = (version: string, paths: Record<string, unknown>) => JSON.stringify({ openapi: "3.0.3", info: { title: "Petstore", version }, paths });
const LIST_PETS = { "/pets": { get: { operationId: "listPets", responses: { "200": { description: "ok" } } } } };

for (const { era, transport } of MATRIX) {
  describe(`${era}-era client over ${transport}: the inventory end to end`, () => {
    test("define, register, version, import, environment, deployment, read it all back, analyze, delete", async () => {
      const c = await startClient({ era, transport });
      const called = new Set<string>();
      try {
        const call = async (name: string, args: Record<string, unknown>) => {
          called.add(name);
          return c.callTool(name, args);
        };
        const ok = async (name: string, args: Record<string, unknown>): Promise<ToolAnswer> => {
          const r = await call(name, args);
          assert.ok(!r.isError, `${name}: ${r.content[0]?.text}`);
          return r;
        };
        await ok("define_metadata", {
          metadataSchemaName: "owner-team",
          schema: { type: "string", enum: ["platform", "payments"] },
          assignedTo: [{ entity: "api", required: true }],
        });
        const missing = await call("register_api", { apiName: "github", title: "GitHub REST API", kind: "rest" });
        assert.equal(missing.isError, true, "the required custom property is enforced");
        assert.match(missing.content[0]!.text!, /owner-team is required/);

        const reg = await ok("register_api", {
          apiName: "github",
          title: "GitHub REST API",
          kind: "rest",
          summary: "Repositories, issues and pull requests",
          contacts: [{ name: "Platform team", email: "platform@example.com" }],
          customProperties: { "owner-team": "platform" },
        });
        assert.equal(reg.structuredContent.apiName, "github");
        await ok("create_version", { apiName: "github", versionName: "2022-11-28", lifecycleStage: "production" });

        const imported = await ok("import_spec", { apiName: "github", versionName: "2022-11-28", specContent: GITHUB_SPEC });
        assert.equal(imported.structuredContent.definitionName, "openapi");
        assert.equal(imported.structuredContent.createdDefinition, true);
        assert.match(imported.structuredContent.specification, /^openapi 3\./);

        await ok("create_environment", { environmentName: "production", kind: "production", serverType: "Azure API Management" });
        await ok("create_deployment", {
          apiName: "github",
          deploymentName: "github-prod",
          environmentName: "production",
          versionName: "2022-11-28",
          definitionName: "openapi",
          runtimeUris: ["https://api.github.com"],
        });

        const inProd = await ok("list_apis", { environmentName: "production", customProperties: { "owner-team": "platform" } });
        assert.deepEqual(inProd.structuredContent.apis.map((a: { name: string }) => a.name), ["github"]);
        assert.equal(inProd.structuredContent.apis[0].lifecycleStage, "production");
        assert.deepEqual(inProd.structuredContent.apis[0].latestVersion, { name: "2022-11-28", definitions: [{ name: "openapi", specification: imported.structuredContent.specification }] });
        const none = await ok("list_apis", { lifecycleStage: "retired" });
        assert.equal(none.structuredContent.total, 0);

        const api = (await ok("get_api", { apiName: "github" })).structuredContent;
        assert.match(api.versions[0].definitions[0].specification, /^openapi/);
        assert.deepEqual(api.deployments[0], {
          name: "github-prod",
          title: "github in production",
          environment: "production",
          version: "2022-11-28",
          definition: "openapi",
          runtimeUris: ["https://api.github.com"],
          state: "active",
        });
        assert.deepEqual(api.contacts, [{ name: "Platform team", email: "platform@example.com" }]);

        // Without version and definition names: the latest version's only definition, and the answer says so.
        const analysis = await ok("analyze_spec", { apiName: "github", limit: 100 });
        assert.ok(analysis.structuredContent.summary.operationCount > 500, `${analysis.structuredContent.summary.operationCount} operations`);
        assert.equal(analysis.structuredContent.operations.length, 100);
        assert.ok(analysis.structuredContent.nextCursor);
        assert.equal(analysis.structuredContent.bytes, Buffer.byteLength(GITHUB_SPEC));
        assert.deepEqual([analysis.structuredContent.versionName, analysis.structuredContent.definitionName], ["2022-11-28", "openapi"]);
        assert.match(analysis.content[0]!.text!, /used version '2022-11-28', its only definition 'openapi'/);

        const ref = { apiName: "github", versionName: "2022-11-28", definitionName: "openapi" };
        const tooBig = await call("export_spec", { ...ref, mode: "whole" });
        assert.equal(tooBig.isError, true, "never silently truncated");
        assert.match(tooBig.content[0]!.text!, /over maxBytes/);
        const whole = await ok("export_spec", { ...ref, mode: "whole", maxBytes: 20_000_000 });
        assert.ok(whole.structuredContent.content === GITHUB_SPEC, "the exported spec equals the imported bytes");
        assert.ok(whole.content[0]!.text!.endsWith(`\n${GITHUB_SPEC}`), "the text carries the spec whole, as it is");
        const op = (await ok("export_spec", { apiName: "github", mode: "operation", operationId: "repos/get" })).structuredContent;
        assert.equal(op.slice.path, "/repos/{owner}/{repo}");

        const [resource] = await c.readResource(whole.structuredContent.resourceUri);
        assert.equal(resource!.mimeType, "application/json");
        assert.ok(resource!.text === GITHUB_SPEC, "the spec resource holds the same bytes");
        assert.deepEqual(await c.complete("apicenter://apis/{apiName}", "apiName", "git"), ["github"]);
        assert.deepEqual(
          await c.complete("apicenter://apis/{apiName}/versions/{versionName}/definitions/{definitionName}", "versionName", "2022", { apiName: "github" }),
          ["2022-11-28"],
        );
        assert.ok((await c.listResources()).includes("apicenter://apis/github"));

        // A small API for the tools that read specs whole (lint, diff) and for the deletes.
        await ok("register_api", { apiName: "petstore", specContent: petstore("1.0.0", LIST_PETS), versionName: "v1-0", lifecycleStage: "production", customProperties: { "owner-team": "payments" } });
        await ok("create_version", { apiName: "petstore", versionName: "v2-0", lifecycleStage: "preview" });
        await ok("import_spec", { apiName: "petstore", versionName: "v2-0", specContent: petstore("2.0.0", {}) });
        const diff = await ok("diff_versions", { apiName: "petstore", fromVersion: "v1-0", toVersion: "v2-0" });
        assert.equal(diff.structuredContent.verdict, "breaking");
        const lint = await ok("lint_spec", { apiName: "petstore", versionName: "v1-0", minSeverity: "warning" });
        assert.ok(lint.structuredContent.total > 0);
        assert.ok((await ok("search_apis", { query: "pets" })).structuredContent.results.some((r: { name: string }) => r.name === "petstore"));
        const audit = await ok("audit_inventory", { rules: ["api-without-license"] });
        assert.deepEqual(audit.structuredContent.findings[0].entities.map((e: { api: string }) => e.api).sort(), ["github", "petstore"]);
        const environments = (await ok("list_environments", {})).structuredContent;
        assert.equal(environments.environments[0].name, "production");
        assert.equal(environments.apiSources, undefined, "no API source yet");
        assert.equal((await ok("list_deployments", {})).structuredContent.deployments.length, 1);
        assert.equal((await ok("list_metadata_schemas", {})).structuredContent.metadataSchemas[0].name, "owner-team");
        const services = (await ok("list_services", {})).structuredContent;
        assert.deepEqual(services.workspaces, ["default"]);
        assert.ok(services.services.some((s: { name: string }) => s.name === services.configured.split("/")[1]));

        // API Management: none here yet (test/e2e/apim.test.ts imports from one).
        const noApim = await call("import_from_apim", { apimService: "contoso-apim", dryRun: true });
        assert.equal(noApim.isError, true);
        assert.match(noApim.content[0]!.text!, /API Management service 'contoso-apim' was not found .*\(it has none\)/);

        const deleted = await ok("delete_resource", { kind: "version", apiName: "petstore", versionName: "v2-0", confirm: true });
        assert.equal(deleted.structuredContent.deleted, true);
        assert.equal((await ok("get_api", { apiName: "petstore" })).structuredContent.versions.length, 1);

        assert.deepEqual(ALL_TOOLS.map((t) => t.name).filter((n) => !called.has(n)), [], "the scenario calls every tool");
      } finally {
        await c.close();
      }
    });
  });
}
