/**
 * Contract tests from the official Microsoft.ApiManagement 2022-08-01 examples (../shared/apim-arm):
 * each example's request goes over HTTP to a fresh local API Management (after its prerequisites are
 * created through the same ARM API), and the answer must carry one of the example's status codes and
 * every property the example shows, but for ids, timestamps and generated values. Where an example
 * contradicts itself, the swagger or live Azure, DEFECTS says so and which properties are not compared
 * (and each of those must still differ, so a fixed example shows up).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { GENERATED, mismatches } from "../helpers/compare.js";
import { startEmulator } from "../helpers/backends.js";
import { apimAvailable, needsApim, readApimExamples, recordingsDir, type OfficialExample } from "../helpers/shared.js";

type Json = Record<string, any>;

const IGNORED = new Set([...GENERATED, "createdAtUtc"]);
const SVC = (p: Json) => `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.ApiManagement/service/${p.serviceName}`;

/** Where an example is wrong or shows what a local API Management does not model, and why. */
const DEFECTS: Record<string, { why: string; paths: string[] }> = {
  "ApiManagementCreateService.json": {
    why: "its answer describes another service than its request (publisher samir@, 'East US', a Standard sku, other tags) in the 2022-04-01-preview 'Created' state (live 2022-08-01 answers Activating, see the recordings); its host names keep the name's case, where real services (the list example, the recordings) give them in lower case",
    paths: [
      "$.tags.api-version",
      "$.location",
      "$.properties.publisherEmail",
      "$.properties.provisioningState",
      "$.properties.gatewayUrl",
      "$.properties.hostnameConfigurations[0].hostName",
      "$.sku.name",
      "$.properties.platformVersion",
    ],
  },
  "ApiManagementServiceGetServiceHavingMsi.json": {
    why: "custom host names with Key Vault certificates, a virtual network and public IP addresses are infrastructure a local API Management does not have; its host names keep the name's case (real services give them in lower case)",
    paths: [
      "$.properties.gatewayUrl",
      "$.properties.gatewayRegionalUrl",
      "$.properties.portalUrl",
      "$.properties.developerPortalUrl",
      "$.properties.managementApiUrl",
      "$.properties.scmUrl",
      "$.properties.hostnameConfigurations",
      "$.properties.publicIPAddresses",
      "$.properties.virtualNetworkConfiguration",
      "$.properties.virtualNetworkType",
    ],
  },
  "ApiManagementListServiceBySubscriptionAndResourceGroup.json": {
    why: "custom host names, additional regions, uploaded certificates and public IP addresses are infrastructure a local API Management does not have",
    paths: [
      "$.value[0].properties.hostnameConfigurations",
      "$.value[0].properties.publicIPAddresses",
      "$.value[0].properties.additionalLocations",
      "$.value[0].properties.certificates",
      "$.value[2].properties.publicIPAddresses",
      "$.value[3].properties.publicIPAddresses",
      "$.value[3].properties.additionalLocations",
      "$.value[3].properties.certificates",
    ],
  },
  "ApiManagementCreateApi.json": {
    why: "the answer names the API 'apiid9419' for the 'tempgroup' the path names, lists the protocols in another order than sent, and shows isOnline, which live answers lack",
    paths: ["$.name", "$.properties.protocols[0]", "$.properties.protocols[1]", "$.properties.isOnline"],
  },
  "ApiManagementCreateApiUsingOai3Import.json": {
    why: "the answer names the API 'petstoreapi' for the 'petstore' the path names",
    paths: ["$.name"],
  },
  "ApiManagementGetApiExportInOpenApi3dot0.json": {
    why: "its link is a placeholder ('https: //apimgmtst...'); the test fetches the local link instead and checks it is the API's OpenAPI 3 document",
    paths: ["$.value.link"],
  },
};

interface Case {
  method: string;
  path: (p: Json) => string;
  query?: string;
  /** Prerequisites, created through the ARM API. */
  seed?: (send: Send, p: Json, example: OfficialExample) => Promise<void>;
  body?: (p: Json) => unknown;
  headers?: Record<string, string>;
}

type Send = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; json: Json; headers: Headers }>;

