import { PROVIDER, RESOURCE_TYPES, kindBySegment, type ResourceKind } from "./resource-types.js";
import { clip } from "./text.js";

/** A resource's position in the hierarchy: its scope and the names down the chain. */
export interface ResourceRef {
  subscriptionId: string;
  resourceGroupName: string;
  /** From the service down; the last element is the resource itself. */
  chain: ReadonlyArray<{ kind: ResourceKind; name: string }>;
}

export interface ServiceScope {
  subscriptionId: string;
  resourceGroupName: string;
  serviceName: string;
}

export function kindOf(ref: ResourceRef): ResourceKind {
  const last = ref.chain[ref.chain.length - 1];
  if (!last) throw new Error("resource reference has an empty chain");
  return last.kind;
}

export function nameOf(ref: ResourceRef): string {
  return ref.chain[ref.chain.length - 1]!.name;
}

export function parentOf(ref: ResourceRef): ResourceRef | null {
  return ref.chain.length <= 1 ? null : { ...ref, chain: ref.chain.slice(0, -1) };
}

export function childRef(parent: ResourceRef, kind: ResourceKind, name: string): ResourceRef {
  return { ...parent, chain: [...parent.chain, { kind, name }] };
}

export function serviceRef(scope: ServiceScope): ResourceRef {
  return {
    subscriptionId: scope.subscriptionId,
    resourceGroupName: scope.resourceGroupName,
    chain: [{ kind: "service", name: scope.serviceName }],
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ARM's rule for resource group names: 1-90 of letters (any script), digits, underscores, hyphens, periods and parentheses, not ending in a period.
const RESOURCE_GROUP = /^[-\w.()\p{L}\p{N}]{0,89}[-\w()\p{L}\p{N}]$/u;

/**
 * Why a subscription id cannot go into an ARM path, or null when it can. `field` is the name the
 * caller gave it, so the message points at what to fix.
 */
export function subscriptionProblem(value: string, field = "subscriptionId"): string | null {
  return GUID.test(value) ? null : `${field} '${clip(value)}' is not a subscription id: give a GUID such as 00000000-0000-0000-0000-000000000000`;
}

/** Why a resource group name cannot go into an ARM path, or null when it can. */
export function resourceGroupProblem(value: string, field = "resourceGroup"): string | null {
  return RESOURCE_GROUP.test(value)
    ? null
    : `${field} '${clip(value)}' is not a resource group name: use 1 to 90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period`;
}

export function resourceGroupPath(subscriptionId: string, resourceGroupName: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`;
}

/** The full ARM id: `/subscriptions/.../providers/Microsoft.ApiCenter/services/x/workspaces/y/...`. */
export function formatResourceId(ref: ResourceRef): string {
  return (
    `${resourceGroupPath(ref.subscriptionId, ref.resourceGroupName)}/providers/${PROVIDER}` +
    ref.chain.map((c) => `/${RESOURCE_TYPES[c.kind].segment}/${c.name}`).join("")
  );
}

/** The path below the service, as deployments carry it: `/workspaces/default/environments/prod`. */
export function formatServiceRelativeId(ref: ResourceRef): string {
  return ref.chain
    .slice(1)
    .map((c) => `/${RESOURCE_TYPES[c.kind].segment}/${c.name}`)
    .join("");
}

function parseChain(segments: string[]): Array<{ kind: ResourceKind; name: string }> | null {
  if (segments.length % 2 !== 0) return null;
  const chain: Array<{ kind: ResourceKind; name: string }> = [];
  let parent: ResourceKind | null = null;
  for (let i = 0; i < segments.length; i += 2) {
    const type = kindBySegment(parent, segments[i]!);
    const name = segments[i + 1]!;
    if (!type || !name) return null;
    chain.push({ kind: type.kind, name });
    parent = type.kind;
  }
  return chain;
}

const ID_PREFIX = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiCenter\/(.+)$/i;

/** Parses a full ARM id of any ApiCenter resource; null when it is not one. Case-insensitive, as ARM is. */
export function parseResourceId(id: string): ResourceRef | null {
  const m = ID_PREFIX.exec(id.replace(/\/+$/, ""));
  if (!m) return null;
  const chain = parseChain(m[3]!.split("/"));
  if (!chain || chain[0]?.kind !== "service") return null;
  return { subscriptionId: m[1]!, resourceGroupName: m[2]!, chain };
}

/**
 * Parses a service-relative id (`/workspaces/default/apis/echo/versions/v1/definitions/openapi`)
 * against the service it belongs to; null when it is not one.
 */
export function parseServiceRelativeId(relative: string, scope: ServiceScope): ResourceRef | null {
  const segments = relative.replace(/^\/+|\/+$/g, "").split("/");
  const chain = parseChain(["services", scope.serviceName, ...segments]);
  if (!chain || chain.length < 2) return null;
  return { subscriptionId: scope.subscriptionId, resourceGroupName: scope.resourceGroupName, chain };
}
