/**
 * A bare MCP client over the built CLI's stdio: newline-delimited JSON-RPC frames, nothing else. For
 * tests and benchmarks that kill the server mid-call (an SDK client would treat that as its own
 * failure) or that count frames and bytes themselves.
 */
import { launchCli, type CliProcess } from "./cli-process.js";

export interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
}

export class StdioRpc {
  private next = 1;
  private buffer = "";
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly exited: Promise<number | null>;

  constructor(readonly proc: CliProcess) {
    proc.child.stdout!.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString("utf8");
      let nl: number;
      while ((nl = this.buffer.indexOf("\n")) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        if (line.trim()) this.receive(JSON.parse(line) as { id?: number; result?: unknown; error?: { message: string } });
      }
    });
    this.exited = new Promise((resolve) =>
      // "close", not "exit": by then stdout and stderr have been read to their end.
      proc.child.once("close", (code) => {
        for (const p of this.pending.values()) p.reject(new Error(`the server exited (${code ?? "killed"})`));
        this.pending.clear();
        resolve(code);
      }),
    );
    // A killed server's stdin may break under a write in flight: the pending call's rejection says it.
    proc.child.stdin!.on("error", () => {});
  }

  /** Launches the CLI with `args` and initializes an MCP session over its stdio. */
  static async start(args: string[], env: Record<string, string> = {}): Promise<StdioRpc> {
    const rpc = new StdioRpc(launchCli(args, env));
    await rpc.request("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "stdio-rpc", version: "1" } });
    rpc.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    return rpc;
  }

  private receive(msg: { id?: number; result?: unknown; error?: { message: string } }): void {
    if (msg.id === undefined) return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve(msg.result);
  }

  private send(frame: unknown): void {
    this.proc.child.stdin!.write(`${JSON.stringify(frame)}\n`);
  }

  request(method: string, params: Record<string, unknown>): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  callTool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    return this.request("tools/call", { name, arguments: args }) as Promise<ToolResult>;
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): Promise<number | null> {
    this.proc.child.kill(signal);
    return this.exited;
  }

  /** Ends the session the way an MCP host does: stdin closes, then SIGTERM if it lingers. */
  async close(): Promise<void> {
    this.proc.child.stdin!.end();
    const timer = setTimeout(() => this.proc.child.kill("SIGTERM"), 2000);
    await this.exited;
    clearTimeout(timer);
  }
}
