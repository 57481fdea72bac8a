/**
 * ARM's request throttling as a contract (learn.microsoft.com, "Understand how Azure Resource Manager
 * throttles requests", and ../shared/apicenter-arm/recordings): token buckets per subscription (or
 * tenant) and principal, one per operation type, plus global buckets 15 times larger shared by all
 * principals. GET and HEAD are reads, DELETE a delete, every other verb (POST actions such as
 * exportSpecification included) a write. Every answer names what is left in
 * `x-ms-ratelimit-remaining-{subscription|tenant}-[global-]{reads|writes|deletes}`.
 */

export type OperationType = "reads" | "writes" | "deletes";

export interface BucketLimit {
  /** Tokens the bucket holds when full: the burst a principal may send at once. */
  size: number;
  /** Tokens added back per second, up to `size`. */
  refillPerSecond: number;
}

/** The documented limits per subscription and principal. */
export const ARM_LIMITS: Readonly<Record<OperationType, BucketLimit>> = {
  reads: { size: 250, refillPerSecond: 25 },
  writes: { size: 200, refillPerSecond: 10 },
  deletes: { size: 200, refillPerSecond: 10 },
};

/** Global buckets are this many times a principal's. */
export const GLOBAL_FACTOR = 15;

export function operationType(method: string): OperationType {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD") return "reads";
  return m === "DELETE" ? "deletes" : "writes";
}

export type ThrottleScope = "subscription" | "tenant";

export function remainingHeader(scope: ThrottleScope, type: OperationType, global: boolean): string {
  return `x-ms-ratelimit-remaining-${scope}-${global ? "global-" : ""}${type}`;
}

/** What a `x-ms-ratelimit-remaining-*` header name counts; null for any other header. */
export function parseRemainingHeader(name: string): { scope: ThrottleScope; type: OperationType; global: boolean } | null {
  const m = /^x-ms-ratelimit-remaining-(subscription|tenant)-(global-)?(reads|writes|deletes)$/i.exec(name);
  return m ? { scope: m[1]!.toLowerCase() as ThrottleScope, global: Boolean(m[2]), type: m[3]!.toLowerCase() as OperationType } : null;
}
