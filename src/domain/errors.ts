/**
 * The one error vocabulary above the wire. Every message says what went wrong and what to do
 * about it, and never carries a secret (tokens, keys, connection strings).
 */
/** Values echoed in messages go through `clip`: never a megabyte back, never a forged line. */
export { clip } from "../arm/text.js";

export type DomainErrorKind =
  | "not_found"
  | "conflict"
  | "invalid_input"
  | "unauthorized"
  | "forbidden"
  | "throttled"
  | "precondition_failed"
  | "upstream"
  | "configuration";

export class DomainError extends Error {
  override readonly name = "DomainError";

  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /**
     * The service's own status and error code, where there was one; `unanswered` when a request was
     * sent but no whole answer came back (a write may then have been applied).
     */
    readonly detail?: { status?: number; code?: string; unanswered?: boolean },
  ) {
    super(message);
  }
}

/** Adds what to do next to a not-found error, e.g. which tool lists the names. */
export async function withNotFoundHint<T>(work: Promise<T>, hint: string): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof DomainError && e.kind === "not_found") throw new DomainError("not_found", `${e.message}; ${hint}`, e.detail);
    throw e;
  }
}
