/**
 * The ARM client's pipeline behaviour, with faults injected through `httpClient` (the transport seam):
 * retries honouring Retry-After, error mapping with the fix, no secrets in messages, endpoint rules,
 * and services on the same request path as every other resource.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { createHttpHeaders, type HttpClient, type PipelineRequest } from "@azure/core-rest-pipeline";
import { ApiCenterArmClient } from "../../src/azure/arm-client.js";
import { inProcessHttpClient } from "../../src/azure/in-process.js";
import { LocalTokenCredential } from "../../src/azure/pipeline.js";
import { DomainError } from "../../src/domain/errors.js";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import { LOCAL_SCOPE, ref } from "../helpers/backends.js";

const SECRET = "eyJ0eXAiOiJKV1Qi.super-secret-token";
const secretCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: SECRET, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

/** An in-process local API Center whose transport answers the first `faults` requests itself. */
function faulty(faults: Array<{ status: number; headers?: Record<string, string>; body?: string } | "network">, opts: { pageSize?: number } = {}) {
  const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE, ...opts });
  const real = inProcessHttpClient((r) => api.handle(r));
  const seen: PipelineRequest[] = [];
  const httpClient: HttpClient = {
    async sendRequest(request) {
      seen.push(request);
      const fault = faults.shift();
      if (fault === "network") throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      if (fault) return { request, status: fault.status, headers: createHttpHeaders(fault.headers ?? {}), bodyAsText: fault.body ?? "" };
      return real.sendRequest(request);
    },
  };
  const client = new ApiCenterArmClient({
    endpoint: "https://local-api-center.invalid",
    credential: secretCredential,
    httpClient,
    maxRetries: 2,
  });
  return { api, client, seen };
}

const apiRef = ref(LOCAL_SCOPE, ["workspace", "default"], ["api", "orders"]);

describe("retries", () => {
  test("429 with Retry-After is retried after the wait, and the call succeeds", async () => {
    const { client, seen, api } = faulty([{ status: 429, headers: { "retry-after": "0" } }]);
    await client.createOrUpdate("api", apiRef, { title: "Orders", kind: "rest" });
    assert.equal(seen.length, 2);
    await api.close();
  });
  test("503 is retried", async () => {
    const { client, seen, api } = faulty([{ status: 503, body: "{}" }]);
    assert.equal((await client.get("workspace", ref(LOCAL_SCOPE, ["workspace", "default"]))).name, "default");
    assert.equal(seen.length, 2);
    await api.close();
  });
  test("persistent throttling ends in a throttled error that says to wait", async () => {
    const throttled = { status: 429, headers: { "retry-after": "0" }, body: '{"error":{"code":"TooManyRequests","message":"slow down"}}' };
    const { client, api } = faulty([throttled, throttled, throttled]);
    await assert.rejects(client.get("api", apiRef), (e: DomainError) => e.kind === "throttled" && /wait a minute and retry/.test(e.message));
    await api.close();
  });
});

describe("errors name the fix and carry no secret", () => {
  test("401", async () => {
    const { client, seen, api } = faulty([{ status: 401, body: '{"error":{"code":"InvalidAuthenticationToken","message":"The access token is invalid."}}' }]);
    await assert.rejects(client.get("api", apiRef), (e: DomainError) => {
      assert.equal(e.kind, "unauthorized");
      assert.match(e.message, /az login/);
      assert.ok(!e.message.includes(SECRET));
      return true;
    });
    assert.equal(seen[0]!.headers.get("authorization"), `Bearer ${SECRET}`, "the token went where it belongs");
    await api.close();
  });
  test("403", async () => {
    const { client, api } = faulty([{ status: 403, body: '{"error":{"code":"AuthorizationFailed","message":"no"}}' }]);
    await assert.rejects(client.get("api", apiRef), (e: DomainError) => e.kind === "forbidden" && /role/.test(e.message));
    await api.close();
  });
  test("network failure", async () => {
    const { client, api } = faulty(["network", "network", "network"]);
    await assert.rejects(client.get("api", apiRef), (e: DomainError) => e.kind === "upstream" && /could not be reached/.test(e.message) && !e.message.includes(SECRET));
    await api.close();
  });
  test("names are checked before any call", async () => {
    const { client, seen, api } = faulty([]);
    await assert.rejects(client.get("api", ref(LOCAL_SCOPE, ["workspace", "default"], ["api", "no spaces"])), (e: DomainError) => e.kind === "invalid_input");
    await assert.rejects(client.createOrUpdate("api", apiRef, { title: "", kind: "rest" } as never), (e: DomainError) => e.kind === "invalid_input" && /title/.test(e.message));
    assert.equal(seen.length, 0);
    await api.close();
  });
});

