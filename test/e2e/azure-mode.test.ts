/**
 * Azure mode against any ARM-compatible endpoint: the MCP server configured with a subscription,
 * resource group, service and --arm-endpoint pointing at a standalone local API Center
 * (`apicenter-mcp emulator`) in another process, over plain HTTP on loopback.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { EMULATOR_READY, spawnListening } from "../helpers/cli-process.js";
import { startClient } from "./clients.js";

test("the server drives a standalone local API Center through --arm-endpoint, as it would Azure", async () => {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-azure-mode-"));
  const emulator = await spawnListening(["emulator", "--port", "0", "--db", join(dir, "remote.db")], EMULATOR_READY);
  const url = emulator.url;
  try {
    const c = await startClient({
      era: "legacy",
      transport: "stdio",
      env: { AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000000", APICENTER_RESOURCE_GROUP: "local", APICENTER_SERVICE: "local", APICENTER_ARM_ENDPOINT: url },
    });
    try {
      const reg = await c.callTool("register_api", { apiName: "remote-api", title: "Remote", kind: "rest" });
      assert.ok(!reg.isError, reg.content[0]?.text);
      const services = await c.callTool("list_services", {});
      assert.deepEqual(services.structuredContent.services.map((s: { name: string }) => s.name), ["local"]);
      const missing = await c.callTool("list_apis", { service: "local/elsewhere" });
      assert.equal(missing.isError, true);
      assert.match(missing.content[0]!.text!, /API Center service 'elsewhere' was not found|was not found/);
    } finally {
      await c.close();
    }
    // The write landed in the other process's database.
    const check = await fetch(`${url}/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.ApiCenter/services/local/workspaces/default/apis/remote-api?api-version=2024-03-01`, {
      headers: { authorization: "Bearer any" },
    });
    assert.equal(check.status, 200);
  } finally {
    emulator.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