const servicePut = (location = "West US", extra: Json = {}) => ({ location, sku: { name: "Developer", capacity: 1 }, properties: { publisherEmail: "foo@contoso.com", publisherName: "foo", ...extra.properties }, ...extra.top });

const CASES: Record<string, Case> = {
  "ApiManagementCreateService.json": { method: "PUT", path: SVC, body: (p) => p.parameters },
  "ApiManagementServiceGetServiceHavingMsi.json": {
    method: "GET",
    path: SVC,
    seed: async (send, p, ex) => {
      const shown = ex.responses["200"]!.body as Json;
      const ids = Object.fromEntries(Object.keys(shown.identity.userAssignedIdentities).map((k) => [k, {}]));
      await send("PUT", SVC(p), {
        location: shown.location,
        sku: shown.sku,
        tags: shown.tags,
        identity: { type: shown.identity.type, userAssignedIdentities: ids },
        properties: writable(shown.properties),
      });
    },
  },
  "ApiManagementListServiceBySubscriptionAndResourceGroup.json": {
    method: "GET",
    path: (p) => `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.ApiManagement/service`,
    seed: async (send, p, ex) => {
      for (const s of (ex.responses["200"]!.body as Json).value as Json[]) {
        await send("PUT", SVC({ ...p, serviceName: s.name }), {
          location: s.location,
          sku: s.sku,
          tags: s.tags,
          ...(s.identity ? { identity: { type: s.identity.type, ...(s.identity.userAssignedIdentities ? { userAssignedIdentities: Object.fromEntries(Object.keys(s.identity.userAssignedIdentities).map((k) => [k, {}])) } : {}) } } : {}),
          properties: writable(s.properties),
        });
      }
    },
  },
  "ApiManagementServiceDeleteService.json": { method: "DELETE", path: SVC, seed: async (send, p) => void (await send("PUT", SVC(p), servicePut())) },
  "ApiManagementCreateApi.json": { method: "PUT", path: (p) => `${SVC(p)}/apis/${p.apiId}`, seed: async (send, p) => void (await send("PUT", SVC(p), servicePut())), body: (p) => p.parameters },
  "ApiManagementCreateApiUsingOai3Import.json": {
    method: "PUT",
    path: (p) => `${SVC(p)}/apis/${p.apiId}`,
    seed: async (send, p) => void (await send("PUT", SVC(p), servicePut())),
    body: (p) => ({ properties: { ...p.parameters.properties, value: `${docBase}/petstore.yaml` } }),
  },
  "ApiManagementGetApiRevision.json": {
    method: "GET",
    path: (p) => `${SVC(p)}/apis/${encodeURIComponent(p.apiId)}`,
    seed: async (send, p, ex) => {
      await send("PUT", SVC(p), servicePut());
      const shown = (ex.responses["200"]!.body as Json).properties;
      await send("PUT", `${SVC(p)}/apis/${encodeURIComponent(p.apiId)}`, { properties: { ...shown, isCurrent: undefined } }, { "if-match": "*" });
    },
  },
  "ApiManagementCreateApiOperation.json": {
    method: "PUT",
    path: (p) => `${SVC(p)}/apis/${p.apiId}/operations/${p.operationId}`,
    seed: async (send, p) => {
      await send("PUT", SVC(p), servicePut());
      await send("PUT", `${SVC(p)}/apis/${p.apiId}`, { properties: { displayName: "Petstore", path: "petstore" } });
    },
    body: (p) => p.parameters,
    headers: { "if-match": "*" },
  },
  "ApiManagementGetApiExportInOpenApi3dot0.json": {
    method: "GET",
    path: (p) => `${SVC(p)}/apis/${p.apiId}`,
    query: "&export=true&format=openapi-link",
    seed: async (send, p) => {
      await send("PUT", SVC(p), servicePut());
      const doc = readFileSync(join(recordingsDir(), "test_assets", "petstore.yaml"), "utf8");
      await send("PUT", `${SVC(p)}/apis/${p.apiId}`, { properties: { path: "petstore", format: "openapi", value: doc } });
    },
  },
};

