/**
 * `apicenter-mcp emulator seed-apim`: a local API Management with APIs, in the local API Center's
 * database, made through the same ARM API a user would call (the ARM client over the in-process
 * transport), and ready to import from: the local API Center's service gets a system-assigned
 * identity and the reader role on the new service, as the docs have users do on Azure.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { ApimServiceRef } from "../arm/apim/resource-id.js";
import { ApimArmClient } from "../azure/apim-client.js";
import { ApiCenterArmClient } from "../azure/arm-client.js";
import { inProcessHttpClient } from "../azure/in-process.js";
import { LocalTokenCredential } from "../azure/pipeline.js";
import { ConfigError, LOCAL_SERVICE, type Config, type Flags } from "../config/config.js";
import { DomainError } from "../domain/errors.js";
import { LocalApiCenter } from "../emulator/local-api-center.js";
import { IN_PROCESS_ENDPOINT } from "./backend-info.js";
import { ensureDirectoryOf } from "./data-dir.js";
import type { Logger } from "./log.js";

/** What a new Developer-tier API Management service comes with: its Echo API. */
const ECHO_API = {
  openapi: "3.0.1",
  info: { title: "Echo API", version: "1.0" },
  paths: {
    "/resource": {
      get: { operationId: "retrieve-resource", summary: "Retrieve resource", responses: { "200": { description: "OK" } } },
      post: { operationId: "create-resource", summary: "Create resource", responses: { "200": { description: "OK" } } },
    },
  },
};

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "api";

/** The APIs to create: one per --spec file (OpenAPI JSON or YAML), or the Echo API. */
function apisFrom(files: string[]): Array<{ apiId: string; title: string; value: string }> {
  if (files.length === 0) return [{ apiId: "echo-api", title: "Echo API", value: JSON.stringify(ECHO_API) }];
  return files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new ConfigError(`cannot read --spec ${file}: ${(e as Error).message}`);
    }
    const doc = (() => {
      try {
        return parseYaml(text) as { openapi?: unknown; swagger?: unknown; info?: { title?: unknown } } | null;
      } catch {
        return null;
      }
    })();
    if (!doc || !(doc.openapi || doc.swagger)) throw new ConfigError(`--spec ${file} is not an OpenAPI or Swagger document`);
    const title = typeof doc.info?.title === "string" ? doc.info.title : file;
    return { apiId: slug(title), title, value: text };
  });
}

export async function seedApim(flags: Flags, config: Config, log: Logger): Promise<void> {
  if (config.backend !== "local") throw new ConfigError("seed-apim fills the local API Center's database: run it without Azure settings (and with --db for another file)");
  const name = flags.apim ?? "local-apim";
  const apis = apisFrom(flags.spec ?? []);
  ensureDirectoryOf(config.dbPath, "the local database (--db, APICENTER_DB)");
  const local = new LocalApiCenter({
    db: config.dbPath,
    seed: { subscriptionId: LOCAL_SERVICE.subscriptionId, resourceGroupName: LOCAL_SERVICE.resourceGroup, serviceName: LOCAL_SERVICE.serviceName },
    apiSourceSyncIntervalMs: 0,
  });
  try {
    const client = new ApiCenterArmClient({ endpoint: IN_PROCESS_ENDPOINT, credential: new LocalTokenCredential(), httpClient: inProcessHttpClient((r) => local.handle(r)), pollIntervalMs: 100 });
    const apim = new ApimArmClient(client);
    const ref: ApimServiceRef = { subscriptionId: LOCAL_SERVICE.subscriptionId, resourceGroupName: LOCAL_SERVICE.resourceGroup, serviceName: name };
    log.info(`creating or updating API Management service '${name}' (a new one activates first)`);
    const service = await apim.createOrUpdateService(ref, {
      location: "eastus",
      sku: { name: "Developer", capacity: 1 },
      properties: { publisherEmail: "apis@example.com", publisherName: "Local" },
    });
    for (const api of apis) {
      await apim.createOrUpdateApi({ ...ref, apiId: api.apiId }, { path: api.apiId, format: "openapi", value: api.value, displayName: api.title.slice(0, 300) });
      log.info(`API '${api.apiId}' (${api.title}) created or updated in '${name}'`);
    }
    const apiCenter = { subscriptionId: LOCAL_SERVICE.subscriptionId, resourceGroupName: LOCAL_SERVICE.resourceGroup, serviceName: LOCAL_SERVICE.serviceName };
    let identity = (await client.getService(apiCenter)).identity;
    if (!identity?.principalId) identity = (await client.updateService(apiCenter, { identity: { type: "SystemAssigned" } })).identity;
    try {
      await apim.assignReaderRole(ref, identity!.principalId!);
    } catch (e) {
      // Seeding again: the assignment is already there.
      if (!(e instanceof DomainError && e.kind === "conflict")) throw e;
    }
    process.stdout.write(`${JSON.stringify({ apimService: service.id, gatewayUrl: service.properties.gatewayUrl, apis: apis.map((a) => a.apiId) })}\n`);
  } finally {
    await local.close();
  }
}
