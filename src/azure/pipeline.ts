/**
 * The one HTTP pipeline every ARM call goes through: `@azure/arm-apicenter`'s `AzureAPICenter`
 * client at api-version 2024-03-01, with its bearer auth, retries (429/5xx honouring Retry-After),
 * pacing on ARM's request budget (budget.ts, once per attempt), user agent and logging. Every
 * resource, services included, goes through its `sendRequest`, so all calls share the same policies.
 */
import { AzureAPICenter } from "@azure/arm-apicenter";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import {
  RestError,
  bearerTokenAuthenticationPolicyName,
  isRestError,
  type HttpClient,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import { armScopeFor } from "../arm/api-versions.js";
import { DomainError } from "../domain/errors.js";
import { ArmBudget, type BudgetOptions } from "./budget.js";

export interface PipelineOptions {
  /** ARM endpoint, e.g. https://management.azure.com, or an ARM-compatible one such as the local API Center. */
  endpoint: string;
  credential: TokenCredential;
  /** Token scope; defaults to `${endpoint}/.default` (pass it for sovereign clouds). */
  credentialScopes?: string;
  /** Replaces the network transport while keeping every policy: the seam for the in-process emulator. */
  httpClient?: HttpClient;
  maxRetries?: number;
  /** The first retry's delay; later ones grow exponentially (Retry-After, when sent, is honoured instead). */
  retryDelayMs?: number;
  userAgentPrefix?: string;
  /** How requests are paced on ARM's remaining-budget headers. */
  budget?: BudgetOptions;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Bearer tokens over plain HTTP: the SDK's policy refuses them, rightly, everywhere but here.
 * The local API Center over loopback is the one endpoint allowed plain HTTP; anything else must be HTTPS.
 * This is the single place that decides it.
 */
function loopbackBearerPolicy(credential: TokenCredential, scope: string): PipelinePolicy {
  return {
    name: "loopbackBearerPolicy",
    async sendRequest(request, next) {
      request.allowInsecureConnection = true;
      const token = await credential.getToken(scope);
      if (token) request.headers.set("authorization", `Bearer ${token.token}`);
      return next(request);
    },
  };
}

/**
 * Two failures the SDK's retry strategies leave alone are retried as the reset connections they are:
 * an answer cut off mid-body (the transport's PARSE_ERROR) and an attempt that timed out (an
 * AbortError while the request's own signal is live). Every request this client sends is safe to
 * repeat: GET, HEAD, PUT and DELETE, and POSTs to importSpecification (an inline import sets the
 * definition's spec to the text sent, however often; a link import fetches the same URL again),
 * exportSpecification and exportMetadataSchema (reads). So no method is excluded.
 */
const cutOffAnswerPolicy: PipelinePolicy = {
  name: "cutOffAnswerPolicy",
  async sendRequest(request, next) {
    try {
      return await next(request);
    } catch (e) {
      if (isRestError(e) && e.code === RestError.PARSE_ERROR && e.statusCode === undefined) {
        throw new RestError(`the answer was cut off mid-body (${e.message.replace(/^Error reading response as text: /, "")})`, { code: "ECONNRESET", request });
      }
      if ((e as Error).name === "AbortError" && !request.abortSignal?.aborted) {
        throw new RestError(`no answer within ${request.timeout} ms`, { code: "ETIMEDOUT", request });
      }
      throw e;
    }
  },
};

export function checkEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new DomainError("configuration", `ARM endpoint '${endpoint}' is not a URL: pass e.g. --arm-endpoint https://management.azure.com`);
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && LOOPBACK.test(url.hostname)) return url;
  throw new DomainError(
    "configuration",
    `ARM endpoint '${endpoint}' must use https (plain http is allowed only on loopback, for the local API Center)`,
  );
}

/**
 * What the ARM client may use of the SDK client: its pipeline, by full URL. Its typed operations stay
 * out of reach: they would read the subscription it was built with, and requests name theirs in the URL.
 */
export interface ArmPipelineClient {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
}

export function createArmPipelineClient(options: PipelineOptions): { pipeline: ArmPipelineClient; budget: ArmBudget } {
  const url = checkEndpoint(options.endpoint);
  const endpoint = url.origin;
  const scope = options.credentialScopes ?? armScopeFor(endpoint);
  // No subscription: only the typed operations read it, and ArmPipelineClient keeps them out of reach.
  const client = new AzureAPICenter(options.credential, "", {
    endpoint,
    $host: endpoint,
    // No apiVersion: the SDK would then rewrite every URL's api-version to it, and each call here names
    // its own (API sources are in a preview; API Management and role assignments have theirs).
    credentialScopes: scope,
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    retryOptions: { maxRetries: options.maxRetries ?? 3, retryDelayInMs: options.retryDelayMs ?? 800, maxRetryDelayInMs: 30_000 },
    userAgentOptions: { userAgentPrefix: options.userAgentPrefix ?? "apicenter-mcp" },
  });
  // Added after the SDK's retry policy in the same phase, so it runs below it (next to the transport) and what it rethrows is retried.
  client.pipeline.addPolicy(cutOffAnswerPolicy, { phase: "Retry" });
  if (url.protocol === "http:") {
    client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    client.pipeline.addPolicy(loopbackBearerPolicy(options.credential, scope), { phase: "Sign" });
  }
  const budget = new ArmBudget(options.budget);
  // After the retry policy, so that every attempt waits for its token.
  client.pipeline.addPolicy(budget.policy(), { afterPhase: "Retry" });
  return { pipeline: client, budget };
}

/** The credential of the local API Center: it accepts any bearer token, so this one is fixed. */
export class LocalTokenCredential implements TokenCredential {
  async getToken(): Promise<AccessToken> {
    return { token: "local-api-center", expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}
