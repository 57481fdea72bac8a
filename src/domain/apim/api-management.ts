/**
 * Bringing API Management into the inventory: a one-off import (API Center reads the APIs itself with
 * its managed identity) and API sources, standing links that keep the inventory in sync. Failures that
 * come from API Center's identity lacking access name the exact command that grants it.
 */
import { APIM_READER_ROLE, grantReaderCommand } from "../../arm/authorization.js";
import { gatewayApiUrl, parseApimId } from "../../arm/apim/resource-id.js";
import { IMPORT_SPECIFICATION_OPTIONS } from "../../arm/models.js";
import { mapLimit } from "../concurrency.js";
import { DomainError } from "../errors.js";
import type { ApiCenterGateway, ApimApi, ApimService, Kind, Path } from "../gateway.js";
import { runPlan, type PlanResult, type Progress } from "../plan.js";
import { clip } from "../../arm/text.js";
import { resolveScope, type Where } from "../scope.js";
import { deploymentView } from "../summaries.js";

export interface ImportedApi {
  /** Its id in API Management. */
  apiId: string;
  title: string;
  path: string;
  /** Its name in API Center (after a real import). */
  apiName?: string;
}

export interface ApiSourceView {
  name: string;
  apimService: string;
  importSpecification: string;
  environment?: string;
  linkState?: string;
  message?: string;
}

export interface ApiSourceInput {
  name: string;
  apimService: string;
  importSpecification?: (typeof IMPORT_SPECIFICATION_OPTIONS)[number];
  environment?: string;
  lifecycleStage?: string;
  msiResourceId?: string;
}

