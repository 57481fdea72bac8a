/**
 * The adapter behind the domain's SpecLinter port: Spectral's rulesets (the standard OpenAPI and AsyncAPI ones, or a
 * custom JSON/YAML ruleset extending them with Spectral's core functions), run by lint.ts in a bounded pool of worker
 * threads. A lint never stalls the server's other clients, never runs twice for the same spec at once, waits in a
 * bounded queue, stops at a deadline, and stops at a memory cap; each of those ends with an error that says so.
 * References are resolved inside the document only: a spec never makes the server fetch anything.
 */
import { createHash } from "node:crypto";
import type { Piscina } from "piscina";
import { DomainError } from "../domain/errors.js";
import type { LintResult, SpecLinter } from "../domain/specs/linter.js";
import type { Family, LintJob } from "./ruleset.js";

export interface LintLimits {
  /** Lints running at once, each in its own worker thread. */
  threads: number;
  /** Lints that may wait for a thread; one more is refused. */
  queue: number;
  /** How long a lint may take, waiting included, in milliseconds. */
  deadlineMs: number;
  /** A lint worker's heap limit, in MB. */
  memoryMb: number;
  /** How long an idle worker is kept for the next lint, in milliseconds. */
  idleMs: number;
}

export const DEFAULT_LIMITS: LintLimits = { threads: 1, queue: 8, deadlineMs: 120_000, memoryMb: 1024, idleMs: 30_000 };

export class SpectralLinter implements SpecLinter {
  private readonly limits: LintLimits;
  private readonly custom?: { text: string; source: string };
  private pool?: Piscina;
  private readonly inFlight = new Map<string, Promise<LintResult[]>>();
  private readonly cache = new Map<string, LintResult[]>();
  private started = 0;
  /** How to fail the runs in flight when the pool itself fails (a worker that cannot even start). */
  private readonly failRuns = new Set<(e: Error) => void>();

  constructor(custom?: { text: string; source: string }, limits: Partial<LintLimits> = {}) {
    if (custom) this.custom = custom;
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /**
   * Checks a custom ruleset as Spectral would, so that a bad one is refused at start-up rather than on the first
   * lint. Spectral is loaded for it here; without a custom ruleset it waits for the first lint (in its worker).
   */
  static async check(custom: { text: string; source: string }): Promise<void> {
    const { checkRuleset } = await import("./ruleset.js");
    checkRuleset(custom);
  }

  /** Lints a spec; concurrent lints of the same text share one run, and recent results are remembered. */
  async lint(text: string, specName: string | undefined): Promise<{ ruleset: string; results: LintResult[] }> {
    const family: Family = specName?.toLowerCase() === "asyncapi" || /^\s*("asyncapi"|asyncapi\s*:)/m.test(text.slice(0, 2000)) ? "spectral:asyncapi" : "spectral:oas";
    const ruleset = this.custom ? "custom" : family;
    const key = createHash("sha256").update(ruleset).update("\0").update(text).digest("hex");
    const cached = this.cache.get(key);
    if (cached) return { ruleset, results: cached };
    let run = this.inFlight.get(key);
    if (!run) {
      run = this.run({ text, family, ...(this.custom ? { custom: this.custom } : {}) }).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, run);
    }
    const results = await run;
    if (this.cache.size >= 16) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, results);
    return { ruleset, results };
  }

  /** Lints run in a worker so far (not those answered from the cache or by a run already in flight). */
  get runs(): number {
    return this.started;
  }

  /** Stops the workers (idle ones hold no event loop open, so this is for orderly shutdowns). */
  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }

  private async run(job: LintJob): Promise<LintResult[]> {
    const { threads, queue, deadlineMs, memoryMb, idleMs } = this.limits;
    if (!this.pool) {
      const { Piscina } = await import("piscina");
      this.pool = new Piscina({
        filename: new URL("./lint-worker.js", import.meta.url).href,
        minThreads: 0,
        maxThreads: threads,
        maxQueue: queue,
        idleTimeout: idleMs,
        resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      });
      // A worker that dies outside a task (at start-up, under the memory cap) leaves its queue waiting for good:
      // fail what is in flight with that error and start a new pool for the next lint.
      const pool = this.pool;
      pool.on("error", (e: Error) => {
        if (this.pool === pool) this.pool = undefined;
        for (const fail of this.failRuns) fail(e);
        pool.destroy().catch(() => {});
      });
    }
    const size = `${(Buffer.byteLength(job.text) / 1e6).toFixed(1)} MB`;
    this.started += 1;
    let fail!: (e: Error) => void;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    this.failRuns.add(fail);
    const task = this.pool.run(job, { signal: AbortSignal.timeout(deadlineMs) }) as Promise<LintResult[]>;
    task.catch(() => {});
    try {
      return await Promise.race([task, failed]);
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.name === "AbortError") {
        throw new DomainError("upstream", `linting the ${size} spec was stopped at the server's ${deadlineMs / 1000} s lint deadline; lint a smaller spec, or use a ruleset without its slowest rules`);
      }
      if (err.code === "ERR_WORKER_OUT_OF_MEMORY") {
        throw new DomainError("upstream", `linting the ${size} spec needed more than the server's ${memoryMb} MB lint memory limit and was stopped; lint a smaller spec, or use a ruleset without its heaviest rules`);
      }
      if (err.message === "Task queue is at limit") {
        throw new DomainError("throttled", `${threads + queue} lints are already running or waiting; try again when they finish`);
      }
      throw new DomainError("upstream", `linting failed: ${err.message}`);
    } finally {
      this.failRuns.delete(fail);
    }
  }
}
