/** The intelligence tools through real MCP clients of both eras. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startClient } from "./clients.js";

const spec = (title: string, paths: Record<string, unknown>) => JSON.stringify({ openapi: "3.0.3", info: { title, version: "1.0.0" }, paths });

for (const [era, transport] of [["legacy", "stdio"], ["modern", "http"]] as const) {
  test(`search, audit, analyze, lint and diff through an MCP client (${era} era, ${transport})`, async () => {
    const c = await startClient({ era, transport });
    try {
      const ok = async (name: string, args: Record<string, unknown>) => {
        const r = await c.callTool(name, args);
        assert.ok(!r.isError, `${name}: ${r.content[0]?.text}`);
        return r;
      };
      await ok("register_api", { apiName: "billing", specContent: spec("Billing", { "/refunds": { post: { operationId: "createRefund", responses: { "201": { description: "ok" } } } } }) });
      await ok("register_api", { apiName: "orders", specContent: spec("Orders", { "/orders": { get: { operationId: "listOrders", responses: { "200": { description: "ok" } } } } }) });

      const found = await ok("search_apis", { query: "issue a refund" });
      assert.equal(found.structuredContent.results[0].name, "billing");
      assert.match(found.content[0]!.text!, /index of 2 APIs/);

      const audit = await ok("audit_inventory", { minSeverity: "warning" });
      assert.ok(audit.structuredContent.findings.some((f: { rule: string }) => f.rule === "api-without-contacts"));
      assert.ok(audit.structuredContent.counts.length > 0);

      const analysis = await ok("analyze_spec", { apiName: "billing", versionName: "1-0-0", definitionName: "openapi" });
      assert.equal(analysis.structuredContent.summary.operationCount, 1);

      const lint = await ok("lint_spec", { apiName: "billing", versionName: "1-0-0", definitionName: "openapi", severity: "warning" });
      assert.equal(lint.structuredContent.ruleset, "spectral:oas");
      assert.ok(lint.structuredContent.bySeverity.warning > 0);

      await ok("create_version", { apiName: "billing", versionName: "2-0-0", lifecycleStage: "preview" });
      await ok("import_spec", { apiName: "billing", versionName: "2-0-0", content: spec("Billing", {}) });
      const diff = await ok("diff_versions", { apiName: "billing", fromVersion: "1-0-0", toVersion: "2-0-0" });
      assert.equal(diff.structuredContent.verdict, "breaking");
      assert.equal(diff.structuredContent.changes[0].code, "operation-removed");
    } finally {
      await c.close();
    }
  });
}
