import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
import { LocalTokenCredential, checkEndpoint } from "./pipeline.js";

/**
 * The credential for an ARM endpoint: a standalone local API Center on loopback takes any bearer
 * token, so it gets a fixed one; anything else gets DefaultAzureCredential (environment, workload
 * identity, managed identity, Azure CLI, Azure Developer CLI, PowerShell).
 */
export function credentialFor(endpoint: string): TokenCredential {
  return checkEndpoint(endpoint).protocol === "http:" ? new LocalTokenCredential() : new DefaultAzureCredential();
}
