/** Microsoft.ApiCenter 2024-03-01 as a resource provider of the local ARM: its routes and which verb each takes. */
import { API_SOURCES_API_VERSION, API_VERSION } from "../../arm/api-versions.js";
import { kindOf, resourceGroupPath, type ResourceRef } from "../../arm/resource-id.js";
import { PROVIDER, RESOURCE_TYPES, kindBySegment, type ResourceKind } from "../../arm/resource-types.js";
import type { ArmPath, Call, ResourceProvider, RouteHandler } from "../router.js";
import { fail, json, methodNotAllowed, type EmulatorResponse } from "../wire.js";
import { runAction } from "./actions.js";
import type { ApimImports } from "./apim-import.js";
import type { ApiSources } from "./api-sources.js";
import { providerOperations } from "./operations-list.js";
import { ResourceHandlers } from "./resource-handlers.js";
import type { ApiCenterResources } from "./resources.js";
import type { SpecOperations } from "./specs.js";

export type ApiCenterRoute =
  | { op: "providerOperations" }
  | { op: "listServices"; scopeKey: string }
  | { op: "resource"; ref: ResourceRef }
  | { op: "collection"; parent: ResourceRef; kind: ResourceKind }
  | { op: "action"; ref: ResourceRef; action: string }
  | { op: "operationResult"; ref: ResourceRef; operationId: string };

/** What a path below `providers/Microsoft.ApiCenter` names; null when it names nothing of this provider. */
export function apiCenterRoute(path: ArmPath): ApiCenterRoute | null {
  const rest = path.segments;
  const only = rest.length === 1 ? rest[0]!.toLowerCase() : undefined;
  if (path.subscriptionId === undefined) return only === "operations" ? { op: "providerOperations" } : null;
  if (path.resourceGroupName === undefined) {
    return only === "services" ? { op: "listServices", scopeKey: `/subscriptions/${path.subscriptionId}`.toLowerCase() } : null;
  }
  const { subscriptionId, resourceGroupName } = path;
  if (only === "services") return { op: "listServices", scopeKey: resourceGroupPath(subscriptionId, resourceGroupName).toLowerCase() };
  const chain: Array<{ kind: ResourceKind; name: string }> = [];
  let parent: ResourceKind | null = null;
  let i = 0;
  for (; i + 1 < rest.length; i += 2) {
    const type = kindBySegment(parent, rest[i]!);
    if (!type) break;
    chain.push({ kind: type.kind, name: rest[i + 1]! });
    parent = type.kind;
  }
  if (chain.length === 0) return null;
  const ref: ResourceRef = { subscriptionId, resourceGroupName, chain };
  const tail = rest.slice(i);
  if (tail.length === 0) return { op: "resource", ref };
  if (tail.length === 1) {
    const type = kindBySegment(parent, tail[0]!);
    if (type) return { op: "collection", parent: ref, kind: type.kind };
    return { op: "action", ref, action: tail[0]! };
  }
  if (tail.length === 2 && tail[0]!.toLowerCase() === "operationresults") {
    return { op: "operationResult", ref, operationId: tail[1]! };
  }
  return null;
}

type Verbs = Partial<Record<string, () => EmulatorResponse | Promise<EmulatorResponse>>>;

export class ApiCenterProvider implements ResourceProvider {
  readonly namespace = PROVIDER;
  readonly apiVersions = [API_VERSION, API_SOURCES_API_VERSION] as const;
  private readonly handlers: ResourceHandlers;

  constructor(
    private readonly resources: ApiCenterResources,
    private readonly specs: SpecOperations,
    private readonly imports: ApimImports,
    apiSources: ApiSources,
    options: { pageSize: number },
  ) {
    this.handlers = new ResourceHandlers(resources, apiSources, options.pageSize);
  }

  resolve(path: ArmPath): RouteHandler | null {
    const route = apiCenterRoute(path);
    if (!route) return null;
    const kind = route.op === "collection" ? route.kind : route.op === "resource" ? kindOf(route.ref) : null;
    return async (call) => {
      // A type of a later api-version does not exist at an earlier one.
      const needs = kind ? RESOURCE_TYPES[kind].apiVersion : undefined;
      const asked = call.url.searchParams.get("api-version");
      if (needs && asked !== needs) {
        return fail(404, "InvalidResourceType", `The resource type '${RESOURCE_TYPES[kind!].segment}' could not be found in the namespace '${PROVIDER}' for api version '${asked}': use api-version ${needs}`);
      }
      const verbs = this.verbs(route, call);
      const verb = Object.hasOwn(verbs, call.method) ? verbs[call.method] : undefined;
      return verb ? verb() : methodNotAllowed(call.method);
    };
  }

  /** The verbs a route takes; any other answers 405. */
  private verbs(r: ApiCenterRoute, { req, url }: Call): Verbs {
    const h = this.handlers;
    switch (r.op) {
      case "providerOperations":
        return { GET: () => json(200, { value: providerOperations() }) };
      case "listServices":
        return { GET: () => h.listServices(url, r.scopeKey) };
      case "collection":
        return { GET: () => h.list(url, r.parent, r.kind) };
      case "action":
        return { POST: () => runAction(this.resources, this.specs, this.imports, { url, ref: r.ref, action: r.action, body: req.body }) };
      case "operationResult":
        return { GET: () => this.specs.operationResult(r.ref, r.operationId, url) };
      case "resource":
        return {
          GET: () => h.get(r.ref),
          HEAD: () => h.head(r.ref),
          PUT: () => h.put(r.ref, req),
          ...(kindOf(r.ref) === "service" ? { PATCH: () => h.patchService(r.ref, req) } : {}),
          DELETE: () => h.delete(r.ref, req),
        };
    }
  }
}
