/** The domain wired to a real backend: the ARM gateway over an in-process local API Center (in memory). */
import { ApiCenterArmClient } from "../../src/azure/arm-client.js";
import { ArmGateway } from "../../src/azure/gateway.js";
import { inProcessHttpClient } from "../../src/azure/in-process.js";
import { LocalTokenCredential } from "../../src/azure/pipeline.js";
import { ApiManagement } from "../../src/domain/apim/api-management.js";
import { Curation } from "../../src/domain/curation.js";
import { Intelligence } from "../../src/domain/intelligence/intelligence.js";
import { Inventory } from "../../src/domain/inventory.js";
import { InventoryIndex, type IndexOptions } from "../../src/domain/intelligence/inventory-index.js";
import { SpectralLinter } from "../../src/spectral/spectral-linter.js";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import { LOCAL_SCOPE } from "./backends.js";

export function domainOnLocal(opts: { index?: IndexOptions; lintRuleset?: { text: string; source: string }; apimActivationMs?: number } = {}) {
  const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE, apimActivationMs: opts.apimActivationMs ?? 0, apiSourceFirstSyncMs: 0, apiSourceSyncIntervalMs: 0 });
  const client = new ApiCenterArmClient({
    endpoint: "https://local-api-center.invalid",
    credential: new LocalTokenCredential(),
    httpClient: inProcessHttpClient((r) => api.handle(r)),
    pollIntervalMs: 10,
  });
  const gateway = new ArmGateway(client, { subscriptionId: LOCAL_SCOPE.subscriptionId, resourceGroup: LOCAL_SCOPE.resourceGroupName, serviceName: LOCAL_SCOPE.serviceName }, "test");
  const index = new InventoryIndex(gateway, opts.index);
  return {
    api,
    gateway,
    index,
    inventory: new Inventory(gateway, index),
    curation: new Curation(gateway, (kind, path) => index.invalidate(kind, path)),
    apim: new ApiManagement(gateway, (kind, path) => index.invalidate(kind, path)),
    client,
    intelligence: new Intelligence(gateway, index, new SpectralLinter(opts.lintRuleset)),
    close: () => api.close(),
  };
}

export const openapi = (title: string, paths: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ openapi: "3.0.3", info: { title, version: "1.0.0", ...extra }, paths });
