/**
 * Real MCP clients against the built CLI: the SDK v2 client (2026-07-28, negotiated) and the
 * 2025-11-25-era client of @modelcontextprotocol/sdk 1.x, each over stdio and over Streamable HTTP.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHttp } from "@modelcontextprotocol/client";
import { StdioClientTransport as ModernStdio } from "@modelcontextprotocol/client/stdio";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as LegacyStdio } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport as LegacyHttp } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { CLI, MCP_HTTP_READY, announcedUrl, launchCli, type CliProcess } from "../helpers/cli-process.js";

export { CLI };

export type Era = "modern" | "legacy";
export type Transport = "stdio" | "http";

/** What the tests need of a client, the same for both SDKs. */
export interface TestClient {
  era: Era;
  transport: Transport;
  callTool(name: string, args: Record<string, unknown>, opts?: { onprogress?: (p: { progress: number; message?: string }) => void }): Promise<ToolAnswer>;
  listTools(): Promise<Array<{ name: string; inputSchema: unknown; outputSchema?: unknown; annotations?: Record<string, unknown>; title?: string; description?: string }>>;
  readResource(uri: string): Promise<Array<{ uri: string; mimeType?: string; text?: string }>>;
  listResources(): Promise<string[]>;
  complete(template: string, argument: string, value: string, context?: Record<string, string>): Promise<string[]>;
  listPrompts(): Promise<string[]>;
  getPrompt(name: string, args: Record<string, string>): Promise<string>;
  /** Notifications seen, by method. */
  notifications: string[];
  close(): Promise<void>;
}

export interface ToolAnswer {
  isError?: boolean;
  content: Array<{ type: string; text?: string; uri?: string }>;
  structuredContent?: any;
}

export interface StartOptions {
  era: Era;
  transport: Transport;
  args?: string[];
  env?: Record<string, string>;
  /** Answer elicitation requests (a client without it declares no elicitation capability). */
  elicit?: (message: string) => { action: "accept" | "decline" | "cancel"; content?: Record<string, string | number | boolean | string[]> };
}

/** Spawns the CLI with a fresh database; for HTTP, waits for the /mcp URL it announces. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<CliProcess & { url?: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-e2e-"));
  const proc = launchCli(["--db", join(dir, "apicenter.db"), ...args], env);
  if (!args.includes("--http")) return { ...proc, dir };
  return { ...proc, dir, url: await announcedUrl(proc, MCP_HTTP_READY) };
}

export async function startClient(opts: StartOptions): Promise<TestClient> {
  const notifications: string[] = [];
  const capabilities = opts.elicit ? { elicitation: { form: {} } } : {};
  let cleanup: () => Promise<void> = async () => {};
  let dir: string;

  if (opts.era === "modern") {
    const client = new ModernClient({ name: "e2e-modern", version: "1.0.0" }, { capabilities, versionNegotiation: { mode: "auto" } });
    if (opts.elicit) {
      const answer = opts.elicit;
      client.setRequestHandler("elicitation/create", async (req) => answer(req.params.message));
    }
    client.fallbackNotificationHandler = async (n) => void notifications.push(n.method);
    if (opts.transport === "stdio") {
      dir = mkdtempSync(join(tmpdir(), "apicenter-e2e-"));
      await client.connect(
        new ModernStdio({ command: process.execPath, args: [CLI, "--db", join(dir, "apicenter.db"), ...(opts.args ?? [])], env: { ...process.env, ...opts.env } as Record<string, string>, stderr: "ignore", maxBufferSize: 64 * 1024 * 1024 }),
      );
    } else {
      const server = await spawnServer(["--http", "--port", "0", ...(opts.args ?? [])], opts.env);
      dir = server.dir;
      cleanup = async () => void server.child.kill();
      await client.connect(new ModernHttp(new URL(server.url!)));
    }
    if (client.getProtocolEra() !== "modern") throw new Error(`expected the modern era, got ${client.getProtocolEra()}`);
    return wrap(opts, client as never, notifications, async () => {
      await client.close();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });
  }

  const client = new LegacyClient({ name: "e2e-legacy", version: "1.0.0" }, { capabilities });
  if (opts.elicit) {
    const answer = opts.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (req) => answer(req.params.message));
  }
  client.fallbackNotificationHandler = async (n) => void notifications.push(n.method);
  if (opts.transport === "stdio") {
    dir = mkdtempSync(join(tmpdir(), "apicenter-e2e-"));
    await client.connect(
      new LegacyStdio({ command: process.execPath, args: [CLI, "--db", join(dir, "apicenter.db"), ...(opts.args ?? [])], env: { ...process.env, ...opts.env } as Record<string, string>, stderr: "ignore", maxBufferSize: 64 * 1024 * 1024 } as never),
    );
  } else {
    const server = await spawnServer(["--http", "--port", "0", ...(opts.args ?? [])], opts.env);
    dir = server.dir;
    cleanup = async () => void server.child.kill();
    await client.connect(new LegacyHttp(new URL(server.url!)));
  }
  return wrap(opts, client as never, notifications, async () => {
    await client.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
}

/**
 * Proves that an answer's text carries all of its structuredContent (several clients hand the model
 * only the text): every member appears as `"key":value` and every array element as its JSON, except
 * the one string the text carries as it is (a whole spec), which must appear verbatim.
 */
