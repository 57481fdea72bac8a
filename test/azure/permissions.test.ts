/**
 * The write-access check behind `doctor`: ARM's permission matching, and the permissions list read
 * through the one pipeline with Microsoft.Authorization's own api-version and paging.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createHttpHeaders, type HttpClient, type PipelineRequest } from "@azure/core-rest-pipeline";
import { inProcessHttpClient } from "../../src/azure/in-process.js";
import { AUTHORIZATION_API_VERSION, allows, listPermissions } from "../../src/azure/permissions.js";
import { LocalTokenCredential } from "../../src/azure/pipeline.js";
import { DomainError } from "../../src/domain/errors.js";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import { LOCAL_SCOPE } from "../helpers/backends.js";

const WRITE = "Microsoft.ApiCenter/services/workspaces/apis/write";
const SERVICE_ID = `/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}`;

test("ARM's matching: wildcards, case, and notActions within the same grant", () => {
  const p = (actions: string[], notActions: string[] = []) => ({ actions, notActions });
  assert.equal(allows([p(["*"])], WRITE), true, "Owner/Contributor");
  assert.equal(allows([p(["Microsoft.ApiCenter/*"])], WRITE), true);
  assert.equal(allows([p(["microsoft.apicenter/services/*/write"])], WRITE), true, "case-insensitive, * spans segments");
  assert.equal(allows([p(["*/read"])], WRITE), false, "Reader");
  assert.equal(allows([p(["Microsoft.ApiCenter/services/read"])], WRITE), false);
  assert.equal(allows([p(["*"], ["Microsoft.ApiCenter/*/write"])], WRITE), false, "notActions of the grant exclude it");
  assert.equal(allows([p(["*"], ["Microsoft.ApiCenter/*/write"]), p([WRITE])], WRITE), true, "another role's grant still allows it");
  assert.equal(allows([], WRITE), false);
  assert.equal(allows([p(["Microsoft.ApiCenter.Extra/*"])], WRITE), false, "a dot is not a wildcard");
});

test("the list goes out with Microsoft.Authorization's api-version, follows nextLink, and maps refusals", async () => {
  const seen: PipelineRequest[] = [];
  const pages = [
    { status: 200, body: { value: [{ actions: ["*/read"], notActions: [] }], nextLink: "https://management.azure.com/next-page?api-version=2022-04-01&$skiptoken=2" } },
    { status: 200, body: { value: [{ actions: [WRITE], notActions: [], dataActions: [], notDataActions: [] }] } },
    { status: 403, body: { error: { code: "AuthorizationFailed", message: "The client does not have authorization" } } },
  ];
  const httpClient: HttpClient = {
    async sendRequest(request) {
      seen.push(request);
      const page = pages.shift()!;
      return { request, status: page.status, headers: createHttpHeaders({ "content-type": "application/json" }), bodyAsText: JSON.stringify(page.body) };
    },
  };
  const options = { endpoint: "https://management.azure.com", credential: new LocalTokenCredential(), httpClient, maxRetries: 0 };
  const permissions = await listPermissions(options, SERVICE_ID);
  assert.equal(permissions.length, 2);
  assert.equal(allows(permissions, WRITE), true);
  const first = new URL(seen[0]!.url);
  assert.equal(first.pathname, `${SERVICE_ID}/providers/Microsoft.Authorization/permissions`);
  assert.equal(first.searchParams.get("api-version"), AUTHORIZATION_API_VERSION, "not the API Center client's api-version");
  assert.equal(new URL(seen[1]!.url).searchParams.get("$skiptoken"), "2");
  assert.match(seen[0]!.headers.get("authorization") ?? "", /^Bearer /);

  await assert.rejects(listPermissions(options, SERVICE_ID), (e: Error) => e instanceof DomainError && e.kind === "forbidden" && /lacks permission/.test(e.message));
});

test("the local API Center grants everything to any token, at Microsoft.Authorization's api-version", async () => {
  const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE });
  try {
    const httpClient = inProcessHttpClient((r) => api.handle(r));
    const permissions = await listPermissions({ endpoint: "https://local-api-center.invalid", credential: new LocalTokenCredential(), httpClient }, SERVICE_ID);
    assert.equal(allows(permissions, WRITE), true);
    assert.equal(allows(permissions, "Microsoft.ApiCenter/services/workspaces/apis/delete"), true);
  } finally {
    await api.close();
  }
});