describe("endpoints", () => {
  test("plain http is allowed on loopback only", () => {
    const make = (endpoint: string) => new ApiCenterArmClient({ endpoint, credential: new LocalTokenCredential() });
    assert.doesNotThrow(() => make("http://127.0.0.1:4010"));
    assert.doesNotThrow(() => make("http://localhost:4010"));
    assert.throws(() => make("http://example.com"), (e: DomainError) => e.kind === "configuration" && /must use https/.test(e.message));
    assert.throws(() => make("not a url"), (e: DomainError) => e.kind === "configuration");
  });
  test("every call carries the api-version and the user agent", async () => {
    const { client, seen, api } = faulty([]);
    await client.listAll("api", ref(LOCAL_SCOPE, ["workspace", "default"]));
    await client.getService(LOCAL_SCOPE);
    for (const r of seen) {
      assert.match(r.url, /api-version=2024-03-01/);
      assert.match(r.headers.get("user-agent") ?? "", /apicenter-mcp/);
    }
    await api.close();
  });
});

describe("services take the same request path as every other resource", () => {
  const other = { ...LOCAL_SCOPE, resourceGroupName: "elsewhere", serviceName: "fabrikam" };

  test("lists follow nextLink, by subscription and by resource group, with the pipeline's policies", async () => {
    const { client, seen, api } = faulty([], { pageSize: 1 });
    await client.createOrUpdateService({ ...LOCAL_SCOPE, serviceName: "northwind" }, { location: "westeurope" });
    await client.createOrUpdateService(other, { location: "eastus" });
    const names = async (rg?: string) => {
      const out: string[] = [];
      for await (const s of client.listServices(LOCAL_SCOPE.subscriptionId, rg)) out.push(s.name);
      return out.sort();
    };
    seen.length = 0;
    assert.deepEqual(await names(), ["contoso", "fabrikam", "northwind"]);
    assert.deepEqual(await names(LOCAL_SCOPE.resourceGroupName), ["contoso", "northwind"]);
    assert.ok(seen.length >= 5, `one page per service: ${seen.length} requests`);
    for (const r of seen) {
      assert.equal(r.headers.get("authorization"), `Bearer ${SECRET}`);
      assert.match(r.headers.get("user-agent") ?? "", /apicenter-mcp/);
    }
    await api.close();
  });

  test("a missing service is named with its resource group and subscription, whatever the operation", async () => {
    const { client, api } = faulty([]);
    const missing = { ...LOCAL_SCOPE, serviceName: "no-such-service" };
    const named = (e: DomainError) =>
      e.kind === "not_found" && e.message.includes(`API Center service 'no-such-service' was not found in resource group '${LOCAL_SCOPE.resourceGroupName}' of subscription '${LOCAL_SCOPE.subscriptionId}'`);
    await assert.rejects(client.getService(missing), named);
    await assert.rejects(client.updateService(missing, { tags: { team: "x" } }), named);
    await api.close();
  });

  test("a 404 the service explains keeps its explanation; a bare one gets the client's", async () => {
    const { client, api } = faulty([
      { status: 404, body: '{"error":{"code":"ResourceGroupNotFound","message":"Resource group \'nope\' could not be found."}}' },
      { status: 404, body: '{"code":"404"}' },
    ]);
    const list = async (rg: string) => {
      for await (const _ of client.listServices(LOCAL_SCOPE.subscriptionId, rg)) void _;
    };
    await assert.rejects(list("nope"), (e: DomainError) => e.kind === "not_found" && /Resource group 'nope' could not be found/.test(e.message));
    await assert.rejects(list("gone"), (e: DomainError) => e.kind === "not_found" && /resource group 'gone' was not found in subscription .*check the resource group/.test(e.message));
    await api.close();
  });

  test("a service answer the model refuses is an upstream error naming what is wrong", async () => {
    const { client, api } = faulty([{ status: 200, body: '{"name":"contoso","type":"Microsoft.ApiCenter/services"}' }]);
    await assert.rejects(client.getService(LOCAL_SCOPE), (e: DomainError) => e.kind === "upstream" && /unexpected service: .*location/.test(e.message));
    await api.close();
  });
});

describe("delete", () => {
  test("succeeds whether or not there was anything to delete, and honours If-Match", async () => {
    const { client, api } = faulty([{ status: 404, body: '{"code":"404"}' }]);
    await assert.doesNotReject(client.delete(apiRef), "a missing parent: nothing to delete");
    await client.delete(apiRef);
    const { etag } = await client.createOrUpdate("api", apiRef, { title: "Orders", kind: "rest" });
    await assert.rejects(client.delete(apiRef, { ifMatch: '"stale"' }), (e: DomainError) => e.kind === "precondition_failed");
    assert.equal(await client.exists(apiRef), true);
    await client.delete(apiRef, { ifMatch: etag! });
    assert.equal(await client.exists(apiRef), false);
    await client.delete(ref({ ...LOCAL_SCOPE, serviceName: "no-such-service" }));
    await api.close();
  });
});