/** How long creating an API source waits for its first sync before answering with the state it is in. */
const FIRST_SYNC_WAIT_MS = 20_000;
const FAN_OUT = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ApiManagement {
  constructor(
    private readonly gateway: ApiCenterGateway,
    private readonly onChange: (kind: Kind, path: Path) => void = () => {},
    private readonly firstSyncWaitMs = FIRST_SYNC_WAIT_MS,
  ) {}

  /** An API Management service named by its ARM id, `group/name`, or a name found once in the subscription. */
  async resolveService(where: Where, text: string): Promise<ApimService> {
    const scope = resolveScope(where, this.gateway.defaultService);
    const trimmed = text.trim();
    const byId = trimmed.startsWith("/") ? parseApimId(trimmed) : null;
    if (trimmed.startsWith("/") && (!byId || byId.apiId !== undefined)) {
      throw new DomainError("invalid_input", `apimService '${clip(trimmed)}' is not an API Management service id: give /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ApiManagement/service/<name>, <group>/<name>, or a name`);
    }
    const subscriptionId = byId?.subscriptionId ?? scope.service.subscriptionId;
    const [group, name] = byId ? [byId.resourceGroupName, byId.serviceName] : trimmed.includes("/") ? trimmed.split("/", 2) : [undefined, trimmed];
    const all = await this.gateway.listApimServices(subscriptionId);
    const found = all.filter((s) => s.name.toLowerCase() === name!.toLowerCase() && (!group || s.id.toLowerCase().includes(`/resourcegroups/${group.toLowerCase()}/`)));
    if (found.length === 1) return found[0]!;
    if (found.length === 0) {
      const known = all.map((s) => s.name).slice(0, 20);
      throw new DomainError("not_found", `API Management service '${clip(trimmed)}' was not found in subscription '${subscriptionId}'${known.length ? ` (it has: ${known.join(", ")})` : " (it has none)"}: check the name, or give its ARM id`);
    }
    throw new DomainError("invalid_input", `several API Management services are named '${name}' (${found.map((s) => s.id.split("/")[4]).join(", ")}): give <group>/<name> or the ARM id`);
  }

  /**
   * Has API Center import APIs of an API Management service (all, or the ids given). A dry run lists
   * what would come in and the call; otherwise progress follows the operation and the answer names
   * each imported API in API Center.
   */
  async importApis(where: Where, input: { apimService: string; apiIds?: string[] }, opts: { dryRun?: boolean; onProgress?: Progress } = {}): Promise<PlanResult & { apimService: string; apis: ImportedApi[] }> {
    const scope = resolveScope(where, this.gateway.defaultService);
    const service = await this.resolveService(where, input.apimService);
    const apis = await this.gateway.listApimApis(service.id);
    const chosen = input.apiIds?.length
      ? input.apiIds.map((id) => {
          const api = apis.find((a) => a.name.toLowerCase() === id.toLowerCase());
          if (!api) throw new DomainError("not_found", `API '${clip(id)}' is not in API Management service '${service.name}' (give ids, not display names; it has: ${apis.map((a) => a.name).join(", ") || "none"})`);
          return api;
        })
      : apis;
    if (chosen.length === 0) throw new DomainError("invalid_input", `API Management service '${service.name}' has no APIs to import`);
    const sourceResourceIds = input.apiIds?.length ? chosen.map((a) => a.id) : [`${service.id}/apis/*`];
    const rows: ImportedApi[] = chosen.map((a) => ({ apiId: a.name, title: a.displayName, path: a.path }));
    const steps = [{ op: "importFromApim" as const, path: scope.path, sourceResourceIds }];
    if (opts.dryRun) return { ...(await runPlan(this.gateway, steps, { dryRun: true })), apimService: service.id, apis: rows };
    const principal = await this.principal(where);
    opts.onProgress?.(`importing ${chosen.length} API(s) from ${service.name}`);
    let plan: PlanResult;
    try {
      plan = await runPlan(this.gateway, steps, { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
    } catch (e) {
      throw this.accessError(e, principal, service);
    } finally {
      this.onChange("api", scope.path);
    }
    const named = await this.namesInApiCenter(scope.path, service, chosen);
    return { ...plan, apimService: service.id, apis: rows.map((r, i) => ({ ...r, ...(named[i] ? { apiName: named[i] } : {}) })) };
  }

  /** The principal API Center reads API Management as; refused with the fix when it has none. */
  private async principal(where: Where): Promise<string> {
    const identity = await this.gateway.serviceIdentity(where.service);
    if (identity?.principalId && identity.type.toLowerCase().includes("systemassigned")) return identity.principalId;
    const svc = resolveScope(where, this.gateway.defaultService).service;
    throw new DomainError(
      "forbidden",
      `API Center service '${svc.serviceName}' has no system-assigned managed identity to read API Management with: run az apic update --resource-group ${svc.resourceGroup} --name ${svc.serviceName} --identity '{"type":"SystemAssigned"}', then grant it the '${APIM_READER_ROLE}' on the API Management service`,
    );
  }

  /** A failed import whose cause is access becomes the error that names the role and the command. */
  private accessError(e: unknown, principal: string, service: ApimService): unknown {
    if (!(e instanceof DomainError)) return e;
    const code = e.detail?.code ?? "";
    if (code === "AuthorizationFailed" || code === "Forbidden" || e.kind === "forbidden" || /authoriz|forbidden|role assignment/i.test(e.message)) {
      return new DomainError(
        "forbidden",
        `API Center's managed identity (principal ${principal}) may not read API Management service '${service.name}': grant it the '${APIM_READER_ROLE}' with ${grantReaderCommand(principal, service.id)}, then import again`,
        e.detail,
      );
    }
    return e;
  }

  /** Which API Center API each imported one became: the one titled after it and deployed at its gateway URL. */
  private async namesInApiCenter(ws: Path, service: ApimService, apis: ApimApi[]): Promise<Array<string | undefined>> {
    const inventory = await this.gateway.list("api", ws);
    return mapLimit(apis, FAN_OUT, async (a) => {
      const url = gatewayApiUrl(service.gatewayUrl, a.path, a.apiVersion, a.versioningScheme).toLowerCase();
      for (const candidate of inventory.filter((c) => String(c.properties.title) === a.displayName.slice(0, 50))) {
        const deployments = await this.gateway.list("deployment", { ...ws, api: candidate.name });
        if (deployments.some((d) => deploymentView(d).runtimeUris.some((u) => u.toLowerCase() === url))) return candidate.name;
      }
      return undefined;
    });
  }

  /** Links an API Management service as an API source, then waits (a while) for its first sync. */
  async createApiSource(where: Where, input: ApiSourceInput, opts: { dryRun?: boolean; onProgress?: Progress } = {}): Promise<PlanResult & ApiSourceView> {
    const scope = resolveScope(where, this.gateway.defaultService);
    const resourceId = input.apimService.trim().startsWith("/") && parseApimId(input.apimService)?.apiId === undefined ? input.apimService.trim() : (await this.resolveService(where, input.apimService)).id;
    const properties = {
      azureApiManagementSource: { resourceId, ...(input.msiResourceId ? { msiResourceId: input.msiResourceId } : {}) },
      importSpecification: input.importSpecification ?? "ondemand",
      ...(input.environment ? { targetEnvironmentId: `/workspaces/${scope.workspace}/environments/${input.environment}` } : {}),
      ...(input.lifecycleStage ? { targetLifecycleStage: input.lifecycleStage } : {}),
    };
    const path = { ...scope.path, apiSource: input.name };
    const steps = [{ op: "put" as const, kind: "apiSource" as const, path, properties }];
    if (opts.dryRun) return { ...(await runPlan(this.gateway, steps, { dryRun: true })), ...view({ name: input.name, properties }) };
    if (!input.msiResourceId) await this.principal(where);
    let plan: PlanResult;
    try {
      plan = await runPlan(this.gateway, steps);
    } finally {
      this.onChange("apiSource", scope.path);
    }
    let current = view(await this.gateway.get("apiSource", path));
    const deadline = Date.now() + this.firstSyncWaitMs;
    while (current.linkState === "initializing" && Date.now() < deadline) {
      opts.onProgress?.(`API source '${input.name}': waiting for its first sync`);
      await sleep(250);
      current = view(await this.gateway.get("apiSource", path));
    }
    // The first sync changed the inventory behind the index's back.
    this.onChange("api", scope.path);
    return { ...plan, ...current };
  }

  async listApiSources(where: Where): Promise<ApiSourceView[]> {
    return (await this.gateway.list("apiSource", resolveScope(where, this.gateway.defaultService).path)).map(view);
  }
}

/** An API source as the inventory shows it: where it reads from and how its link is doing. */
export function view(r: { name: string; properties: Record<string, unknown> }): ApiSourceView {
  const p = r.properties as {
    azureApiManagementSource?: { resourceId?: string };
    importSpecification?: string;
    targetEnvironmentId?: string;
    linkState?: { state?: string; message?: string };
  };
  const out: ApiSourceView = { name: r.name, apimService: p.azureApiManagementSource?.resourceId ?? "", importSpecification: p.importSpecification ?? "ondemand" };
  const env = /\/environments\/([^/]+)$/i.exec(p.targetEnvironmentId ?? "")?.[1];
  if (env) out.environment = env;
  if (p.linkState?.state) out.linkState = p.linkState.state;
  if (p.linkState?.message) out.message = p.linkState.message;
  return out;
}
