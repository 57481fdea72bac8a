import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { LocalTokenCredential, checkEndpoint } from "./pipeline.js";

export type { TokenCredential };

// @azure/identity's chain is a large load: it is imported with the first token asked for, not at start-up.
const defaultAzureCredential = async (): Promise<TokenCredential> => new (await import("@azure/identity")).DefaultAzureCredential();

/** DefaultAzureCredential, made with the first token asked for. */
class DeferredAzureCredential implements TokenCredential {
  private credential?: Promise<TokenCredential>;

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.credential ??= defaultAzureCredential();
    return (await this.credential).getToken(scopes, options);
  }
}

/**
 * The credential for an ARM endpoint: a standalone local API Center on loopback takes any bearer
 * token, so it gets a fixed one; anything else gets DefaultAzureCredential (environment, workload
 * identity, managed identity, Azure CLI, Azure Developer CLI, PowerShell).
 */
export function credentialFor(endpoint: string): TokenCredential {
  return checkEndpoint(endpoint).protocol === "http:" ? new LocalTokenCredential() : new DeferredAzureCredential();
}

/** One credential of the chain, tried. */
export interface CredentialAttempt {
  name: string;
  outcome: "answered" | "unavailable" | "failed";
  /** The credential's own error, on one line. */
  message?: string;
}

/** Who a token speaks for, from its claims (never the token itself). */
export interface TokenIdentity {
  tenantId?: string;
  objectId?: string;
  /** A user's sign-in name, or an application's id. */
  name?: string;
  kind?: "user" | "app";
}

export interface CredentialProbe {
  attempts: CredentialAttempt[];
  /** The credential that answered: the one DefaultAzureCredential would use. */
  credential?: TokenCredential;
  identity?: TokenIdentity;
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

function nameOf(source: TokenCredential): string {
  // DefaultAzureCredential stands in a placeholder for a credential it could not build, named after its factory.
  const placeholder = (source as { credentialName?: string }).credentialName;
  return placeholder ? placeholder.replace(/^createDefault/, "") : source.constructor.name;
}

/**
 * Tries DefaultAzureCredential's credentials one by one, in its order and with its rules (a
 * credential that is merely unavailable passes to the next; any other failure ends the chain), so
 * the report names the credential that answered, or each one's own error. A credential that is not
 * a chain (or a chain whose members a future @azure/identity hides) is tried whole, with the errors
 * it aggregates.
 */
export async function probeCredentials(scope: string, given?: TokenCredential): Promise<CredentialProbe> {
  const chain = given ?? (await defaultAzureCredential());
  const members = (chain as unknown as { _sources?: unknown })._sources;
  const sources = Array.isArray(members) ? (members as TokenCredential[]) : [chain];
  const attempts: CredentialAttempt[] = [];
  for (const source of sources) {
    let token: AccessToken | null;
    try {
      token = await source.getToken(scope);
    } catch (e) {
      const err = e as Error & { errors?: Error[] };
      const inner = err.name === "AggregateAuthenticationError" && Array.isArray(err.errors) ? err.errors : [err];
      for (const one of inner) {
        const unavailable = one.name === "CredentialUnavailableError" || one.name === "AuthenticationRequiredError";
        attempts.push({ name: nameOf(source), outcome: unavailable ? "unavailable" : "failed", message: oneLine(one.message) });
      }
      if (attempts.at(-1)!.outcome === "failed") return { attempts };
      continue;
    }
    if (!token) {
      // DefaultAzureCredential's placeholder for a credential it could not build answers null and keeps the reason.
      const reason = (source as { credentialUnavailableErrorMessage?: string }).credentialUnavailableErrorMessage;
      attempts.push({ name: nameOf(source), outcome: "unavailable", message: oneLine(reason ?? "returned no token") });
      continue;
    }
    attempts.push({ name: nameOf(source), outcome: "answered" });
    const identity = identityOf(token.token);
    return { attempts, credential: source, ...(identity ? { identity } : {}) };
  }
  return { attempts };
}

/** The claims of a JWT access token that say who it is for; undefined for a token that is not a JWT. */
export function identityOf(token: string): TokenIdentity | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const text = (k: string) => (typeof claims[k] === "string" ? (claims[k] as string) : undefined);
  const user = text("upn") ?? text("preferred_username") ?? text("unique_name");
  const kind = text("idtyp") === "app" || (!user && text("appid")) ? "app" : user ? "user" : undefined;
  const name = user ?? text("appid") ?? text("azp");
  return {
    ...(text("tid") ? { tenantId: text("tid") } : {}),
    ...(text("oid") ? { objectId: text("oid") } : {}),
    ...(name ? { name } : {}),
    ...(kind ? { kind } : {}),
  };
}
