/**
 * Backends for wire tests: the ARM client against the local API Center over real HTTP (the default),
 * or against live Azure when APICENTER_LIVE=1 with AZURE_SUBSCRIPTION_ID, APICENTER_RESOURCE_GROUP
 * and APICENTER_SERVICE set (credentials from DefaultAzureCredential).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResourceRef, ServiceScope } from "../../src/arm/resource-id.js";
import { ApiCenterArmClient } from "../../src/azure/arm-client.js";
import { credentialFor } from "../../src/azure/credentials.js";
import { serveEmulator, type RunningEmulator } from "../../src/emulator/http-server.js";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";

export const LOCAL_SCOPE: ServiceScope = {
  subscriptionId: "00000000-0000-0000-0000-000000000000",
  resourceGroupName: "wire-tests",
  serviceName: "contoso",
};

export interface WireBackend {
  client: ApiCenterArmClient;
  scope: ServiceScope;
  live: boolean;
  /** The HTTP base URL of the emulator (absent when live). */
  url?: string;
  emulator?: LocalApiCenter;
  close(): Promise<void>;
}

/** APICENTER_LIVE=1 (with real credentials) runs the wire tests against Azure instead of the local API Center. */
export const live = /^(1|true|yes|on)$/i.test(process.env.APICENTER_LIVE ?? "");

export function liveSkipReason(): string | false {
  if (!live) return false;
  const missing = ["AZURE_SUBSCRIPTION_ID", "APICENTER_RESOURCE_GROUP", "APICENTER_SERVICE"].filter((n) => !process.env[n]);
  return missing.length ? `APICENTER_LIVE=1 but ${missing.join(", ")} not set` : false;
}

/** A fresh local API Center served over HTTP on loopback, with a temporary database file. */
export async function startEmulator(
  opts: { seed?: boolean; pageSize?: number; apimActivationMs?: number; apiSourceFirstSyncMs?: number | null; apiSourceSyncIntervalMs?: number; allowFetchHosts?: string[] } = {},
): Promise<{
  api: LocalApiCenter;
  http: RunningEmulator;
  client: ApiCenterArmClient;
  dir: string;
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-wire-"));
  const api = new LocalApiCenter({
    db: join(dir, "apicenter.db"),
    ...(opts.seed === false ? {} : { seed: LOCAL_SCOPE }),
    ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
    ...(opts.apimActivationMs !== undefined ? { apimActivationMs: opts.apimActivationMs } : {}),
    ...(opts.apiSourceFirstSyncMs !== undefined ? { apiSourceFirstSyncMs: opts.apiSourceFirstSyncMs } : {}),
    ...(opts.apiSourceSyncIntervalMs !== undefined ? { apiSourceSyncIntervalMs: opts.apiSourceSyncIntervalMs } : {}),
    ...(opts.allowFetchHosts ? { allowFetchHosts: opts.allowFetchHosts } : {}),
  });
  const http = await serveEmulator(api);
  const client = new ApiCenterArmClient({
    endpoint: http.url,
    credential: credentialFor(http.url),
    pollIntervalMs: 20,
    maxRetries: 0,
  });
  return {
    api,
    http,
    client,
    dir,
    async close() {
      await http.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function wireBackend(): Promise<WireBackend> {
  if (live) {
    const scope: ServiceScope = {
      subscriptionId: process.env.AZURE_SUBSCRIPTION_ID!,
      resourceGroupName: process.env.APICENTER_RESOURCE_GROUP!,
      serviceName: process.env.APICENTER_SERVICE!,
    };
    const endpoint = process.env.APICENTER_ARM_ENDPOINT ?? "https://management.azure.com";
    const client = new ApiCenterArmClient({ endpoint, credential: credentialFor(endpoint) });
    return { client, scope, live: true, close: async () => {} };
  }
  const emu = await startEmulator();
  return { client: emu.client, scope: LOCAL_SCOPE, live: false, url: emu.http.url, emulator: emu.api, close: emu.close };
}

export function ref(scope: ServiceScope, ...chain: Array<[ResourceRef["chain"][number]["kind"], string]>): ResourceRef {
  return {
    subscriptionId: scope.subscriptionId,
    resourceGroupName: scope.resourceGroupName,
    chain: [{ kind: "service", name: scope.serviceName }, ...chain.map(([kind, name]) => ({ kind, name }))],
  };
}
