/**
 * Importing from API Management into the inventory, as live Azure does it: `importFromApim` answers
 * 202 with a location, its operationResults answer 202 NotStarted/InProgress then 200 Succeeded (or
 * Failed with the reason); meanwhile API Center reads the API Management service itself, with its
 * managed identity, which needs a role that reads the service. API sources (apiSources.ts) run the
 * same import on every sync. All of one import is written in one transaction: it lands whole or not
 * at all.
 */
import { randomUUID } from "node:crypto";
import { apimServiceId, gatewayApiUrl, parseApimSourceId, type ApimServiceRef } from "../../arm/apim/resource-id.js";
import { APIM_READER_ROLE, grantReaderCommand } from "../../arm/authorization.js";
import { ImportFromApimRequest } from "../../arm/models.js";
import { childRef, formatServiceRelativeId, parseResourceId, type ResourceRef } from "../../arm/resource-id.js";
import type { ApimApiView, ApimReader, ApimServiceView } from "../apim/reader.js";
import type { RoleAssignments } from "../authorization/provider.js";
import { LinkProblem } from "../fetch-document.js";
import type { OperationRow, StoredResource } from "../store.js";
import { empty, fail, type EmulatorResponse } from "../wire.js";
import { IMPORTED_DEFINITION, importedApiName, importedEnvironmentName, importedKind, importedVersion, specDigest } from "./apim-mapping.js";
import type { ApiCenterResources } from "./resources.js";
import type { SpecOperations } from "./specs.js";

