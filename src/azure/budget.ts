/**
 * Pacing on ARM's request budget: a pipeline policy that reads the remaining-budget headers of every
 * answer (`x-ms-ratelimit-remaining-*`, see ../arm/throttling.ts), keeps an estimate of each token
 * bucket it has seen, and holds a request back until its bucket has a token, so that a long crawl
 * meets no 429 instead of meeting them and backing off.
 *
 * Bulk work (the inventory index's crawl) never takes a bucket below `reserve` of its size: that
 * share stays for interactive calls, this process's and the other tools of the same principal, which
 * are only held back when the bucket is empty. Bulk requests take their turn in order, one queue
 * per bucket, so they cannot starve each other.
 *
 * The estimate counts down locally for every request sent and refills at the documented rate; an
 * answer can only lower it (the server's count, plus what refilled since the request was sent, is an
 * upper bound on what is left, whoever else spends from the same bucket). The first answer sets it;
 * a 429 all the same means the bucket refills slower than documented, and the assumed rate halves.
 */
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { ARM_LIMITS, GLOBAL_FACTOR, operationType, parseRemainingHeader, type BucketLimit, type OperationType } from "../arm/throttling.js";

export type Priority = "interactive" | "bulk";

type AbortSignalLike = NonNullable<PipelineRequest["abortSignal"]>;

export interface BudgetOptions {
  /** Share of each bucket (0 to 0.9) that bulk work leaves for interactive calls. */
  reserve?: number;
  /** Bucket limits assumed for principal buckets (ARM's by default); global ones are GLOBAL_FACTOR times these. */
  limits?: Partial<Record<OperationType, BucketLimit>>;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignalLike) => Promise<void>;
}

export interface BudgetStats {
  /** Requests sent (retries included) by operation type. */
  sent: Record<OperationType, number>;
  /** Answers that were 429. */
  throttled: number;
  /** Total time requests were held back, in milliseconds (summed over requests). */
  heldMs: number;
}

/** Requests sent as bulk work; the policy reads the mark, nothing is added to the wire. */
const bulkRequests = new WeakSet<PipelineRequest>();

export function markBulk(request: PipelineRequest): void {
  bulkRequests.add(request);
}

function abortError(): Error {
  const e = new Error("The operation was aborted.");
  e.name = "AbortError";
  return e;
}

const realSleep = (ms: number, signal?: AbortSignalLike) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

class BucketEstimate {
  private level: number;
  private at: number;

  constructor(
    readonly capacity: number,
    public refillPerSecond: number,
    level: number,
    now: number,
  ) {
    this.level = level;
    this.at = now;
  }

  tokens(now: number): number {
    if (now > this.at) {
      this.level = Math.min(this.capacity, this.level + ((now - this.at) / 1000) * this.refillPerSecond);
      this.at = now;
    }
    return this.level;
  }

  /** Milliseconds until a token can be taken without going below `floor` tokens. */
  msUntil(floor: number, now: number): number {
    const short = floor + 1 - this.tokens(now);
    return short <= 0 ? 0 : Math.ceil((short / this.refillPerSecond) * 1000);
  }

  take(now: number): void {
    this.tokens(now);
    this.level -= 1;
  }

  /** What the server said is left, plus what refilled since the request left: an upper bound. */
  atMost(bound: number, now: number): void {
    if (this.tokens(now) > bound) this.level = bound;
  }
}

interface Ticket {
  key: string;
  sentAt: number;
  /** Requests of the same scope and type sent before this one (this one included). */
  seq: number;
}

