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

/** Errors thrown before any answer: credentials that could not be had, a network that failed. */
export function errorFromThrown(e: unknown, doing: Doing, endpoint: string): DomainError {
  if (e instanceof DomainError) return e;
  const err = e as { name?: string; message?: string; code?: string; statusCode?: number };
  if (err.name === "CredentialUnavailableError" || err.name === "AuthenticationError" || err.name === "AggregateAuthenticationError") {
    return new DomainError("unauthorized", `Could not ${doing}: no Azure credentials are available; ${CREDENTIALS_FIX}`);
  }
  if (typeof err.statusCode === "number") {
    return errorFromResponse(err.statusCode, JSON.stringify({ error: { code: err.code ?? "", message: err.message ?? "" } }), doing);
  }
  return new DomainError("upstream", `Could not ${doing}: ${endpoint} could not be reached (${err.code ?? err.message ?? "network error"}); check the endpoint and the network`);
}