/** Why an import could not run, with the code its operation fails with. */
export class ImportFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportPlan {
  /** The API Center service imported into. */
  service: ResourceRef;
  workspace: string;
  sources: Array<{ apim: ApimServiceRef; apis: string[] | "*" }>;
  /** The environment to deploy to; by default one per API Management service, named after it. */
  environmentName?: string;
  lifecycleStage: string;
  /** Whether definitions with their specs come along. */
  specs: boolean;
  /** The API source this import runs for (null: a one-off import). */
  apiSourceKey: string | null;
  /** A user-assigned identity to read API Management with, instead of the system-assigned one. */
  msiResourceId?: string;
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export class ApimImports {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly resources: ApiCenterResources,
    private readonly specs: SpecOperations,
    private readonly apim: ApimReader,
    private readonly roles: RoleAssignments,
  ) {}

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** `POST {service}/importFromApim`: checked at once, run in the background, polled at its location. */
  start(url: URL, service: StoredResource, serviceRef: ResourceRef, body: Record<string, unknown>): EmulatorResponse {
    const parsed = ImportFromApimRequest.safeParse(body);
    if (!parsed.success) return fail(400, "ValidationError", `sourceResourceIds: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    const bad = parsed.data.sourceResourceIds.filter((id) => !parseApimSourceId(id));
    if (bad.length) {
      return fail(
        400,
        "ValidationError",
        `sourceResourceIds must be API Management API ids (/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}/apis/{api}, or /apis/* for all): ${bad.map((b) => `'${clip(b, 200)}'`).join(", ")}`,
      );
    }
    const bySource = new Map<string, { apim: ApimServiceRef; apis: string[] | "*" }>();
    for (const id of parsed.data.sourceResourceIds) {
      const { service: apim, apiId } = parseApimSourceId(id)!;
      const key = apimServiceId(apim).toLowerCase();
      const entry = bySource.get(key) ?? { apim, apis: [] as string[] };
      entry.apis = apiId === "*" || entry.apis === "*" ? "*" : [...entry.apis, apiId];
      bySource.set(key, entry);
    }
    const op: OperationRow = {
      id: randomUUID().replace(/-/g, ""),
      resourceKey: service.key,
      resourceId: service.id,
      status: "NotStarted",
      startTime: new Date().toISOString(),
      endTime: null,
      errorCode: null,
      errorMessage: null,
    };
    const store = this.resources.store;
    store.putOperation(op);
    const plan: ImportPlan = { service: serviceRef, workspace: "default", sources: [...bySource.values()], lifecycleStage: "design", specs: true, apiSourceKey: null };
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        store.putOperation({ ...op, status: "InProgress", startTime: new Date().toISOString() });
        let outcome: Partial<OperationRow> = { status: "Succeeded" };
        try {
          this.run(plan);
        } catch (e) {
          const f = e instanceof ImportFailure || e instanceof LinkProblem ? e : new ImportFailure("ImportFailed", (e as Error).message);
          outcome = { status: "Failed", errorCode: f.code, errorMessage: f.message };
        }
        const started = store.getOperation(op.id);
        store.putOperation({ ...op, ...started, ...outcome, endTime: new Date().toISOString() } as OperationRow);
      })
      .catch(() => {
        // The store was closed under a running import: nothing is left to record the outcome in.
      })
      .finally(() => this.running.delete(task));
    this.running.add(task);
    const version = url.searchParams.get("api-version");
    return empty(202, { location: `${url.origin}${service.id}/operationResults/${op.id}?api-version=${version}` });
  }

  /** Reads what the plan names from API Management and writes it into the inventory; throws ImportFailure. */
  run(plan: ImportPlan): { apis: string[] } {
    return this.resources.transaction(() => {
      const service = this.resources.get(plan.service);
      if (!service) throw new ImportFailure("ResourceNotFound", `API Center service '${plan.service.chain[0]!.name}' was not found`);
      const principal = this.principalOf(service, plan.msiResourceId);
      const reads = plan.sources.map(({ apim, apis }) => {
        const svc = this.apim.service(apim);
        if (!svc) throw new ImportFailure("ResourceNotFound", `API Management service '${apimServiceId(apim)}' was not found: check the subscription, resource group and name`);
        if (!this.roles.principalCanReadApim(principal, svc.id)) {
          throw new ImportFailure(
            "AuthorizationFailed",
            `API Center's managed identity (principal '${principal}') does not have authorization to read API Management service '${svc.id}': assign it the '${APIM_READER_ROLE}' there (${grantReaderCommand(principal, svc.id)})`,
          );
        }
        if (svc.activating) throw new ImportFailure("Conflict", `API Management service '${svc.name}' is still activating: import once its create has succeeded`);
        const list =
          apis === "*"
            ? this.apim.apis(apim)
            : apis.map((a) => this.apim.api(apim, a) ?? fail404(a, svc));
        return { apim, svc, list };
      });
      const names: string[] = [];
      for (const { apim, svc, list } of reads) {
        const environment = this.ensureEnvironment(plan, svc);
        for (const api of list) names.push(this.importApi(plan, apim, svc, api, environment));
      }
      return { apis: names };
    });
  }

  /** The principal API Center reads API Management as: its system-assigned identity, or the user-assigned one named. */
  private principalOf(service: StoredResource, msiResourceId: string | undefined): string {
    const identity = (service.doc.identity ?? {}) as { type?: string; principalId?: string; userAssignedIdentities?: Record<string, { principalId?: string }> };
    if (msiResourceId) {
      const found = Object.entries(identity.userAssignedIdentities ?? {}).find(([k]) => k.toLowerCase() === msiResourceId.toLowerCase())?.[1]?.principalId;
      if (!found) throw new ImportFailure("ManagedIdentityNotFound", `the managed identity '${msiResourceId}' is not assigned to API Center service '${service.name}': add it to the service's identity first`);
      return found;
    }
    if (!String(identity.type ?? "").toLowerCase().includes("systemassigned") || !identity.principalId) {
      throw new ImportFailure(
        "ManagedIdentityNotEnabled",
        `API Center service '${service.name}' has no system-assigned managed identity to read API Management with: enable one (az apic update -g ${service.id.split("/")[4]} -n ${service.name} --identity '{"type":"SystemAssigned"}'), then grant it the '${APIM_READER_ROLE}' on the API Management service`,
      );
    }
    return identity.principalId;
  }

  private ensureEnvironment(plan: ImportPlan, svc: ApimServiceView): ResourceRef {
    const ws = childRef(plan.service, "workspace", plan.workspace);
    const ref = childRef(ws, "environment", plan.environmentName ?? importedEnvironmentName(svc.name));
    const existing = this.resources.get(ref)?.doc.properties;
    // The server type is the source's to say; the rest stays as API Center users configured it.
    const properties = existing
      ? { ...existing, server: { ...((existing.server as object | undefined) ?? {}), type: "Azure API Management" } }
      : {
          title: clip(svc.name, 50),
          description: `Azure API Management service ${svc.id}, gateway ${svc.gatewayUrl}`,
          kind: "production",
          server: { type: "Azure API Management", managementPortalUri: [`https://portal.azure.com/#@/resource${svc.id}`] },
          ...(svc.developerPortalUrl ? { onboarding: { developerPortalUri: [svc.developerPortalUrl] } } : {}),
          customProperties: {},
        };
    this.resources.put(ref, { properties });
    return ref;
  }

  private importApi(plan: ImportPlan, apim: ApimServiceRef, svc: ApimServiceView, api: ApimApiView, environment: ResourceRef): string {
    const ws = childRef(plan.service, "workspace", plan.workspace);
    const apiRef = childRef(ws, "api", importedApiName(api.id));
    const before = this.resources.get(apiRef)?.doc.properties;
    // Title, description and kind are the source's; everything else is API Center's users' to set.
    const fromSource = { title: clip(api.displayName, 50), kind: importedKind(api.type), ...(api.description ? { description: clip(api.description, 1000) } : {}) };
    const apiProps = before
      ? { ...before, ...fromSource }
      : { ...fromSource, externalDocumentation: [], contacts: [], customProperties: {} };
    if (before && !api.description) delete (apiProps as Record<string, unknown>).description;
    delete (apiProps as Record<string, unknown>).lifecycleStage;
    this.resources.put(apiRef, { properties: apiProps });

    const v = importedVersion(api.apiVersion);
    const versionRef = childRef(apiRef, "version", v.name);
    const versionBefore = this.resources.get(versionRef)?.doc.properties;
    this.resources.put(versionRef, { properties: { title: v.title, lifecycleStage: versionBefore?.lifecycleStage ?? plan.lifecycleStage } });

    let definitionId: string | undefined;
    let digest: string | null = null;
    const description = plan.specs ? this.apim.description(apim, api.name) : null;
    if (description) {
      const d = IMPORTED_DEFINITION[description.specName];
      const defRef = childRef(versionRef, "definition", d.name);
      const defBefore = this.resources.get(defRef)?.doc.properties;
      this.resources.put(defRef, { properties: { title: d.title, ...(defBefore?.description ? { description: defBefore.description } : {}) } });
      this.specs.save(this.resources.get(defRef)!.key, description.text, { name: description.specName });
      definitionId = formatServiceRelativeId(defRef);
      digest = specDigest(description.text);
    }

    const deploymentRef = childRef(apiRef, "deployment", environment.chain[environment.chain.length - 1]!.name);
    const depBefore = this.resources.get(deploymentRef)?.doc.properties;
    const runtimeUri = [gatewayApiUrl(svc.gatewayUrl, api.path, api.apiVersion, api.versioningScheme)];
    const deployment = {
      title: clip(`${api.displayName} on ${svc.name}`, 50),
      state: "active",
      customProperties: {},
      recommended: false,
      ...(depBefore ?? {}),
      environmentId: formatServiceRelativeId(environment),
      ...(definitionId ? { definitionId } : {}),
      server: { ...((depBefore?.server as object | undefined) ?? {}), runtimeUri },
    };
    this.resources.put(deploymentRef, { properties: deployment });

    const apiKey = this.resources.get(apiRef)!.key;
    const previous = this.resources.store.getImported(apiKey);
    this.resources.store.putImported({
      apiKey,
      sourceId: api.id,
      // A one-off import does not take an API away from the API source that syncs it.
      apiSourceKey: plan.apiSourceKey ?? previous?.apiSourceKey ?? null,
      specDigest: digest ?? previous?.specDigest ?? null,
      importedAt: new Date().toISOString(),
    });
    return apiRef.chain[apiRef.chain.length - 1]!.name;
  }

  /** The ids of the service's current APIs, as an API source keeps them. */
  currentApiIds(apim: ApimServiceRef): string[] {
    return this.apim.apis(apim).map((a) => a.id);
  }

  /** Removes what an API source brought in that its API Management service no longer has. */
  prune(apiSourceKey: string, keep: Set<string>): string[] {
    const removed: string[] = [];
    for (const row of this.resources.store.importedBySource(apiSourceKey)) {
      if (keep.has(row.sourceId.toLowerCase())) continue;
      const ref = parseResourceId(row.apiKey);
      if (ref) this.resources.remove(ref);
      removed.push(row.apiKey);
    }
    return removed;
  }
}

function fail404(apiId: string, svc: ApimServiceView): never {
  throw new ImportFailure("ResourceNotFound", `API '${apiId}' was not found in API Management service '${svc.name}': list its APIs to check the id (not the display name)`);
}
