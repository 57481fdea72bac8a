/**
 * ARM URLs to handlers. The router knows only ARM's URL grammar (tenant, subscription and resource
 * group scopes, then `providers/{namespace}/...`); each resource provider (Microsoft.ApiCenter today)
 * owns its namespace and turns the path below it into a handler. A second provider served over the
 * same store is one more entry in the router's list.
 */
import { fail, type EmulatorRequest, type EmulatorResponse } from "./wire.js";
import { clip } from "../arm/text.js";

/** What a handler is given: the request, its parsed URL and its upper-cased method. */
export interface Call {
  readonly req: EmulatorRequest;
  readonly url: URL;
  readonly method: string;
}

export type RouteHandler = (call: Call) => Promise<EmulatorResponse>;

/** An ARM path split at its provider namespace. */
export interface ArmPath {
  /** Absent for tenant-level paths such as `/providers/{namespace}/operations`. */
  subscriptionId?: string;
  /** Present only under `/subscriptions/{s}/resourceGroups/{rg}`. */
  resourceGroupName?: string;
  /** As sent; namespaces are case-insensitive. */
  namespace: string;
  /** The decoded segments below `providers/{namespace}`. */
  segments: string[];
  /**
   * For an extension resource (`{resource id}/providers/Microsoft.Authorization/...`), the id of the
   * resource it extends; ARM routes such paths to the last namespace named.
   */
  scope?: string;
}

export interface ResourceProvider {
  /** E.g. `Microsoft.ApiCenter`. */
  readonly namespace: string;
  /** The api-versions this provider answers; the first is the one its messages name. */
  readonly apiVersions: readonly [string, ...string[]];
  /** The handler for a path in this namespace, or null when none of the provider's resource types is there. */
  resolve(path: ArmPath): RouteHandler | null;
}

export interface Route {
  provider: ResourceProvider;
  path: ArmPath;
  handler: RouteHandler;
}

/**
 * Splits an ARM URL path at `providers/{namespace}`; null when it is not one ARM serves. An extension
 * resource (`{resource}/providers/Microsoft.Authorization/roleAssignments/...`) belongs to the last
 * namespace, and `scope` names the resource it extends.
 */
export function parseArmPath(pathname: string): ArmPath | null {
  const path = splitAtProvider(pathname);
  const nested = path ? path.segments.findLastIndex((s, i) => s.toLowerCase() === "providers" && i + 1 < path.segments.length) : -1;
  if (!path || nested < 0) return path;
  const all = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const scope = `/${all.slice(0, all.length - (path.segments.length - nested)).join("/")}`;
  return { ...path, namespace: path.segments[nested + 1]!, segments: path.segments.slice(nested + 2), scope };
}

function splitAtProvider(pathname: string): ArmPath | null {
  const segs = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const lower = segs.map((s) => s.toLowerCase());
  if (lower[0] === "providers" && segs[1]) return { namespace: segs[1], segments: segs.slice(2) };
  if (lower[0] !== "subscriptions" || !segs[1]) return null;
  const subscriptionId = segs[1];
  if (lower[2] === "providers" && segs[3]) return { subscriptionId, namespace: segs[3], segments: segs.slice(4) };
  if (lower[2] === "resourcegroups" && segs[3] && lower[4] === "providers" && segs[5]) {
    return { subscriptionId, resourceGroupName: segs[3], namespace: segs[5], segments: segs.slice(6) };
  }
  return null;
}

export class Router {
  private readonly byNamespace: Map<string, ResourceProvider>;

  /** The first provider also answers for paths in no registered namespace. */
  constructor(private readonly providers: readonly [ResourceProvider, ...ResourceProvider[]]) {
    this.byNamespace = new Map(providers.map((p) => [p.namespace.toLowerCase(), p]));
  }

  resolve(url: URL): Route | null {
    const path = parseArmPath(url.pathname);
    if (!path) return null;
    const provider = this.byNamespace.get(path.namespace.toLowerCase());
    const handler = provider?.resolve(path);
    return provider && handler ? { provider, path, handler } : null;
  }

  /** ARM's answer for a URL no provider routes, in the words of the provider its namespace names. */
  unknownResourceType(url: URL): EmulatorResponse {
    const namespace = parseArmPath(url.pathname)?.namespace.toLowerCase();
    const p = (namespace && this.byNamespace.get(namespace)) || this.providers[0];
    return fail(
      404,
      "InvalidResourceType",
      `The resource type could not be found in the namespace '${p.namespace}' for api version '${url.searchParams.get("api-version") ?? p.apiVersions[0]}': ${clip(url.pathname)}`,
    );
  }
}
