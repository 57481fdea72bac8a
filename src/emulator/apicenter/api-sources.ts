/**
 * API sources (workspaces/{w}/apiSources, 2024-06-01-preview): a standing link to an API Management
 * service that keeps the inventory in sync with it. As live Azure answers (test_integration_create_apim):
 * a PUT answers 200 with `linkState: initializing` and the defaults filled in (target environment
 * `azure-api-management`, stages `design`); then syncs run, here shortly after every PUT (on demand)
 * and every `intervalMs` (on a schedule), each an import of all the service's APIs that also removes
 * what the service no longer has. The link says how the last sync went (`syncing`, or `error` with
 * why). Deleting the source deletes what it brought in, its environment included, as the docs say.
 *
 * `importSpecification`: `never` brings no definitions; `always` re-imports specs on every sync;
 * `ondemand` imports them on the syncs a PUT asks for, not on scheduled ones (a reading of "only by
 * request": the preview has no other way to ask).
 */
import { parseApimId } from "../../arm/apim/resource-id.js";
import { ApiSourceProperties } from "../../arm/models.js";
import { parseResourceId, parseServiceRelativeId, type ResourceRef, type ServiceScope } from "../../arm/resource-id.js";
import type { StoredResource } from "../store.js";
import { ImportFailure, type ApimImports } from "./apim-import.js";
import type { ApiCenterResources } from "./resources.js";

export const DEFAULT_TARGET_ENVIRONMENT = "azure-api-management";

type Result = { ok: true; properties: Record<string, unknown> } | { ok: false; message: string };

/** What an API source PUT stores: the source under both its names, the defaults live Azure fills in, a fresh link state. */
export function apiSourcePayload(body: Record<string, unknown>, scope: ServiceScope, workspace: string): Result {
  const parsed = ApiSourceProperties.safeParse(body);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `properties.${i.path.join(".")}: ${i.message}`).join("; ") };
  const p = parsed.data;
  if (p.amazonApiGatewaySource || (p.apiSourceType && p.apiSourceType.toLowerCase() !== "azureapimanagement")) {
    return { ok: false, message: "the local API Center syncs from Azure API Management only: give properties.azureApiManagementSource {resourceId, msiResourceId?}" };
  }
  const source = p.azureApiManagementSource ?? p.apimSource;
  if (!source) return { ok: false, message: "properties.azureApiManagementSource.resourceId is required: the API Management service's resource id" };
  const apim = parseApimId(source.resourceId);
  if (!apim || apim.apiId !== undefined) {
    return { ok: false, message: `properties.azureApiManagementSource.resourceId '${source.resourceId}' is not an API Management service id (/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name})` };
  }
  const target = p.targetEnvironmentId ?? `/workspaces/${workspace}/environments/${DEFAULT_TARGET_ENVIRONMENT}`;
  const envRef = target.startsWith("/subscriptions/") ? parseResourceId(target) : parseServiceRelativeId(target, scope);
  if (envRef?.chain[envRef.chain.length - 1]?.kind !== "environment") {
    return { ok: false, message: `properties.targetEnvironmentId '${target}' is not an environment id: use the workspace-relative form, e.g. '/workspaces/${workspace}/environments/${DEFAULT_TARGET_ENVIRONMENT}'` };
  }
  return {
    ok: true,
    properties: {
      apiSourceType: "AzureApiManagement",
      apimSource: source,
      azureApiManagementSource: source,
      sourceLifecycleStage: p.sourceLifecycleStage ?? "design",
      targetEnvironmentId: target,
      targetLifecycleStage: p.targetLifecycleStage ?? "design",
      importSpecification: (p.importSpecification ?? "ondemand").toLowerCase(),
      linkState: { state: "initializing", lastUpdatedOn: new Date().toISOString() },
    },
  };
}

export class ApiSources {
  private readonly running = new Set<Promise<void>>();
  private schedule: NodeJS.Timeout | undefined;

  constructor(
    private readonly resources: ApiCenterResources,
    private readonly imports: ApimImports,
    /** `firstSyncMs` null: a PUT asks for no sync (the source syncs on the schedule, or when asked). */
    private readonly options: { firstSyncMs: number | null; intervalMs: number },
  ) {}

  /** Starts the scheduled syncs (a timer that never keeps the process alive). */
  start(): void {
    if (this.options.intervalMs <= 0 || this.schedule) return;
    this.schedule = setInterval(() => this.track(async () => this.syncAll("scheduled")), this.options.intervalMs);
    this.schedule.unref();
  }

