/**
 * Every entry of mcp.json.example, started as a client would start it: a stdio entry's command and
 * arguments (`npx -y apicenter-mcp ...`) spawned by the SDK's client with the entry's environment; an
 * HTTP entry's server started first as the README says, then reached at the entry's URL with the
 * entry's Authorization header. The package is installed into a scratch project the way npm lays it
 * out (node_modules/apicenter-mcp and its bin), so npx finds it without the network.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { MCP_HTTP_READY, announcedUrl, type CliProcess } from "../helpers/cli-process.js";
import { PROJECT_ROOT } from "../helpers/shared.js";

type Entry = { type?: string; command?: string; args?: string[]; env?: Record<string, string>; url?: string; headers?: Record<string, string> };
const example = JSON.parse(readFileSync(join(PROJECT_ROOT, "mcp.json.example"), "utf8")) as Record<string, { servers?: Record<string, Entry>; mcpServers?: Record<string, Entry> }>;
const TOKEN = "example-token-0123456789";

/** What a launch depends on; entries that agree on it (the same server for several clients) are started once. */
const launchKey = (e: Entry) =>
  JSON.stringify(e.command ? [e.command, e.args, e.env] : [e.url, e.headers?.Authorization?.replace("${input:apicenter-token}", TOKEN).replace("<token>", TOKEN)]);
const launches = new Map<string, { entry: Entry; names: string[] }>();
for (const [client, section] of Object.entries(example)) {
  if (client === "//") continue;
  for (const [name, entry] of Object.entries(section.servers ?? section.mcpServers ?? {})) {
    const key = launchKey(entry);
    const launch = launches.get(key) ?? { entry, names: [] };
    launch.names.push(`${client}/${name}`);
    launches.set(key, launch);
  }
}

const WRITE_TOOL = "register_api";
const skip = process.platform === "win32" ? "the scratch install uses symbolic links" : false;

const project = mkdtempSync(join(tmpdir(), "apicenter-mcp-json-"));
after(() => rmSync(project, { recursive: true, force: true }));

function install(): void {
  const bin = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")).bin["apicenter-mcp"] as string;
  mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
  symlinkSync(PROJECT_ROOT, join(project, "node_modules", "apicenter-mcp"), "dir");
  symlinkSync(join("..", "apicenter-mcp", bin), join(project, "node_modules", ".bin", "apicenter-mcp"));
  // npm makes a bin executable when it links it.
  chmodSync(join(PROJECT_ROOT, bin), 0o755);
}

/** The environment a client gives the server: its own, the entry's, a scratch database, and no network for npx. */
const envFor = (entry: Entry, name: string) =>
  ({ ...process.env, ...entry.env, APICENTER_DB: join(project, `${name}.db`), npm_config_offline: "true", npm_config_update_notifier: "false" }) as Record<string, string>;

async function listTools(client: Client, errors: Error[]): Promise<string[]> {
  const names = (await client.listTools()).tools.map((t) => t.name);
  assert.deepEqual(errors, [], "nothing but protocol messages on the channel");
  return names;
}

describe("mcp.json.example, entry by entry, with the SDK's client", { skip }, () => {
  install();
  let n = 0;
  for (const { entry, names } of launches.values()) {
    const label = `launch${++n}`;
    test(names.join(", "), async () => {
      const errors: Error[] = [];
      const client = new Client({ name: "mcp-json-example", version: "1.0.0" });
      client.onerror = (e) => void errors.push(e);

      if (entry.command) {
        assert.equal(entry.url, undefined);
        await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args ?? [], env: envFor(entry, label), cwd: project, stderr: "ignore" }));
        try {
          const tools = await listTools(client, errors);
          assert.ok(tools.includes("list_apis"));
          assert.equal(tools.includes(WRITE_TOOL), !(entry.args ?? []).includes("--read-only"), "--read-only reaches the server");
        } finally {
          await client.close();
        }
        return;
      }

      // An HTTP entry: start the server first, as the README says, on a free port.
      assert.ok(entry.url && entry.headers?.Authorization, "an HTTP entry has a URL and an Authorization header");
      const child = spawn("npx", ["-y", "apicenter-mcp", "--http", "--auth-token", TOKEN, "--port", "0"], { cwd: project, env: envFor({}, label), detached: true, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
      const proc: CliProcess = { child, stderr: () => err };
      try {
        const announced = new URL(await announcedUrl(proc, MCP_HTTP_READY));
        const url = new URL(entry.url);
        assert.equal(url.pathname, announced.pathname);
        url.port = announced.port;
        const headers = { Authorization: entry.headers.Authorization.replace("${input:apicenter-token}", TOKEN).replace("<token>", TOKEN) };
        assert.notEqual(headers.Authorization, entry.headers.Authorization, "the entry's token placeholder is one a user fills in");
        const refused = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
        assert.equal(refused.status, 401, "without the header the server refuses");
        await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
        try {
          assert.ok((await listTools(client, errors)).includes(WRITE_TOOL));
        } finally {
          await client.close();
        }
      } finally {
        // npx does not pass signals on to the server it started: end the whole group.
        process.kill(-child.pid!, "SIGTERM");
      }
    });
  }
});