let docBase = "";

/** The writable properties a service example shows, to create it with. */
const writable = (p: Json): Json =>
  Object.fromEntries(
    ["publisherEmail", "publisherName", "notificationSenderEmail", "customProperties", "apiVersionConstraint", "enableClientCertificate", "disableGateway", "publicNetworkAccess"].filter((k) => p[k] !== undefined).map((k) => [k, p[k]]),
  );

describe("official API Management 2022-08-01 examples against the local API Management over HTTP", needsApim, () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let docs: Server;
  before(async () => {
    // The OpenAPI document an example imports by link is served on loopback.
    emu = await startEmulator({ seed: false, apimActivationMs: 0, allowFetchHosts: ["127.0.0.1"] });
    // The import example's link, served on loopback: the OpenAPI petstore it names.
    docs = createServer((_req, res) => res.writeHead(200, { "content-type": "application/yaml" }).end(readFileSync(join(recordingsDir(), "test_assets", "petstore.yaml"))));
    await new Promise<void>((r) => docs.listen(0, "127.0.0.1", r));
    docBase = `http://127.0.0.1:${(docs.address() as AddressInfo).port}`;
  });
  after(async () => {
    await emu?.close();
    await new Promise<void>((r) => docs?.close(() => r()));
  });
  const examples = apimAvailable ? readApimExamples() : [];

  test("every stored example has a case", () => {
    assert.deepEqual(examples.map((e) => e.file).sort(), Object.keys(CASES).sort());
  });

  for (const ex of examples) {
    test(ex.file, async () => {
      const c = CASES[ex.file]!;
      // Each example gets its own resource group so seeds never collide.
      const p: Json = { ...ex.parameters, resourceGroupName: `${String(ex.parameters.resourceGroupName)}-${ex.file.replace(/\W/g, "")}` };
      const send: Send = async (method, path, body, headers = {}) => {
        const res = await fetch(`${emu.http.url}${path}?api-version=2022-08-01${method === c.method && path === c.path(p) ? (c.query ?? "") : ""}`, {
          method,
          headers: { authorization: "Bearer t", "content-type": "application/json", ...headers },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        if (method !== c.method || path !== c.path(p)) assert.ok(res.status < 300, `seeding ${method} ${path} answered ${res.status}: ${text}`);
        return { status: res.status, json: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
      };
      await c.seed?.(send, p, ex);
      let res = await send(c.method, c.path(p), c.body?.(p), c.headers);
      if (res.status === 202 && c.method === "PUT" && res.headers.get("location")) {
        // A link import: polled until the API is there.
        for (let i = 0; i < 100 && res.status === 202; i++) {
          await emu.api.idle();
          const poll = await fetch(res.headers.get("location")!, { headers: { authorization: "Bearer t" } });
          res = { status: poll.status, json: JSON.parse((await poll.text()) || "{}") as Json, headers: poll.headers };
        }
      }
      const allowed = Object.keys(ex.responses);
      assert.ok(allowed.includes(String(res.status)), `status ${res.status} not among ${allowed.join("/")}: ${JSON.stringify(res.json)}`);
      const expected = ex.responses[String(res.status)]?.body;
      if (expected === undefined) return;
      const defect = DEFECTS[ex.file];
      const tolerated = new Set(defect?.paths ?? []);
      const found = mismatches(expected, res.json, IGNORED);
      assert.deepEqual(found.filter((m) => !tolerated.has(m.split(":")[0]!)), [], `answer differs from the example:\n${JSON.stringify(res.json, null, 1)}`);
      for (const path of tolerated) assert.ok(found.some((m) => m.startsWith(`${path}:`)), `DEFECTS lists ${path} for ${ex.file}, which now matches: remove it`);
      if (ex.file === "ApiManagementGetApiExportInOpenApi3dot0.json") {
        const blob = await fetch(res.json.value.link);
        assert.equal(blob.status, 200);
        const text = await blob.text();
        assert.match(text, /openapi: 3\.0\.1/);
        assert.match(text, /title: Swagger Petstore/);
        assert.match(text, /\/pets\/\{petId\}:/);
      }
    });
  }
});
