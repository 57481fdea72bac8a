/**
 * Microsoft.Authorization as far as the local ARM needs it: the caller's permissions on a resource
 * (Permissions - List For Resource), which `apicenter-mcp doctor` reads to check write access without
 * writing. The local API Center accepts any bearer token, so every caller may do everything.
 */
import type { ArmPath, ResourceProvider, RouteHandler } from "../router.js";
import { json, methodNotAllowed } from "../wire.js";

const EVERYTHING = { value: [{ actions: ["*"], notActions: [], dataActions: [], notDataActions: [] }] };

export class AuthorizationProvider implements ResourceProvider {
  readonly namespace = "Microsoft.Authorization";
  readonly apiVersion = "2022-04-01";

  resolve(path: ArmPath): RouteHandler | null {
    const permissions = path.subscriptionId !== undefined && path.segments.length === 1 && path.segments[0]!.toLowerCase() === "permissions";
    return permissions ? async (call) => (call.method === "GET" ? json(200, EVERYTHING) : methodNotAllowed(call.method)) : null;
  }
}
