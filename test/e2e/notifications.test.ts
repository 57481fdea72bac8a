/** 2026-07-28 clients get change notifications on the subscriptions/listen stream they open, over stdio and HTTP. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { CLI, spawnServer } from "./clients.js";

for (const transport of ["stdio", "http"] as const) {
  test(`a write reaches a modern client's listen stream as resources/list_changed (${transport})`, async () => {
    const client = new Client({ name: "listener", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    let changed = 0;
    client.setNotificationHandler("notifications/resources/list_changed", async () => void (changed += 1));
    const dir = mkdtempSync(join(tmpdir(), "apicenter-listen-"));
    const server = transport === "http" ? await spawnServer(["--http", "--port", "0"]) : undefined;
    try {
      await client.connect(
        server
          ? new StreamableHTTPClientTransport(new URL(server.url!))
          : new StdioClientTransport({ command: process.execPath, args: [CLI, "--db", join(dir, "apicenter.db")], stderr: "ignore" }),
      );
      assert.equal(client.getProtocolEra(), "modern");
      const subscription = await client.listen({ resourcesListChanged: true });
      assert.deepEqual(subscription.honoredFilter, { resourcesListChanged: true });
      const r = await client.callTool({ name: "create_environment", arguments: { environmentName: "staging", kind: "staging" } });
      assert.ok(!r.isError);
      for (let i = 0; i < 50 && changed === 0; i++) await new Promise((res) => setTimeout(res, 20));
      assert.ok(changed >= 1, "the listen stream carried resources/list_changed");
      await subscription.close();
    } finally {
      await client.close();
      server?.child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
