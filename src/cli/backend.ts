/** Composes the backend: the ARM client over Azure, or over the embedded local API Center, and the journal of plans in flight. */
import type { ServiceScope } from "../arm/resource-id.js";
import { ApiCenterArmClient } from "../azure/arm-client.js";
import { changeSourceOf } from "../azure/changes.js";
import { ArmGateway, type WorkspaceReader } from "../azure/gateway.js";
import { credentialFor, type TokenCredential } from "../azure/credentials.js";
import { inProcessHttpClient } from "../azure/in-process.js";
import { LocalTokenCredential } from "../azure/pipeline.js";
import type { Config } from "../config/config.js";
import type { ChangeSource } from "../domain/intelligence/index-store.js";
import type { PlanJournal } from "../domain/journal.js";
import { LocalApiCenter } from "../emulator/local-api-center.js";
import { backendInfo, IN_PROCESS_ENDPOINT } from "./backend-info.js";

export interface Backend {
  client: ApiCenterArmClient;
  gateway: ArmGateway;
  scope: ServiceScope;
  /** One line for the start-up message. */
  description: string;
  /** Plans in flight, beside the local database; absent for an in-memory one, which no crash outlives. */
  journal?: PlanJournal;
  /** The backend's history of changes, where it keeps one (the local API Center). */
  changes?: ChangeSource;
  close(): Promise<void>;
}

/** `credential` replaces the one the endpoint would get (doctor passes the one that answered its probe). */
export function createBackend(config: Config, credential?: TokenCredential): Backend {
  const info = backendInfo(config);
  const { scope, description } = info;
  const journal = info.journal ? { journal: info.journal } : {};
  if (config.backend === "local") {
    const local = new LocalApiCenter({ db: config.dbPath, seed: scope, apiSourceSyncIntervalMs: config.syncIntervalSeconds * 1000, allowFetchHosts: config.allowFetchHosts, ...(config.throttle ? { throttle: config.throttle } : {}) });
    const client = new ApiCenterArmClient({
      endpoint: IN_PROCESS_ENDPOINT,
      credential: new LocalTokenCredential(),
      httpClient: inProcessHttpClient((req) => local.handle(req)),
      pollIntervalMs: 50,
      budget: { reserve: config.armReserve },
    });
    // The index reads whole workspaces from the database, unless the point is to meet ARM's limits.
    const reader: WorkspaceReader | undefined = config.throttle ? undefined : (ref) => local.readWorkspace(ref);
    return { client, gateway: new ArmGateway(client, info.service, description, reader), scope, description, ...journal, changes: changeSourceOf(local), close: () => local.close() };
  }
  const client = new ApiCenterArmClient({
    endpoint: config.armEndpoint,
    credential: credential ?? credentialFor(config.armEndpoint),
    ...(config.armScope ? { credentialScopes: config.armScope } : {}),
    budget: { reserve: config.armReserve },
  });
  return { client, gateway: new ArmGateway(client, info.service, description), scope, description, ...journal, close: async () => {} };
}
