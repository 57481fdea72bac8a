/**
 * Microsoft.Authorization as far as the local ARM needs it: the caller's permissions on a resource
 * (Permissions - List For Resource, which `apicenter-mcp doctor` reads to check write access without
 * writing: the local API Center accepts any bearer token, so every caller may do everything); and, for
 * importing from API Management, the built-in role definitions (listed with `$filter=roleName eq
 * '...'`, as `az role assignment create` looks them up) and role assignments at any scope, kept in the
 * shared store, which the local API Center consults when it reads API Management with its identity.
 */
import {
  AUTHORIZATION_PROVIDER,
  BUILT_IN_ROLES,
  ROLE_ASSIGNMENTS_API_VERSION,
  ROLE_DEFINITIONS_API_VERSION,
  RoleAssignmentProperties,
  canReadApim,
  roleDefinitionId,
  roleGuidOf,
  type BuiltInRole,
} from "../../arm/authorization.js";
import { resourceGroupPath } from "../../arm/resource-id.js";
import type { ArmPath, ResourceProvider, RouteHandler } from "../router.js";
import type { Store, StoredResource } from "../store.js";
import { empty, fail, json, methodNotAllowed, parseBody, type EmulatorResponse } from "../wire.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `scope` is `resourceId` or one of its ancestors (ARM scopes nest by path). */
const covers = (scope: string, resourceId: string): boolean => {
  const s = scope.toLowerCase().replace(/\/+$/, "");
  const r = resourceId.toLowerCase();
  return r === s || r.startsWith(`${s}/`);
};

export class RoleAssignments {
  constructor(private readonly store: Store) {}

  /** Every assignment in a subscription. */
  private all(subscriptionId: string): StoredResource[] {
    return this.store.listKind("roleAssignment", `/subscriptions/${subscriptionId}`.toLowerCase(), { afterRowid: 0, limit: -1 });
  }

