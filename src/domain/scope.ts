/**
 * The one place where "which service and workspace" is decided. Every use-case and the index resolve
 * a caller's `where` here, so a call that names the configured service and one that leaves it out
 * address the same scope, under the same key.
 */
import { parseResourceId, resourceGroupProblem, subscriptionProblem, type ResourceRef } from "../arm/resource-id.js";
import { RESOURCE_TYPES, kindChain, nameProblem, type ResourceKind } from "../arm/resource-types.js";
import { clip } from "../arm/text.js";
import { DomainError } from "./errors.js";
import type { Kind, Path, ServiceTarget } from "./gateway.js";

/** What a caller may say about where: another service than the configured one, another workspace. */
export interface Where {
  service?: ServiceTarget;
  workspace?: string;
}

export type Service = Required<ServiceTarget>;

export interface Scope {
  service: Service;
  workspace: string;
  /** The canonical key of service + workspace (ARM names are case-insensitive). */
  key: string;
  /** The workspace as a path, the parent of everything a use-case reads or writes. */
  path: Path & { service: Service; workspace: string };
}

const TARGET_FORMS =
  "an ARM id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ApiCenter/services/<name>, optionally followed by /workspaces/<workspace>) " +
  "or '<group>/<name>[/<workspace>]' in the configured subscription";

/**
 * Another service (and workspace) named in one string, as tools take it: an ARM id of a service or of
 * one of its workspaces, or `group/name[/workspace]` in the configured subscription. Only the shape is
 * checked here; resolveScope checks each segment.
 */
export function parseTarget(text: string): Where {
  const trimmed = text.trim();
  if (trimmed.startsWith("/")) {
    const ref = parseResourceId(trimmed);
    if (!ref || ref.chain.length > 2 || (ref.chain.length === 2 && ref.chain[1]!.kind !== "workspace")) {
      throw new DomainError("invalid_input", `service '${clip(trimmed)}' is not the id of an API Center service or workspace: give ${TARGET_FORMS}`);
    }
    return {
      service: { subscriptionId: ref.subscriptionId, resourceGroup: ref.resourceGroupName, serviceName: ref.chain[0]!.name },
      ...(ref.chain[1] ? { workspace: ref.chain[1].name } : {}),
    };
  }
  const parts = trimmed.split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !p)) throw new DomainError("invalid_input", `service '${clip(trimmed)}' names no service: give ${TARGET_FORMS}`);
  return { service: { resourceGroup: parts[0]!, serviceName: parts[1]! }, ...(parts[2] ? { workspace: parts[2] } : {}) };
}

/** The service a target names, completed from the configured one and checked segment by segment. */
export function resolveService(target: ServiceTarget | undefined, defaults: Service): Service {
  const service = {
    subscriptionId: target?.subscriptionId || defaults.subscriptionId,
    resourceGroup: target?.resourceGroup || defaults.resourceGroup,
    serviceName: target?.serviceName || defaults.serviceName,
  };
  const problem =
    subscriptionProblem(service.subscriptionId, "service.subscriptionId") ??
    resourceGroupProblem(service.resourceGroup, "service.resourceGroup") ??
    prefixed("service.serviceName", nameProblem("service", service.serviceName));
  if (problem) throw new DomainError("invalid_input", problem);
  return service;
}

const prefixed = (field: string, problem: string | null) => (problem ? `${field}: ${problem}` : null);

export function resolveScope(where: Where, defaults: Service): Scope {
  const service = resolveService(where.service, defaults);
  const workspace = where.workspace || "default";
  const problem = nameProblem("workspace", workspace);
  if (problem) throw new DomainError("invalid_input", problem);
  return {
    service,
    workspace,
    key: [service.subscriptionId, service.resourceGroup, service.serviceName, workspace].join("/").toLowerCase(),
    path: { service, workspace },
  };
}

/** The scope a path lies in (metadata schemas, which are service-wide, lie in every workspace's). */
export function scopeOfPath(path: Path, defaults: Service): Scope {
  return resolveScope({ ...(path.service ? { service: path.service } : {}), ...(path.workspace ? { workspace: path.workspace } : {}) }, defaults);
}

const PATH_KEY: Record<Kind, keyof Path> = {
  metadataSchema: "metadataSchema",
  workspace: "workspace",
  api: "api",
  version: "version",
  definition: "definition",
  deployment: "deployment",
  environment: "environment",
  apiSource: "apiSource",
};

/** The ARM reference of `kind` at `path`, every name checked by the service's rule. */
export function refOf(kind: ResourceKind, path: Path, defaults: Service): ResourceRef {
  const svc = resolveService(path.service, defaults);
  const chain = kindChain(kind).map((k) => {
    if (k === "service") return { kind: k, name: svc.serviceName };
    const name = k === "workspace" ? (path.workspace || "default") : path[PATH_KEY[k]];
    if (typeof name !== "string" || !name) throw new DomainError("invalid_input", `a ${RESOURCE_TYPES[k].label} name is needed`);
    const problem = nameProblem(k, name);
    if (problem) throw new DomainError("invalid_input", problem);
    return { kind: k, name };
  });
  return { subscriptionId: svc.subscriptionId, resourceGroupName: svc.resourceGroup, chain };
}

