/**
 * The built CLI over stdio read frame by frame, for raw-frame tests and the hostile-input benchmark,
 * and a generator of raw frames: text, JSON, JSON-RPC-shaped requests with an id (to be answered),
 * tool calls with arbitrary arguments.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { launchCli, type CliProcess } from "./cli-process.js";

export interface Answer {
  jsonrpc?: string;
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
  method?: string;
}

/** The CLI over stdio, read line by line. */
export class RawStdio {
  readonly answers: Answer[] = [];
  private buffer = "";
  private waiters: Array<() => void> = [];
  private readonly dir = mkdtempSync(join(tmpdir(), "apicenter-frames-"));
  readonly proc: CliProcess;

  constructor() {
    this.proc = launchCli(["--db", join(this.dir, "apicenter.db")]);
    this.proc.child.stdout!.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString("utf8");
      let nl: number;
      while ((nl = this.buffer.indexOf("\n")) !== -1) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.answers.push(JSON.parse(line) as Answer);
        for (const w of this.waiters.splice(0)) w();
      }
    });
  }

  send(line: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.proc.child.stdin!.write(typeof line === "string" ? `${line}\n` : Buffer.concat([line, Buffer.from("\n")]), (e) => (e ? reject(e) : resolve())));
  }

  /** The answer to `id`, waited for. */
  async answerTo(id: unknown, timeoutMs = 60_000): Promise<Answer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.answers.find((a) => a.id === id && ("result" in a || "error" in a));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no answer to id ${JSON.stringify(id)}; stderr: ${this.proc.stderr().slice(-2000)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  async initialize(): Promise<void> {
    await this.send(JSON.stringify({ jsonrpc: "2.0", id: "init", method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }));
    if (!(await this.answerTo("init")).result) throw new Error("initialize was refused");
    await this.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  }

  async close(): Promise<number | null> {
    const exited = new Promise<number | null>((r) => this.proc.child.once("exit", r));
    this.proc.child.stdin!.end();
    const code = await exited;
    rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}

/** Raw frames; `id` is set on those that are requests, which must each get an answer. */
export function rawFrames(): fc.Arbitrary<{ line: string; id: unknown }> {
  const METHODS = ["ping", "tools/list", "tools/call", "resources/read", "resources/list", "prompts/get", "completion/complete", "logging/setLevel", "no/such", "notifications/x"];
  let next = 0;
  return fc.oneof(
    fc.string({ maxLength: 200 }).map((t) => ({ line: t.replace(/[\r\n]/g, " "), id: undefined as unknown })),
    fc.jsonValue({ maxDepth: 3 }).filter((v) => !(v && typeof v === "object" && !Array.isArray(v) && "id" in v)).map((v) => ({ line: JSON.stringify(v) ?? "null", id: undefined as unknown })),
    fc.record({
      jsonrpc: fc.oneof({ arbitrary: fc.constant("2.0"), weight: 6 }, fc.constantFrom("1.0", 2)),
      method: fc.oneof({ arbitrary: fc.constantFrom(...METHODS), weight: 6 }, fc.integer()),
      params: fc.oneof({ arbitrary: fc.dictionary(fc.constantFrom("name", "uri", "cursor", "arguments", "level", "ref", "argument", "x"), fc.jsonValue({ maxDepth: 2 })), weight: 6 }, fc.jsonValue({ maxDepth: 2 })),
      stringId: fc.boolean(),
    }).map(({ stringId, ...r }) => {
      const id = stringId ? `f-${next++}` : next++;
      return { line: JSON.stringify({ ...r, id }), id };
    }),
    fc.record({ name: fc.constantFrom("list_apis", "get_api", "register_api", "export_spec", "search_apis"), arguments: fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })) }).map((params) => {
      const id = next++;
      return { line: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params }), id };
    }),
  );
}
