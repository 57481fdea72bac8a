/**
 * When Entra ID refuses the credentials, the answer says so with Entra ID's own code, never "no
 * credentials are available", and never the secret. The real @azure/identity credentials talk to a
 * fake token endpoint on loopback (their authority host mapped onto it by their HTTP client).
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import type { TokenCredential } from "@azure/core-auth";
import { createDefaultHttpClient, type HttpClient } from "@azure/core-rest-pipeline";
import { ChainedTokenCredential, ClientSecretCredential, DefaultAzureCredential, EnvironmentCredential } from "@azure/identity";
import { ApiCenterArmClient } from "../../src/azure/arm-client.js";
import { DomainError } from "../../src/domain/errors.js";
import { LOCAL_SCOPE } from "../helpers/backends.js";

const AUTHORITY = "https://login.fake-entra.test";
const TENANT = "11111111-1111-1111-1111-111111111111";
const CLIENT = "22222222-2222-2222-2222-222222222222";
const SECRET = "Xy9~not-the-right-secret-0123456789";
const SP_ENV = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_AUTHORITY_HOST"] as const;

let entra: Server;
const tokenRequests: string[] = [];
/** The credentials' HTTP client: the authority host answered by the fake token endpoint. */
let toEntra: HttpClient;

before(async () => {
  entra = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const tenant = (req.url ?? "/").split("/")[1];
      const base = `${AUTHORITY}/${tenant}`;
      if (req.url?.includes("/.well-known/openid-configuration")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ token_endpoint: `${base}/oauth2/v2.0/token`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`, end_session_endpoint: `${base}/oauth2/v2.0/logout`, issuer: `${base}/v2.0`, jwks_uri: `${base}/discovery/v2.0/keys` }));
        return;
      }
      tokenRequests.push(body);
      res.writeHead(401, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: "invalid_client",
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${CLIENT}'. Trace ID: t Correlation ID: c Timestamp: 2026-01-01 00:00:00Z`,
          error_codes: [7000215],
          trace_id: "t",
          correlation_id: "c",
        }),
      );
    });
  });
  await new Promise<void>((r) => entra.listen(0, "127.0.0.1", r));
  const port = (entra.address() as AddressInfo).port;
  const inner = createDefaultHttpClient();
  toEntra = {
    sendRequest(request) {
      request.url = request.url.replace(AUTHORITY, `http://127.0.0.1:${port}`);
      request.allowInsecureConnection = true;
      return inner.sendRequest(request);
    },
  };
});
after(() => new Promise<void>((r) => entra.close(() => r())));

/** Asks the ARM client for something with `credential`; no ARM request may leave without a token. */
async function failure(credential: TokenCredential): Promise<DomainError> {
  const client = new ApiCenterArmClient({
    endpoint: "https://management.azure.com",
    credential,
    maxRetries: 0,
    httpClient: {
      sendRequest: () => {
        throw new Error("an ARM request was sent without a token");
      },
    },
  });
  try {
    await client.getService(LOCAL_SCOPE);
  } catch (e) {
    assert.ok(e instanceof DomainError, String(e));
    return e;
  }
  assert.fail("the call succeeded");
}

function withEnv<T>(values: Partial<Record<(typeof SP_ENV)[number], string>>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(SP_ENV.map((k) => [k, process.env[k]]));
  for (const k of SP_ENV) {
    if (values[k] === undefined) delete process.env[k];
    else process.env[k] = values[k];
  }
  return work().finally(() => {
    for (const k of SP_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
}

test("a refused client secret is reported with Entra ID's code, not as missing credentials, and without the secret", async () => {
  const e = await failure(new ClientSecretCredential(TENANT, CLIENT, SECRET, { authorityHost: AUTHORITY, httpClient: toEntra, disableInstanceDiscovery: true }));
  assert.equal(e.kind, "unauthorized");
  assert.match(e.message, /Azure sign-in failed.*AADSTS7000215: Invalid client secret provided\./);
  assert.doesNotMatch(e.message, /no Azure credentials are available/);
  assert.ok(!e.message.includes(SECRET), "the secret is not in the message");
  assert.ok(tokenRequests.some((b) => b.includes("client_secret=")), "the credential did ask the token endpoint");
});

test("DefaultAzureCredential with service-principal variables that Entra ID refuses names the credential and the cause", async () => {
  const e = await withEnv({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET, AZURE_AUTHORITY_HOST: AUTHORITY }, () =>
    failure(new DefaultAzureCredential({ httpClient: toEntra, disableInstanceDiscovery: true })),
  );
  assert.match(e.message, /Azure sign-in failed \(EnvironmentCredential\): AADSTS7000215: Invalid client secret provided\./);
  assert.ok(!e.message.includes(SECRET));
  assert.ok(e.message.length < 1000, `${e.message.length} characters`);
});

test("only when every credential is unavailable does the answer say none is available, with each one's reason", async () => {
  const e = await withEnv({}, () => failure(new ChainedTokenCredential(new EnvironmentCredential())));
  assert.match(e.message, /no Azure credentials are available \(.*EnvironmentCredential is unavailable/);
  assert.match(e.message, /az login/);
});
