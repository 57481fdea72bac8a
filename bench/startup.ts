/**
 * Cold start, side by side in one run: this server and the reference @modelcontextprotocol/server-everything, each
 * spawned the same way (`node <entry>`, MCP over stdio), timed from spawn to the answer to the first tools/list
 * (after initialize); and `--version` / `--help`, spawn to exit. Medians of several runs, interleaved.
 *   node dist/bench/startup.js      the section, written into BENCHMARKS.md (also part of npm run bench)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CLI } from "../test/helpers/cli-process.js";
import { writeSection } from "./markdown.js";
import { median } from "./timing.js";

const EVERYTHING = createRequire(import.meta.url).resolve("@modelcontextprotocol/server-everything/dist/index.js");

/** Spawn to the tools/list answer over stdio. */
function toFirstToolsList(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; tools: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "ignore"], env });
    let buffer = "";
    const send = (m: object) => child.stdin.write(`${JSON.stringify(m)}\n`);
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${args.join(" ")}: no tools/list answer within 30 s`));
    }, 30_000);
    child.on("error", reject);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const msg = JSON.parse(line) as { id?: number; result?: { tools?: unknown[] } };
        if (msg.id === 1) {
          send({ jsonrpc: "2.0", method: "notifications/initialized" });
          send({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });
        } else if (msg.id === 2) {
          const ms = performance.now() - started;
          clearTimeout(timer);
          child.kill();
          resolve({ ms, tools: msg.result?.tools?.length ?? 0 });
        }
      }
    });
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } });
  });
}

/** Spawn to exit. */
function toExit(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(" ")} exited ${code}`))));
  });
}

export async function startupSection(): Promise<string[]> {
  const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 9);
  const dir = mkdtempSync(join(tmpdir(), "apicenter-startup-"));
  // The embedded local API Center, whatever Azure settings the machine has.
  const env: NodeJS.ProcessEnv = { ...process.env, APICENTER_DB: join(dir, "start.db") };
  for (const name of ["AZURE_SUBSCRIPTION_ID", "APICENTER_RESOURCE_GROUP", "APICENTER_SERVICE"]) delete env[name];
  const ours: number[] = [];
  const reference: number[] = [];
  const version: number[] = [];
  const help: number[] = [];
  const bare: number[] = [];
  let tools = { ours: 0, reference: 0 };
  try {
    // One unmeasured round warms the file cache (and creates the database) for both servers alike.
    await toFirstToolsList([CLI], env);
    await toFirstToolsList([EVERYTHING, "stdio"]);
    for (let i = 0; i < runs; i++) {
      const a = await toFirstToolsList([CLI], env);
      const b = await toFirstToolsList([EVERYTHING, "stdio"]);
      ours.push(a.ms);
      reference.push(b.ms);
      tools = { ours: a.tools, reference: b.tools };
      version.push(await toExit([CLI, "--version"]));
      help.push(await toExit([CLI, "--help"]));
      bare.push(await toExit(["-e", ""]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
  return [
    "## Start-up",
    "",
    `Command: \`npm run bench\`, or this section alone: \`npm run build && node dist/bench/startup.js\` (BENCH_STARTUP_RUNS=${runs}). Both servers are spawned`,
    "the same way (`node <entry>`, MCP over stdio, this one on the embedded local API Center with a database that already exists); time runs from",
    `spawn to the answer to the first tools/list, after initialize. Medians of ${runs} runs, the two servers alternating, after one unmeasured round.`,
    "",
    "| | time | tools listed |",
    "|---|---|---|",
    `| apicenter-mcp: spawn to first tools/list | ${ms(ours)} | ${tools.ours} |`,
    `| @modelcontextprotocol/server-everything: spawn to first tools/list | ${ms(reference)} | ${tools.reference} |`,
    `| ratio | ${(median(ours) / median(reference)).toFixed(2)}x | |`,
    `| apicenter-mcp --version | ${ms(version)} | |`,
    `| apicenter-mcp --help | ${ms(help)} | |`,
    `| \`node -e ""\` (Node's own start, for scale) | ${ms(bare)} | |`,
    "",
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  startupSection().then(
    (lines) => {
      writeSection(lines);
      process.stdout.write(`${lines.join("\n")}\n`);
    },
    (e: Error) => {
      process.stderr.write(`${e.stack ?? e.message}\n`);
      process.exit(1);
    },
  );
}
