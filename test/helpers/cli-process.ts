/**
 * The built CLI in a child process, for protocol tests and benchmarks: launched with its stderr
 * collected, and (for the HTTP server and the standalone emulator) awaited until its start-up line
 * announces the URL it listens on.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "./shared.js";

export const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");

/** What the start-up lines say, with the URL captured. */
export const MCP_HTTP_READY = /serving MCP over (http:\/\/\S+\/mcp)/;
export const EMULATOR_READY = /listening on (http:\/\/\S+?) /;

export interface CliProcess {
  child: ChildProcess;
  stderr(): string;
}

export function launchCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  return { child, stderr: () => err };
}

/** The URL the process announces on stderr; rejects if it exits or stays silent first. */
export function announcedUrl(proc: CliProcess, ready: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line after ${timeoutMs} ms: ${proc.stderr()}`)), timeoutMs);
    const check = () => {
      const m = ready.exec(proc.stderr());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.child.stderr!.on("data", check);
    check();
    proc.child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before starting: ${proc.stderr()}`));
    });
  });
}

/** Launches the CLI and waits until it listens; `url` is what it announced. */
export async function spawnListening(args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<CliProcess & { url: string }> {
  const proc = launchCli(args, env);
  return { ...proc, url: await announcedUrl(proc, ready) };
}

/** Stops the process and lets go of its pipes (an unread stdout would keep this process alive after the child is gone). */
export async function stopCli(proc: CliProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  const { child } = proc;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await exited;
  }
  for (const s of [child.stdin, child.stdout, child.stderr]) s?.destroy();
}
