/** Microsoft.ApiManagement 2022-08-01 as a resource provider of the local ARM: its routes and which verbs each takes. */
import { APIM_API_VERSION, APIM_PROVIDER } from "../../arm/apim/models.js";
import type { ApimRef } from "../../arm/apim/resource-id.js";
import { resourceGroupPath } from "../../arm/resource-id.js";
import type { BlobStore } from "../blobs.js";
import type { ArmPath, Call, ResourceProvider, RouteHandler } from "../router.js";
import { methodNotAllowed, type EmulatorResponse } from "../wire.js";
import { ApiHandlers } from "./api-handlers.js";
import type { ApimResources } from "./resources.js";
import { ServiceHandlers } from "./service-handlers.js";

export type ApimRoute =
  | { op: "listServices"; scopeKey: string }
  | { op: "service"; ref: ApimRef }
  | { op: "serviceOperation"; ref: ApimRef; operationId: string }
  | { op: "apis"; ref: ApimRef }
  | { op: "api"; ref: ApimRef }
  | { op: "children"; ref: ApimRef; kind: "apimOperation" | "apimSchema" }
  | { op: "child"; ref: ApimRef };

/** What a path below `providers/Microsoft.ApiManagement` names; null when it names nothing of this provider. */
export function apimRoute(path: ArmPath): ApimRoute | null {
  if (path.subscriptionId === undefined || path.scope !== undefined) return null;
  const s = path.segments;
  const lower = s.map((x) => x.toLowerCase());
  if (lower[0] !== "service") return null;
  if (s.length === 1) {
    const scope = path.resourceGroupName === undefined ? `/subscriptions/${path.subscriptionId}` : resourceGroupPath(path.subscriptionId, path.resourceGroupName);
    return { op: "listServices", scopeKey: scope.toLowerCase() };
  }
  if (path.resourceGroupName === undefined) return null;
  const ref: ApimRef = { subscriptionId: path.subscriptionId, resourceGroupName: path.resourceGroupName, serviceName: s[1]! };
  if (s.length === 2) return { op: "service", ref };
  if (s.length === 4 && lower[2] === "operationresults") return { op: "serviceOperation", ref, operationId: s[3]! };
  if (lower[2] !== "apis") return null;
  if (s.length === 3) return { op: "apis", ref };
  const api = { ...ref, apiId: s[3]! };
  if (s.length === 4) return { op: "api", ref: api };
  const kind = lower[4] === "operations" ? "apimOperation" : lower[4] === "schemas" ? "apimSchema" : null;
  if (!kind) return null;
  if (s.length === 5) return { op: "children", ref: api, kind };
  if (s.length === 6) return { op: "child", ref: kind === "apimOperation" ? { ...api, operationId: s[5]! } : { ...api, schemaId: s[5]! } };
  return null;
}

type Verbs = Partial<Record<string, () => EmulatorResponse | Promise<EmulatorResponse>>>;

export class ApimProvider implements ResourceProvider {
  readonly namespace = APIM_PROVIDER;
  readonly apiVersions = [APIM_API_VERSION] as const;
  private readonly services: ServiceHandlers;
  readonly apis: ApiHandlers;

  constructor(resources: ApimResources, blobs: BlobStore, options: { pageSize: number; activationMs: number; maxDocumentBytes: number; allowFetchHosts: readonly string[] }) {
    this.services = new ServiceHandlers(resources, options);
    this.apis = new ApiHandlers(resources, blobs, options);
  }

  resolve(path: ArmPath): RouteHandler | null {
    const route = apimRoute(path);
    if (!route) return null;
    return async (call) => {
      const verbs = this.verbs(route, call);
      const verb = Object.hasOwn(verbs, call.method) ? verbs[call.method] : undefined;
      return verb ? verb() : methodNotAllowed(call.method);
    };
  }

  private verbs(r: ApimRoute, { req, url }: Call): Verbs {
    const s = this.services;
    const a = this.apis;
    switch (r.op) {
      case "listServices":
        return { GET: () => s.list(url, r.scopeKey) };
      case "service":
        return { GET: () => s.get(r.ref), PUT: () => s.put(r.ref, req, url), DELETE: () => s.delete(r.ref) };
      case "serviceOperation":
        return { GET: () => s.operationResult(r.ref, r.operationId, url) };
      case "apis":
        return { GET: () => a.listApis(url, r.ref) };
      case "api":
        return {
          GET: () => a.pendingImport(url) ?? a.getApi(r.ref, url),
          HEAD: () => a.headOf(r.ref),
          PUT: () => a.putApi(r.ref, req, url),
          PATCH: () => a.patchApi(r.ref, req),
          DELETE: () => a.deleteChild(r.ref, req),
        };
      case "children":
        return { GET: () => a.listChildren(url, r.ref, r.kind) };
      case "child":
        return { GET: () => a.getChild(r.ref), HEAD: () => a.headOf(r.ref), PUT: () => a.putChild(r.ref, req), DELETE: () => a.deleteChild(r.ref, req) };
    }
  }
}
