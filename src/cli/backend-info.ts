/**
 * What the backend is, known from the configuration alone (no Azure SDK, no SQLite): its service, its one-line
 * description, the endpoint dry runs show, and the journal of plans in flight. The server answers with this while
 * the backend itself loads (deferred-backend.ts).
 */
import { dirname, join, resolve } from "node:path";
import type { ServiceScope } from "../arm/resource-id.js";
import { nameProblem } from "../arm/resource-types.js";
import { ConfigError, type Config } from "../config/config.js";
import type { ServiceTarget } from "../domain/gateway.js";
import { FileJournal, journalDir } from "../journal/file-journal.js";

/** The in-process endpoint: https (so the SDK's bearer policy runs as on Azure) and `.invalid`, so it can never resolve. */
export const IN_PROCESS_ENDPOINT = "https://local-api-center.invalid";

export interface BackendInfo {
  scope: ServiceScope;
  service: Required<ServiceTarget>;
  /** One line for the start-up message. */
  description: string;
  /** The origin ARM calls go to. */
  endpoint: string;
  /** Plans in flight, beside the local database; absent for an in-memory one, which no crash outlives. */
  journal?: FileJournal;
}

export function backendInfo(config: Config): BackendInfo {
  const scope: ServiceScope = {
    subscriptionId: config.subscriptionId,
    resourceGroupName: config.resourceGroup,
    serviceName: config.serviceName,
  };
  const service = { subscriptionId: config.subscriptionId, resourceGroup: config.resourceGroup, serviceName: config.serviceName };
  if (config.backend === "local") {
    return {
      scope,
      service,
      description: `local API Center (${config.dbPath}), service '${scope.serviceName}'`,
      endpoint: IN_PROCESS_ENDPOINT,
      ...(config.dbPath === ":memory:" ? {} : { journal: journalFor(config, `local:${resolve(config.dbPath)}`) }),
    };
  }
  const problem = nameProblem("service", config.serviceName);
  if (problem) throw new ConfigError(`${problem} (set by --service or APICENTER_SERVICE)`);
  const origin = new URL(config.armEndpoint).origin;
  return {
    scope,
    service,
    description: `Azure API Center '${scope.serviceName}' in resource group '${scope.resourceGroupName}' via ${origin}`,
    endpoint: origin,
    journal: journalFor(config, origin),
  };
}

/** The journal lives beside the local database (in the per-user data directory by default), one directory per backend and service. */
function journalFor(config: Config, backend: string): FileJournal {
  const base = join(dirname(resolve(config.dbPath)), "journal");
  return new FileJournal(journalDir(base, backend, { subscriptionId: config.subscriptionId, resourceGroup: config.resourceGroup, serviceName: config.serviceName }));
}
