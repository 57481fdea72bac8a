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
      assert.deepEqual(found.structuredContent.results[0].latestVersion, { name: "1-0-0", definitions: [{ name: "openapi", specification: "openapi 3.0.3" }] }, "the row names what the next call needs");
      assert.equal(found.structuredContent.freshness.apis, 2);

      const audit = await ok("audit_inventory", { minSeverity: "warning" });
      const noContacts = audit.structuredContent.findings.find((f: { rule: string }) => f.rule === "api-without-contacts");
      assert.deepEqual(noContacts.entities, [{ api: "billing" }, { api: "orders" }], "one group per rule: its sentence once, then the entities");
      assert.equal(noContacts.count, 2);
      assert.equal(audit.content[0]!.text!.split("Nobody to ask").length, 2, "the rule's sentence is said once");

      const analysis = await ok("analyze_spec", { apiName: "billing" });
      assert.equal(analysis.structuredContent.summary.operationCount, 1);
      assert.equal(analysis.structuredContent.operations[0].path, "/refunds", "search, then analyze: two calls answer 'what does it offer'");

      const lint = await ok("lint_spec", { apiName: "billing", minSeverity: "warning" });
      assert.equal(lint.structuredContent.ruleset, "spectral:oas");
      assert.ok(lint.structuredContent.bySeverity.warning > 0);

      await ok("create_version", { apiName: "billing", versionName: "2-0-0", lifecycleStage: "preview" });
      await ok("import_spec", { apiName: "billing", versionName: "2-0-0", specContent: spec("Billing", {}) });
      const diff = await ok("diff_versions", { apiName: "billing", fromVersion: "1-0-0", toVersion: "2-0-0" });
      assert.equal(diff.structuredContent.verdict, "breaking");
      assert.equal(diff.structuredContent.changes[0].code, "operation-removed");
      const ambiguous = await c.callTool("analyze_spec", { apiName: "billing", versionName: "2-0-0" });
      assert.ok(!ambiguous.isError, "one definition: no question to ask");
      await ok("import_spec", { apiName: "billing", versionName: "2-0-0", definitionName: "other", specContent: spec("Billing", {}) });
      const asked = await c.callTool("export_spec", { apiName: "billing", versionName: "2-0-0", mode: "whole" });
      assert.equal(asked.isError, true);
      assert.match(asked.content[0]!.text!, /version '2-0-0' of billing has 2 definitions: give definitionName, one of openapi \(openapi 3\.0\.3\), other \(openapi 3\.0\.3\)/);
    } finally {
      await c.close();
    }
  });
}
