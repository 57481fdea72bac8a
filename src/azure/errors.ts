/** Maps what ARM answers (or fails to) onto the domain's error vocabulary, with the fix in the message. */
import { readArmError } from "../arm/errors.js";
import { DomainError } from "../domain/errors.js";
import { clip } from "../arm/text.js";

export const CREDENTIALS_FIX =
  "run `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) for a service principal, or use a managed identity";

/** What the caller was doing, for messages: e.g. "get API 'orders'". */
export type Doing = string;

export function errorFromResponse(status: number, bodyText: string | undefined, doing: Doing, notFound?: string): DomainError {
  let parsed: unknown;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    parsed = undefined;
  }
  const info = readArmError(parsed);
  // The service's own words, which may quote what it was sent: kept to a readable length.
  const said = clip(info?.message && info.message !== info.code ? info.message : info?.code ?? `HTTP ${status}`, 1000);
  const detail = { status, ...(info?.code ? { code: info.code } : {}) };
  switch (true) {
    case status === 400:
      return new DomainError("invalid_input", `Could not ${doing}: the service refused the request: ${said}`, detail);
    case status === 401:
      return new DomainError("unauthorized", `Could not ${doing}: Azure rejected the credentials (${said}); ${CREDENTIALS_FIX}`, detail);
    case status === 403:
      return new DomainError(
        "forbidden",
        `Could not ${doing}: the signed-in identity lacks permission (${said}); ask for the 'Azure API Center Service Contributor' role (or 'Reader' for reads) on the service`,
        detail,
      );
    case status === 404: {
      // The caller's wording names what was asked for; a specific code from the service says more.
      const plain = !info || ["404", "NotFound", "ResourceNotFound", "ParentResourceNotFound"].includes(info.code);
      return new DomainError("not_found", plain && notFound ? notFound : `Could not ${doing}: ${said}`, detail);
    }
    case status === 409:
      return new DomainError("conflict", `Could not ${doing}: it conflicts with the current state (${said}); read it again and retry`, detail);
    case status === 412:
      return new DomainError("precondition_failed", `Could not ${doing}: it changed since it was read (${said}); read it again and retry`, detail);
    case status === 429:
      return new DomainError("throttled", `Could not ${doing}: Azure is throttling requests (${said}); wait a minute and retry`, detail);
    default:
      return new DomainError("upstream", `Could not ${doing}: the service answered HTTP ${status} (${said}); retry later`, detail);
  }
}

const CREDENTIAL_ERRORS = new Set(["CredentialUnavailableError", "AuthenticationError", "AggregateAuthenticationError", "AuthenticationRequiredError"]);

interface CredentialFailure {
  name?: string;
  message?: string;
  errors?: CredentialFailure[];
  errorResponse?: { error?: string; errorDescription?: string };
}

/** Tokens and secrets that a sign-in error may quote: JWTs, and form fields that carry a secret. */
function scrubbed(text: string): string {
  return text.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "<token>").replace(/(client_secret|client_assertion|assertion|password|refresh_token|access_token)=[^&\s]*/gi, "$1=<redacted>");
}

/** What Entra ID (or a credential) said, in one short line: the AADSTS code and its first sentence when there is one. */
function said(failure: CredentialFailure): string {
  const text = [failure.errorResponse?.errorDescription, failure.message].filter(Boolean).join(" ");
  const aadsts = /AADSTS\d+:[^.]*\./.exec(text)?.[0];
  const first = aadsts ?? text.replace(/\s+/g, " ").replace(/ To troubleshoot, visit \S+/g, "").trim();
  return clip(scrubbed(first), 300);
}

/**
 * Why no token could be had. A credential that answered (Entra ID refused a secret, a certificate, an
 * assertion) is the cause to report, with Entra ID's own code; only when every credential in the chain
 * was unavailable are there no credentials at all, and then each says why in a few words.
 */
function credentialError(e: CredentialFailure, doing: Doing): DomainError {
  const failures = e.name === "AggregateAuthenticationError" && e.errors?.length ? e.errors : [e];
  const refused = failures.find((f) => f.name !== "CredentialUnavailableError");
  if (refused) {
    const by = /\b(\w+Credential)\b/.exec(`${refused.errorResponse?.error ?? ""} ${refused.message ?? ""}`)?.[1];
    return new DomainError("unauthorized", `Could not ${doing}: Azure sign-in failed${by ? ` (${by})` : ""}: ${said(refused)}; check the identity's settings, or ${CREDENTIALS_FIX}`);
  }
  const reasons = failures.map(said).filter(Boolean).join(" | ");
  return new DomainError("unauthorized", `Could not ${doing}: no Azure credentials are available${reasons ? ` (${clip(reasons, 900)})` : ""}; ${CREDENTIALS_FIX}`);
}

/** A duration for a message: "300 ms", "2 min". */
export function duration(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/** Network failures that mean the request never reached the service: nothing it asked for was done. */
const NOT_DELIVERED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ENOENT"]);

export interface ThrownContext {
  endpoint: string;
  /** Whether the request changes state (a PUT, PATCH, DELETE or an import). */
  write: boolean;
  /** Fired when the caller gave up (cancellation): said as such, not as a network fault. */
  cancelled?: AbortSignal;
  /** Fired when the call's own deadline passed. */
  deadline?: { signal: AbortSignal; ms: number };
}

/**
 * Errors thrown instead of a whole answer: credentials that could not be had, a service that could
 * not be reached (nothing was done), or an answer that never came whole (reset, cut off mid-body,
 * timed out, cancelled). For a write, the last kind means it may have been applied: the error says
 * so and carries `unanswered`, so a plan treats the step as applied and undoes it.
 */
export function errorFromThrown(e: unknown, doing: Doing, ctx: ThrownContext): DomainError {
  if (e instanceof DomainError) return e;
  const err = e as { name?: string; message?: string; code?: string; statusCode?: number };
  if (err.name && CREDENTIAL_ERRORS.has(err.name)) return credentialError(e as CredentialFailure, doing);
  if (typeof err.statusCode === "number") {
    return errorFromResponse(err.statusCode, JSON.stringify({ error: { code: err.code ?? "", message: err.message ?? "" } }), doing);
  }
  if (err.code && NOT_DELIVERED.has(err.code)) {
    return new DomainError("upstream", `Could not ${doing}: ${ctx.endpoint} could not be reached (${err.code}); check the endpoint and the network`);
  }
  const why = ctx.cancelled?.aborted
    ? "the call was cancelled before the answer came"
    : ctx.deadline?.signal.aborted
      ? `no complete answer within ${duration(ctx.deadline.ms)}`
      : err.code === "ETIMEDOUT"
        ? (err.message ?? "no answer in time")
        : err.name === "AbortError"
          ? "the request timed out before the answer came"
          : `the answer was cut off (${err.message ?? err.code ?? "network error"})`;
  return new DomainError("upstream", `Could not ${doing}: ${why}${ctx.write ? "; the write may have been applied" : "; retry"}`, { unanswered: true });
}
