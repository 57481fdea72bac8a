/** The credential probe behind `doctor`: which credential of a chain answers, or each one's own error. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { ChainedTokenCredential, CredentialUnavailableError, DefaultAzureCredential } from "@azure/identity";
import { identityOf, probeCredentials } from "../../src/azure/credentials.js";

const SCOPE = "https://management.azure.com/.default";

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.signature`;
}

class Unavailable implements TokenCredential {
  async getToken(): Promise<AccessToken | null> {
    throw new CredentialUnavailableError("Unavailable is unavailable: nothing configured");
  }
}
class Refusing implements TokenCredential {
  async getToken(): Promise<AccessToken | null> {
    throw Object.assign(new Error("AADSTS7000215: Invalid client secret provided.\n  Trace ID: 1"), { name: "AuthenticationError" });
  }
}
class Answering implements TokenCredential {
  calls = 0;
  constructor(private readonly claims: Record<string, unknown>) {}
  async getToken(): Promise<AccessToken> {
    this.calls++;
    return { token: jwt(this.claims), expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

test("names the credential that answered, who it speaks for, and what was tried before it", async () => {
  const answering = new Answering({ tid: "tenant-1", oid: "object-1", upn: "alice@contoso.com", idtyp: "user" });
  const probe = await probeCredentials(SCOPE, new ChainedTokenCredential(new Unavailable(), answering, new Answering({})));
  assert.deepEqual(probe.attempts, [
    { name: "Unavailable", outcome: "unavailable", message: "Unavailable is unavailable: nothing configured" },
    { name: "Answering", outcome: "answered" },
  ]);
  assert.equal(probe.credential, answering);
  assert.deepEqual(probe.identity, { tenantId: "tenant-1", objectId: "object-1", name: "alice@contoso.com", kind: "user" });
});

test("a credential that fails (rather than being unavailable) ends the chain, as DefaultAzureCredential does", async () => {
  const after = new Answering({});
  const probe = await probeCredentials(SCOPE, new ChainedTokenCredential(new Unavailable(), new Refusing(), after));
  assert.equal(probe.credential, undefined);
  assert.deepEqual(probe.attempts.at(-1), { name: "Refusing", outcome: "failed", message: "AADSTS7000215: Invalid client secret provided. Trace ID: 1" });
  assert.equal(after.calls, 0);
});

test("DefaultAzureCredential's own members are tried, each reporting its real reason", async () => {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith("AZURE_")) delete process.env[k];
  process.env.AZURE_TOKEN_CREDENTIALS = "EnvironmentCredential";
  try {
    const probe = await probeCredentials(SCOPE, new DefaultAzureCredential());
    assert.equal(probe.credential, undefined);
    assert.equal(probe.attempts.length, 1);
    assert.equal(probe.attempts[0]!.name, "EnvironmentCredential");
    assert.equal(probe.attempts[0]!.outcome, "unavailable");
    assert.match(probe.attempts[0]!.message!, /EnvironmentCredential is unavailable/);
  } finally {
    process.env = saved;
  }
});

test("an application token is recognised; a token that is not a JWT says nothing", () => {
  assert.deepEqual(identityOf(jwt({ tid: "t", oid: "o", appid: "app-1", idtyp: "app" })), { tenantId: "t", objectId: "o", name: "app-1", kind: "app" });
  assert.deepEqual(identityOf(jwt({ oid: "o", appid: "app-2" })), { objectId: "o", name: "app-2", kind: "app" });
  assert.equal(identityOf("local-api-center"), undefined);
  assert.equal(identityOf("a.%%%.c"), undefined);
});