export function assertTextCarriesStructured(tool: string, answer: ToolAnswer): void {
  if (answer.isError || answer.structuredContent === undefined) return;
  const text = answer.content.filter((c) => c.type === "text").map((c) => c.text ?? "").join("\n");
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (v === null || typeof v !== "object") assert.ok(text.includes(JSON.stringify(v)), `${tool}: ${where}[${i}] = ${JSON.stringify(v)} is not in the text`);
        walk(v, `${where}[${i}]`);
      });
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (v === null || typeof v !== "object") {
          const member = `${JSON.stringify(k)}:${JSON.stringify(v)}`;
          const verbatim = typeof v === "string" && v.length > 0 && text.includes(`\n${v}`);
          assert.ok(text.includes(member) || verbatim, `${tool}: ${where}.${k} = ${JSON.stringify(v).slice(0, 80)} is not in the text`);
        }
        walk(v, `${where}.${k}`);
      }
    }
  };
  walk(answer.structuredContent, "structuredContent");
}

interface AnySdkClient {
  callTool(params: { name: string; arguments: Record<string, unknown> }, schema?: unknown, opts?: Record<string, unknown>): Promise<ToolAnswer>;
  listTools(): Promise<{ tools: any[] }>;
  readResource(params: { uri: string }): Promise<{ contents: any[] }>;
  listResources(): Promise<{ resources: Array<{ uri: string }> }>;
  complete(params: unknown): Promise<{ completion: { values: string[] } }>;
  listPrompts(): Promise<{ prompts: Array<{ name: string }> }>;
  getPrompt(params: { name: string; arguments: Record<string, string> }): Promise<{ messages: Array<{ content: { text?: string } }> }>;
}

function wrap(opts: StartOptions, client: AnySdkClient, notifications: string[], close: () => Promise<void>): TestClient {
  const timeout = { timeout: 120_000 };
  return {
    era: opts.era,
    transport: opts.transport,
    notifications,
    async callTool(name, args, o = {}) {
      const options = { ...timeout, ...(o.onprogress ? { onprogress: o.onprogress, resetTimeoutOnProgress: true } : {}) };
      const answer: ToolAnswer = await (opts.era === "modern" ? (client.callTool as any)({ name, arguments: args }, options) : client.callTool({ name, arguments: args }, undefined, options));
      // Every answer in every end-to-end test carries its structured result in its text too.
      assertTextCarriesStructured(name, answer);
      return answer;
    },
    async listTools() {
      return (await client.listTools()).tools;
    },
    async readResource(uri) {
      return (await client.readResource({ uri })).contents;
    },
    async listResources() {
      return (await client.listResources()).resources.map((r) => r.uri);
    },
    async complete(template, argument, value, context) {
      const res = await client.complete({ ref: { type: "ref/resource", uri: template }, argument: { name: argument, value }, ...(context ? { context: { arguments: context } } : {}) });
      return res.completion.values;
    },
    async listPrompts() {
      return (await client.listPrompts()).prompts.map((p) => p.name);
    },
    async getPrompt(name, args) {
      return (await client.getPrompt({ name, arguments: args })).messages.map((m) => m.content.text ?? "").join("\n");
    },
    close,
  };
}

export const MATRIX: Array<{ era: Era; transport: Transport }> = [
  { era: "modern", transport: "stdio" },
  { era: "modern", transport: "http" },
  { era: "legacy", transport: "stdio" },
  { era: "legacy", transport: "http" },
];