export class ArmBudget {
  private readonly reserve: number;
  private readonly limits: Record<OperationType, BucketLimit>;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignalLike) => Promise<void>;
  /** Estimates by `${scope}|${type}|principal` or `...|global`. */
  private readonly buckets = new Map<string, BucketEstimate>();
  private readonly sentCount = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly counters: BudgetStats = { sent: { reads: 0, writes: 0, deletes: 0 }, throttled: 0, heldMs: 0 };

  constructor(options: BudgetOptions = {}) {
    const reserve = options.reserve ?? 0.2;
    if (!(reserve >= 0 && reserve <= 0.9)) throw new Error(`the ARM budget reserve must be between 0 and 0.9, not ${reserve}`);
    this.reserve = reserve;
    this.limits = { ...ARM_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  stats(): BudgetStats {
    return { sent: { ...this.counters.sent }, throttled: this.counters.throttled, heldMs: this.counters.heldMs };
  }

  policy(): PipelinePolicy {
    return {
      name: "armBudgetPolicy",
      sendRequest: async (request, next) => {
        const ticket = await this.acquire(request);
        const response = await next(request);
        this.observe(ticket, response);
        return response;
      },
    };
  }

  private estimates(key: string): BucketEstimate[] {
    return [this.buckets.get(`${key}|principal`), this.buckets.get(`${key}|global`)].filter((b): b is BucketEstimate => b !== undefined);
  }

  private async acquire(request: PipelineRequest): Promise<Ticket> {
    const type = operationType(request.method);
    const sub = /\/subscriptions\/([^/?#]+)/i.exec(new URL(request.url).pathname)?.[1];
    const key = `${sub ? `subscription/${sub.toLowerCase()}` : "tenant"}|${type}`;
    const started = this.now();
    if (bulkRequests.has(request)) {
      const turn = (this.queues.get(key) ?? Promise.resolve()).then(() => this.take(key, this.reserve, request.abortSignal));
      this.queues.set(key, turn.catch(() => undefined));
      await turn;
    } else {
      await this.take(key, 0, request.abortSignal);
    }
    const sentAt = this.now();
    this.counters.heldMs += sentAt - started;
    this.counters.sent[type] += 1;
    const seq = (this.sentCount.get(key) ?? 0) + 1;
    this.sentCount.set(key, seq);
    return { key, sentAt, seq };
  }

  /** Waits until every known bucket of `key` has a token above `share` of its size, then takes it. */
  private async take(key: string, share: number, signal: AbortSignalLike | undefined): Promise<void> {
    for (;;) {
      const now = this.now();
      const buckets = this.estimates(key);
      const wait = Math.max(0, ...buckets.map((b) => b.msUntil(share * b.capacity, now)));
      if (wait === 0) {
        for (const b of buckets) b.take(now);
        return;
      }
      await this.sleep(wait, signal);
    }
  }

  private observe(ticket: Ticket, response: PipelineResponse): void {
    const now = this.now();
    const type = ticket.key.slice(ticket.key.lastIndexOf("|") + 1) as OperationType;
    const throttled = response.status === 429;
    if (throttled) this.counters.throttled += 1;
    const retryAfter = Number(response.headers.get("retry-after"));
    for (const [name, value] of response.headers) {
      const header = parseRemainingHeader(name);
      const left = Number(value);
      if (!header || header.type !== type || !Number.isFinite(left)) continue;
      const id = `${ticket.key}|${header.global ? "global" : "principal"}`;
      const limit = this.limits[type];
      const factor = header.global ? GLOBAL_FACTOR : 1;
      const known = this.buckets.get(id);
      if (!known) {
        // Sent after this one and not yet reflected in `left`: at most that many.
        const since = (this.sentCount.get(ticket.key) ?? ticket.seq) - ticket.seq;
        this.buckets.set(id, new BucketEstimate(Math.max(limit.size * factor, left + 1), limit.refillPerSecond * factor, left - since, now));
        continue;
      }
      if (throttled && left < 1 && retryAfter > 0) {
        // The estimate let this request go, so the bucket refills slower than assumed: halve the rate
        // (it settles within a few refusals), and no token comes before Retry-After.
        known.tokens(now);
        known.refillPerSecond = Math.max(0.01, known.refillPerSecond / 2);
        known.atMost(1 - retryAfter * known.refillPerSecond, now);
      } else {
        known.atMost(left + ((now - ticket.sentAt) / 1000) * known.refillPerSecond, now);
      }
    }
  }
}