  /** Stops the schedule; syncs already asked for still run. */
  async stop(): Promise<void> {
    clearInterval(this.schedule);
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private track(work: () => Promise<void>): void {
    const task = work()
      .catch(() => {
        // The store was closed under a running sync: there is nothing left to sync into.
      })
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** A PUT asks for a sync: it runs shortly after, so the PUT itself answers `initializing` as on Azure. */
  written(ref: ResourceRef): void {
    if (this.options.firstSyncMs === null) return;
    const delay = this.options.firstSyncMs;
    this.track(
      () =>
        new Promise<void>((resolve) => {
          setTimeout(() => {
            try {
              this.sync(ref, "requested");
            } finally {
              resolve();
            }
          }, delay);
        }),
    );
  }

  /** Syncs every API source (on demand from the CLI and tests, or on the schedule). */
  async syncAll(mode: "requested" | "scheduled" = "requested"): Promise<void> {
    for (const s of this.resources.store.listKind("apiSource", "/subscriptions", { afterRowid: 0, limit: -1 })) {
      const ref = parseResourceId(s.id);
      if (ref) this.sync(ref, mode);
    }
  }

  /** One sync of one source; its outcome goes into the source's link state. */
  sync(ref: ResourceRef, mode: "requested" | "scheduled"): "syncing" | "error" | "gone" {
    const source = this.resources.get(ref);
    if (!source) return "gone";
    const p = source.doc.properties as { azureApiManagementSource: { resourceId: string; msiResourceId?: string }; targetEnvironmentId?: string; targetLifecycleStage?: string; importSpecification?: string };
    const apim = parseApimId(p.azureApiManagementSource.resourceId)!;
    const service = { subscriptionId: apim.subscriptionId, resourceGroupName: apim.resourceGroupName, serviceName: apim.serviceName };
    const workspace = ref.chain[1]!.name;
    const env = /\/environments\/([^/]+)$/i.exec(String(p.targetEnvironmentId))?.[1] ?? DEFAULT_TARGET_ENVIRONMENT;
    const option = String(p.importSpecification);
    let linkState: Record<string, unknown>;
    try {
      this.resources.transaction(() => {
        this.imports.run({
          service: { ...ref, chain: ref.chain.slice(0, 1) },
          workspace,
          sources: [{ apim: service, apis: "*" }],
          environmentName: env,
          lifecycleStage: String(p.targetLifecycleStage ?? "design"),
          specs: option === "always" || (option === "ondemand" && mode === "requested"),
          apiSourceKey: source.key,
          ...(p.azureApiManagementSource.msiResourceId ? { msiResourceId: p.azureApiManagementSource.msiResourceId } : {}),
        });
        const keep = new Set(this.imports.currentApiIds(service).map((id) => id.toLowerCase()));
        this.imports.prune(source.key, keep);
      });
      linkState = { state: "syncing", lastUpdatedOn: new Date().toISOString() };
    } catch (e) {
      const message = e instanceof ImportFailure ? e.message : (e as Error).message;
      linkState = { state: "error", message, lastUpdatedOn: new Date().toISOString() };
    }
    const now = this.resources.get(ref);
    if (now) this.resources.store.updateDoc(now.key, { ...now.doc, properties: { ...now.doc.properties, linkState } });
    return linkState.state as "syncing" | "error";
  }

  /** Deleting a source removes the APIs it keeps in sync and its target environment (deployments go with their APIs). */
  removeWithItsApis(source: StoredResource, ref: ResourceRef): void {
    for (const row of this.resources.store.importedBySource(source.key)) {
      const api = parseResourceId(row.apiKey);
      if (api) this.resources.remove(api);
    }
    const target = String(source.doc.properties.targetEnvironmentId ?? "");
    const service = { subscriptionId: ref.subscriptionId, resourceGroupName: ref.resourceGroupName, serviceName: ref.chain[0]!.name };
    const envRef = target.startsWith("/subscriptions/") ? parseResourceId(target) : parseServiceRelativeId(target, service);
    if (envRef?.chain[envRef.chain.length - 1]?.kind === "environment") this.resources.remove(envRef);
    this.resources.remove(ref);
  }

  /** The API source that keeps this API in sync, when one does (its APIs cannot be deleted on their own). */
  keeperOf(api: StoredResource): StoredResource | undefined {
    const key = this.resources.store.getImported(api.key)?.apiSourceKey;
    return key ? this.resources.store.get(key) : undefined;
  }
}
