/** Composes the backend: the ARM client over Azure, or over the embedded local API Center, and the journal of plans in flight. */
import { dirname, join, resolve } from "node:path";
import type { ServiceScope } from "../arm/resource-id.js";
import { nameProblem } from "../arm/resource-types.js";
import { ApiCenterArmClient } from "../azure/arm-client.js";
import { ArmGateway } from "../azure/gateway.js";
import { credentialFor, type TokenCredential } from "../azure/credentials.js";
import { inProcessHttpClient } from "../azure/in-process.js";
import { LocalTokenCredential } from "../azure/pipeline.js";
import { ConfigError, type Config } from "../config/config.js";
import type { PlanJournal } from "../domain/journal.js";
import { LocalApiCenter } from "../emulator/local-api-center.js";
import { FileJournal, journalDir } from "../journal/file-journal.js";

/** The in-process endpoint: https (so the SDK's bearer policy runs as on Azure) and `.invalid`, so it can never resolve. */
export const IN_PROCESS_ENDPOINT = "https://local-api-center.invalid";

export interface Backend {
  client: ApiCenterArmClient;
  gateway: ArmGateway;
  scope: ServiceScope;
  /** One line for the start-up message. */
  description: string;
  /** Plans in flight, beside the local database; absent for an in-memory one, which no crash outlives. */
  journal?: PlanJournal;
  close(): Promise<void>;
}

/** `credential` replaces the one the endpoint would get (doctor passes the one that answered its probe). */
export function createBackend(config: Config, credential?: TokenCredential): Backend {
  const scope: ServiceScope = {
    subscriptionId: config.subscriptionId,
    resourceGroupName: config.resourceGroup,
    serviceName: config.serviceName,
  };
  if (config.backend === "local") {
    const local = new LocalApiCenter({ db: config.dbPath, seed: scope, apiSourceSyncIntervalMs: config.syncIntervalSeconds * 1000, allowFetchHosts: config.allowFetchHosts });
    const client = new ApiCenterArmClient({
      endpoint: IN_PROCESS_ENDPOINT,
      credential: new LocalTokenCredential(),
      httpClient: inProcessHttpClient((req) => local.handle(req)),
      pollIntervalMs: 50,
    });
    const description = `local API Center (${config.dbPath}), service '${scope.serviceName}'`;
    return {
      client,
      gateway: gatewayFor(client, scope, description),
      scope,
      description,
      ...(config.dbPath === ":memory:" ? {} : { journal: journalFor(config, `local:${resolve(config.dbPath)}`) }),
      close: () => local.close(),
    };
  }
  const problem = nameProblem("service", config.serviceName);
  if (problem) throw new ConfigError(`${problem} (set by --service or APICENTER_SERVICE)`);
  const client = new ApiCenterArmClient({
    endpoint: config.armEndpoint,
    credential: credential ?? credentialFor(config.armEndpoint),
    ...(config.armScope ? { credentialScopes: config.armScope } : {}),
  });
  const description = `Azure API Center '${scope.serviceName}' in resource group '${scope.resourceGroupName}' via ${new URL(config.armEndpoint).origin}`;
  return {
    client,
    gateway: gatewayFor(client, scope, description),
    scope,
    description,
    journal: journalFor(config, new URL(config.armEndpoint).origin),
    close: async () => {},
  };
}

/** The journal lives beside the local database (in the per-user data directory by default), one directory per backend and service. */
function journalFor(config: Config, backend: string): FileJournal {
  const base = join(dirname(resolve(config.dbPath)), "journal");
  return new FileJournal(journalDir(base, backend, { subscriptionId: config.subscriptionId, resourceGroup: config.resourceGroup, serviceName: config.serviceName }));
}

function gatewayFor(client: ApiCenterArmClient, scope: ServiceScope, description: string): ArmGateway {
  return new ArmGateway(client, { subscriptionId: scope.subscriptionId, resourceGroup: scope.resourceGroupName, serviceName: scope.serviceName }, description);
}
