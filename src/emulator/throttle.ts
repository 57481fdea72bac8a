/**
 * ARM's request throttling, as Azure Resource Manager applies it in front of every resource provider
 * since its 2024 token-bucket model (the contract is in ../arm/throttling.ts): a request takes one
 * token from its principal's bucket and one from the global one; when either is empty it is refused
 * with 429, `Retry-After` (whole seconds) and the error `SubscriptionRequestsThrottled`
 * (`TenantRequestsThrottled` at tenant scope) in ARM's words. Every answer carries what is left.
 */
import { createHash } from "node:crypto";
import { ARM_LIMITS, GLOBAL_FACTOR, operationType, remainingHeader, type BucketLimit, type OperationType } from "../arm/throttling.js";
import type { Step } from "./pipeline.js";
import { fail } from "./wire.js";

export interface ThrottleOptions {
  reads?: BucketLimit;
  writes?: BucketLimit;
  deletes?: BucketLimit;
  /** Global buckets are this many times a principal's (ARM: 15). */
  globalFactor?: number;
  /** Milliseconds since some epoch; injected by tests. */
  now?: () => number;
}

const SINGULAR: Record<OperationType, string> = { reads: "read", writes: "write", deletes: "delete" };

class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly limit: BucketLimit,
    now: number,
  ) {
    this.tokens = limit.size;
    this.at = now;
  }

  /** Tokens available at `now` (fractions included: refill is continuous). */
  level(now: number): number {
    if (now > this.at) {
      this.tokens = Math.min(this.limit.size, this.tokens + ((now - this.at) / 1000) * this.limit.refillPerSecond);
      this.at = now;
    }
    return this.tokens;
  }

  take(): void {
    this.tokens -= 1;
  }

  /** Whole seconds until one token is there again (at least 1, as ARM never answers 0). */
  secondsUntilToken(now: number): number {
    return Math.max(1, Math.ceil((1 - this.level(now)) / this.limit.refillPerSecond));
  }
}

/**
 * The principal a request acts as. The local API Center accepts any bearer token, so the token stands
 * for the principal; only a digest of it is kept or shown, never the token.
 */
function actorOf(authorization: string | undefined): string {
  return createHash("sha256").update(authorization ?? "").digest("hex").slice(0, 12);
}

export function throttle(options: ThrottleOptions = {}): Step {
  const limits: Record<OperationType, BucketLimit> = {
    reads: options.reads ?? ARM_LIMITS.reads,
    writes: options.writes ?? ARM_LIMITS.writes,
    deletes: options.deletes ?? ARM_LIMITS.deletes,
  };
  for (const [type, l] of Object.entries(limits)) {
    if (!(l.size >= 1) || !(l.refillPerSecond > 0)) throw new Error(`throttle ${type}: a bucket needs a size of at least 1 and a refill rate above 0`);
  }
  const factor = options.globalFactor ?? GLOBAL_FACTOR;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, TokenBucket>();
  const bucket = (key: string, limit: BucketLimit, t: number) => {
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = new TokenBucket(limit, t)));
    return b;
  };

  return async (ex, next) => {
    const type = operationType(ex.method);
    const subscription = ex.route.path.subscriptionId;
    const scope = subscription === undefined ? "tenant" : "subscription";
    const scopeKey = subscription === undefined ? "tenant" : `subscription/${subscription.toLowerCase()}`;
    const actor = actorOf(ex.req.headers.authorization);
    const limit = limits[type];
    const t = now();
    const own = bucket(`${scopeKey}/${type}/${actor}`, limit, t);
    const shared = bucket(`${scopeKey}/${type}`, { size: limit.size * factor, refillPerSecond: limit.refillPerSecond * factor }, t);
    const headers = (ownLeft: number, sharedLeft: number) => ({
      [remainingHeader(scope, type, false)]: String(Math.max(0, Math.floor(ownLeft))),
      [remainingHeader(scope, type, true)]: String(Math.max(0, Math.floor(sharedLeft))),
    });

    const empty = [own, shared].find((b) => b.level(t) < 1);
    if (empty) {
      const wait = empty.secondsUntilToken(t);
      const who = subscription === undefined ? "tenant" : `subscription '${subscription}'`;
      const refused = fail(
        429,
        `${scope === "tenant" ? "Tenant" : "Subscription"}RequestsThrottled`,
        `Number of '${SINGULAR[type]}' requests for ${who} actor '${actor}' exceeded. Please try again after '${wait}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
      );
      return { ...refused, headers: { ...refused.headers, "retry-after": String(wait), ...headers(own.level(t), shared.level(t)) } };
    }
    own.take();
    shared.take();
    const left = headers(own.level(t), shared.level(t));
    const answer = await next();
    return { ...answer, headers: { ...answer.headers, ...left } };
  };
}
