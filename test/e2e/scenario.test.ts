/**
 * The end-to-end scenario, with real clients of both protocol eras over stdio and HTTP against the
 * built CLI: define_metadata -> register_api -> create_version -> import_spec (GitHub's ~13 MB
 * OpenAPI) -> create_environment -> create_deployment -> list_apis / get_api / export_spec, and the
 * exported spec equals the imported bytes.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { MATRIX, startClient, type ToolAnswer } from "./clients.js";

const require = createRequire(import.meta.url);
const GITHUB_SPEC = readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8");

for (const { era, transport } of MATRIX) {
  describe(`${era}-era client over ${transport}: the inventory end to end`, () => {
    test("define, register, version, import, environment, deployment, then read it all back", async () => {
      const c = await startClient({ era, transport });
      try {
        const ok = (r: ToolAnswer) => {
          assert.ok(!r.isError, r.content[0]?.text);
          return r;
        };
        ok(await c.callTool("define_metadata", {
          metadataSchemaName: "owner-team",
          schema: { type: "string", enum: ["platform", "payments"] },
          assignedTo: [{ entity: "api", required: true }],
        }));
        const missing = await c.callTool("register_api", { apiName: "github", title: "GitHub REST API", kind: "rest" });
        assert.equal(missing.isError, true, "the required custom property is enforced");
        assert.match(missing.content[0]!.text!, /owner-team is required/);

        const reg = ok(await c.callTool("register_api", {
          apiName: "github",
          title: "GitHub REST API",
          kind: "rest",
          summary: "Repositories, issues and pull requests",
          contacts: [{ name: "Platform team", email: "platform@example.com" }],
          customProperties: { "owner-team": "platform" },
        }));
        assert.equal(reg.structuredContent.apiName, "github");
        ok(await c.callTool("create_version", { apiName: "github", versionName: "2022-11-28", lifecycleStage: "production" }));

        const imported = ok(await c.callTool("import_spec", { apiName: "github", versionName: "2022-11-28", content: GITHUB_SPEC }));
        assert.equal(imported.structuredContent.definitionName, "openapi");
        assert.equal(imported.structuredContent.createdDefinition, true);
        assert.equal(imported.structuredContent.specification.name, "openapi");
        assert.match(imported.structuredContent.specification.version, /^3\./);

        ok(await c.callTool("create_environment", { environmentName: "production", kind: "production", serverType: "Azure API Management" }));
        ok(await c.callTool("create_deployment", {
          apiName: "github",
          deploymentName: "github-prod",
          environmentName: "production",
          versionName: "2022-11-28",
          definitionName: "openapi",
          runtimeUris: ["https://api.github.com"],
        }));

        const inProd = ok(await c.callTool("list_apis", { environmentName: "production", customProperties: { "owner-team": "platform" } }));
        assert.deepEqual(inProd.structuredContent.apis.map((a: { name: string }) => a.name), ["github"]);
        assert.equal(inProd.structuredContent.apis[0].lifecycleStage, "production");
        assert.equal(inProd.structuredContent.apis[0].hasDefinition, true);
        const none = ok(await c.callTool("list_apis", { lifecycleStage: "retired" }));
        assert.equal(none.structuredContent.total, 0);

        const api = ok(await c.callTool("get_api", { apiName: "github" })).structuredContent;
        assert.equal(api.versions[0].definitions[0].specification.name, "openapi");
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

        const ref = { apiName: "github", versionName: "2022-11-28", definitionName: "openapi" };
        const summary = ok(await c.callTool("export_spec", ref)).structuredContent;
        assert.ok(summary.summary.operationCount > 500, `${summary.summary.operationCount} operations`);
        assert.equal(summary.summary.operations.length, 100);
        assert.equal(summary.bytes, Buffer.byteLength(GITHUB_SPEC));
        const tooBig = await c.callTool("export_spec", { ...ref, mode: "whole" });
        assert.equal(tooBig.isError, true, "never silently truncated");
        assert.match(tooBig.content[0]!.text!, /over maxBytes/);
        const whole = ok(await c.callTool("export_spec", { ...ref, mode: "whole", maxBytes: 20_000_000 }));
        assert.ok(whole.structuredContent.content === GITHUB_SPEC, "the exported spec equals the imported bytes");
        const op = ok(await c.callTool("export_spec", { ...ref, mode: "operation", operationId: "repos/get" })).structuredContent;
        assert.equal(op.slice.path, "/repos/{owner}/{repo}");

        const [resource] = await c.readResource(summary.resourceUri);
        assert.equal(resource!.mimeType, "application/json");
        assert.ok(resource!.text === GITHUB_SPEC, "the spec resource holds the same bytes");
        assert.deepEqual(await c.complete("apicenter://apis/{apiName}", "apiName", "git"), ["github"]);
        assert.deepEqual(
          await c.complete("apicenter://apis/{apiName}/versions/{versionName}/definitions/{definitionName}", "versionName", "2022", { apiName: "github" }),
          ["2022-11-28"],
        );
        assert.ok((await c.listResources()).includes("apicenter://apis/github"));
      } finally {
        await c.close();
      }
    });
  });
}
