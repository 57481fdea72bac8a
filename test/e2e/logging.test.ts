/**
 * MCP logging with real clients of both eras: the server declares the capability; a 2025-era client
 * sets a level with logging/setLevel and hears the server's log lines at or above it (an unknown level
 * is refused with -32602); a 2026-era client asks per request and hears that request's lines only.
 * Secrets never appear in them.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Client as ModernClient, LOG_LEVEL_META_KEY } from "@modelcontextprotocol/client";
import { StdioClientTransport as ModernStdio } from "@modelcontextprotocol/client/stdio";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as LegacyStdio } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport as LegacyHttp } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { EmptyResultSchema, LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { CLI, spawnServer } from "./clients.js";

interface Line {
  level: string;
  logger?: string;
  data: unknown;
}

const settle = () => new Promise((r) => setTimeout(r, 100));

test("a 2025-era client sets a level and receives the server's log lines at or above it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-logging-"));
  const client = new LegacyClient({ name: "logging-legacy", version: "1.0.0" });
  const lines: Line[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => void lines.push(n.params));
  try {
    await client.connect(new LegacyStdio({ command: process.execPath, args: [CLI, "--db", join(dir, "a.db")], stderr: "ignore" }));
    assert.deepEqual(client.getServerCapabilities()?.logging, {}, "the logging capability is declared");

    assert.deepEqual(await client.setLoggingLevel("debug"), {});
    await client.callTool({ name: "list_apis", arguments: {} });
    await settle();
    const answered = lines.find((l) => String(l.data).startsWith("list_apis: answered in"));
    assert.ok(answered, `a debug line for the call: ${JSON.stringify(lines)}`);
    assert.equal(answered.level, "debug");
    assert.equal(answered.logger, "apicenter-mcp");

    lines.length = 0;
    await client.setLoggingLevel("warning");
    await client.callTool({ name: "list_apis", arguments: {} });
    await client.callTool({ name: "get_api", arguments: { apiName: "nowhere" } });
    await settle();
    assert.equal(lines.length, 0, "nothing below warning");

    await client.setLoggingLevel("info");
    await client.callTool({ name: "get_api", arguments: { apiName: "nowhere" } });
    await settle();
    assert.deepEqual(lines.map((l) => [l.level, /^get_api: refused in \d+ ms: .*'nowhere'/.test(String(l.data))]), [["info", true]]);

    await assert.rejects(client.request({ method: "logging/setLevel", params: { level: "banana" as never } }, EmptyResultSchema), (e: { code?: number }) => e.code === -32602);
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("over HTTP (stateless), a call's log lines reach its client at the server's level, and secrets stay out", async () => {
  const token = "s3cret-logging-token";
  const server = await spawnServer(["--http", "--port", "0"], { APICENTER_MCP_AUTH_TOKEN: token });
  const client = new LegacyClient({ name: "logging-http", version: "1.0.0" });
  const lines: Line[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => void lines.push(n.params));
  try {
    await client.connect(new LegacyHttp(new URL(server.url!), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    await client.callTool({ name: "get_api", arguments: { apiName: "nowhere" } });
    await settle();
    assert.ok(lines.some((l) => l.level === "info" && String(l.data).startsWith("get_api: refused")), JSON.stringify(lines));
    assert.ok(!lines.some((l) => l.level === "debug"), "below the server's level (info) until the client chooses");
    assert.ok(!JSON.stringify(lines).includes(token), "the token never reaches a log line");
    assert.ok(!server.stderr().includes(token));
  } finally {
    await client.close();
    server.child.kill();
  }
});

test("a 2026-era client asks per request and hears only that request's lines, at or above its level", async () => {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-logging-"));
  const client = new ModernClient({ name: "logging-modern", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  const lines: Line[] = [];
  client.setNotificationHandler("notifications/message", async (n) => void lines.push(n.params as Line));
  try {
    await client.connect(new ModernStdio({ command: process.execPath, args: [CLI, "--db", join(dir, "a.db")], stderr: "ignore" }));
    assert.equal(client.getProtocolEra(), "modern");
    await client.callTool({ name: "list_apis", arguments: {} });
    await settle();
    assert.equal(lines.length, 0, "no level asked, no lines");

    await client.callTool({ name: "list_apis", arguments: {}, _meta: { [LOG_LEVEL_META_KEY]: "debug" } });
    await settle();
    assert.ok(lines.some((l) => l.level === "debug" && String(l.data).startsWith("list_apis: answered in")), JSON.stringify(lines));

    lines.length = 0;
    await client.callTool({ name: "get_api", arguments: { apiName: "nowhere" }, _meta: { [LOG_LEVEL_META_KEY]: "error" } });
    await settle();
    assert.equal(lines.length, 0, "nothing below error");
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