  /** Whether `principalId` holds a role that reads API Management at `resourceId` or above it. */
  principalCanReadApim(principalId: string, resourceId: string): boolean {
    const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1];
    if (!subscriptionId) return false;
    return this.all(subscriptionId).some((a) => {
      const p = a.doc.properties;
      return String(p.principalId).toLowerCase() === principalId.toLowerCase() && covers(String(p.scope), resourceId) && canReadApim(String(p.roleDefinitionId));
    });
  }

  render(r: StoredResource): Record<string, unknown> {
    return { properties: r.doc.properties, id: r.id, type: `${AUTHORIZATION_PROVIDER}/roleAssignments`, name: r.name };
  }

  put(scope: string, name: string, body: Record<string, unknown>, subscriptionId: string): EmulatorResponse {
    if (!GUID.test(name)) return fail(400, "InvalidRoleAssignmentId", `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
    const parsed = RoleAssignmentProperties.safeParse(body.properties);
    if (!parsed.success) return fail(400, "InvalidRequestContent", `properties: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const props = parsed.data;
    if (!BUILT_IN_ROLES.some((r) => r.id === roleGuidOf(props.roleDefinitionId))) {
      return fail(400, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${roleGuidOf(props.roleDefinitionId)}' does not exist.`);
    }
    const id = `${scope}/providers/${AUTHORIZATION_PROVIDER}/roleAssignments/${name}`;
    return this.store.transaction(() => {
      const existing = this.store.get(id.toLowerCase());
      const same = (a: StoredResource) =>
        roleGuidOf(String(a.doc.properties.roleDefinitionId)) === roleGuidOf(props.roleDefinitionId) &&
        String(a.doc.properties.principalId).toLowerCase() === props.principalId.toLowerCase();
      if (existing) {
        if (!same(existing)) return fail(409, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated: delete the assignment and create another");
        return json(200, this.render(existing));
      }
      const twin = this.all(subscriptionId).find((a) => same(a) && String(a.doc.properties.scope).toLowerCase() === scope.toLowerCase());
      if (twin) return fail(409, "RoleAssignmentExists", `The role assignment already exists (${twin.name}).`);
      const now = new Date().toISOString();
      const scopeResource = this.store.get(scope.toLowerCase());
      const rg = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(scope)?.[0];
      const { resource } = this.store.upsert({
        key: id.toLowerCase(),
        // An assignment on a resource goes with it, as on Azure.
        parentKey: scopeResource?.key ?? null,
        kind: "roleAssignment",
        id,
        name,
        scopeKey: (rg ?? `/subscriptions/${subscriptionId}`).toLowerCase(),
        doc: {
          properties: {
            roleDefinitionId: roleDefinitionId(subscriptionId, roleGuidOf(props.roleDefinitionId)),
            principalId: props.principalId,
            principalType: props.principalType ?? "User",
            scope,
            condition: props.condition ?? null,
            conditionVersion: props.conditionVersion ?? null,
            createdOn: now,
            updatedOn: now,
            createdBy: null,
            // Who called is not known locally (any bearer token is accepted).
            updatedBy: null,
            delegatedManagedIdentityResourceId: props.delegatedManagedIdentityResourceId ?? null,
            description: props.description ?? null,
          },
        },
        now,
      });
      return json(201, this.render(resource));
    });
  }

  get(scope: string, name: string): EmulatorResponse {
    const r = this.store.get(`${scope}/providers/${AUTHORIZATION_PROVIDER}/roleAssignments/${name}`.toLowerCase());
    return r ? json(200, this.render(r)) : fail(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`);
  }

  delete(scope: string, name: string): EmulatorResponse {
    const key = `${scope}/providers/${AUTHORIZATION_PROVIDER}/roleAssignments/${name}`.toLowerCase();
    const r = this.store.get(key);
    if (!r) return empty(204);
    this.store.delete(key);
    return json(200, this.render(r));
  }

  /** Assignments at the scope, above it and below it (`$filter=principalId eq '...'` narrows them). */
  list(scope: string, subscriptionId: string, filter: string | null): EmulatorResponse {
    const principal = filter ? /^principalId\s+eq\s+'([^']+)'$/i.exec(filter.trim())?.[1] : undefined;
    if (filter && !principal && !/^atScope\(\)$/i.test(filter.trim())) {
      return fail(400, "InvalidFilter", `$filter '${filter}' is not supported: use principalId eq '<guid>' or atScope()`);
    }
    const atScope = filter !== null && /^atScope\(\)$/i.test(filter.trim());
    const rows = this.all(subscriptionId).filter((a) => {
      const s = String(a.doc.properties.scope);
      const related = atScope ? covers(s, scope) : covers(s, scope) || covers(scope, s);
      return related && (!principal || String(a.doc.properties.principalId).toLowerCase() === principal.toLowerCase());
    });
    return json(200, { value: rows.map((r) => this.render(r)) });
  }
}

function renderRole(role: BuiltInRole, subscriptionId: string | undefined): Record<string, unknown> {
  return {
    properties: {
      roleName: role.roleName,
      type: "BuiltInRole",
      description: role.description,
      assignableScopes: ["/"],
      permissions: [{ actions: role.actions, notActions: role.notActions, dataActions: [], notDataActions: [] }],
      createdOn: role.createdOn,
      updatedOn: role.updatedOn,
      createdBy: null,
      updatedBy: null,
    },
    id: subscriptionId ? roleDefinitionId(subscriptionId, role.id) : `/providers/${AUTHORIZATION_PROVIDER}/roleDefinitions/${role.id}`,
    type: `${AUTHORIZATION_PROVIDER}/roleDefinitions`,
    name: role.id,
  };
}

const EVERYTHING = { value: [{ actions: ["*"], notActions: [], dataActions: [], notDataActions: [] }] };

export class AuthorizationProvider implements ResourceProvider {
  readonly namespace = AUTHORIZATION_PROVIDER;
  readonly apiVersions = [ROLE_ASSIGNMENTS_API_VERSION, ROLE_DEFINITIONS_API_VERSION] as const;

  constructor(readonly assignments: RoleAssignments) {}

  resolve(path: ArmPath): RouteHandler | null {
    const [type, name, ...rest] = path.segments;
    if (rest.length || !type) return null;
    const kind = type.toLowerCase();
    const sub = path.subscriptionId;
    if (kind === "permissions" && !name && sub !== undefined) {
      return async (call) => (call.method === "GET" ? json(200, EVERYTHING) : methodNotAllowed(call.method));
    }
    const scope = path.scope ?? (sub ? (path.resourceGroupName ? resourceGroupPath(sub, path.resourceGroupName) : `/subscriptions/${sub}`) : "/");
    if (kind === "roledefinitions") {
      return async ({ method, url }) => {
        if (method !== "GET") return methodNotAllowed(method);
        if (name) {
          const role = BUILT_IN_ROLES.find((r) => r.id === name.toLowerCase());
          return role ? json(200, renderRole(role, sub)) : fail(404, "RoleDefinitionDoesNotExist", `The role definition '${name}' could not be found.`);
        }
        const filter = url.searchParams.get("$filter");
        const roleName = filter ? /^roleName\s+eq\s+'((?:[^']|'')+)'$/i.exec(filter.trim())?.[1]?.replace(/''/g, "'") : undefined;
        if (filter && !roleName) return fail(400, "InvalidFilter", `$filter '${filter}' is not supported: use roleName eq '<name>'`);
        const roles = BUILT_IN_ROLES.filter((r) => !roleName || r.roleName.toLowerCase() === roleName.toLowerCase());
        return json(200, { value: roles.map((r) => renderRole(r, sub)) });
      };
    }
    if (kind !== "roleassignments" || !sub) return null;
    return async ({ method, req, url }) => {
      if (!name) return method === "GET" ? this.assignments.list(scope, sub, url.searchParams.get("$filter")) : methodNotAllowed(method);
      switch (method) {
        case "GET":
          return this.assignments.get(scope, name);
        case "DELETE":
          return this.assignments.delete(scope, name);
        case "PUT": {
          const body = parseBody(req.body);
          return typeof body === "string" ? fail(400, "InvalidRequestContent", body) : this.assignments.put(scope, name, body, sub);
        }
        default:
          return methodNotAllowed(method);
      }
    };
  }
}
