/**
 * The local API Center: Microsoft.ApiCenter 2024-03-01 over SQLite, answering ARM requests the way
 * live Azure does (see ../shared/apicenter-arm/README.md for what the recordings show).
 * HTTP-agnostic: `handle` takes a request and returns a response, so the same code serves the
 * in-process transport of the ARM client and the standalone HTTP server.
 */
import { API_VERSION } from "../arm/api-versions.js";
import {
  formatResourceId,
  kindOf,
  nameOf,
  parentOf,
  resourceGroupPath,
  type ResourceRef,
  type ServiceScope,
} from "../arm/resource-id.js";
import { RESOURCE_TYPES, kindBySegment, nameProblem, type ResourceKind } from "../arm/resource-types.js";
import { openDb, type Db } from "./db.js";
import { FilterError, compileFilter, type SqlCondition } from "./filter.js";
import { childPayload, servicePayload } from "./payloads.js";
import { SpecOperations } from "./specs.js";
import { Store, type StoredResource } from "./store.js";
import { providerOperations } from "./operations-list.js";
import {
  checkApiVersion,
  childNotFound,
  empty,
  fail,
  json,
  newEtag,
  parseBody,
  stripQuotes,
  type EmulatorRequest,
  type EmulatorResponse,
} from "./wire.js";

export type { EmulatorRequest, EmulatorResponse } from "./wire.js";

export interface LocalApiCenterOptions {
  /** A database file path, `:memory:`, or an open database. */
  db: string | Db;
  /** The service created on first start (with its `default` workspace), so a newcomer can register at once. */
  seed?: ServiceScope & { location?: string };
  /** Items per list page when the caller gives no `$top`. */
  pageSize?: number;
  /** The largest specification accepted, in bytes of UTF-8. */
  maxSpecBytes?: number;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_TOP = 1000;

export const keyOf = (ref: ResourceRef): string => formatResourceId(ref).toLowerCase();

const scopeOf = (ref: ResourceRef): ServiceScope => ({
  subscriptionId: ref.subscriptionId,
  resourceGroupName: ref.resourceGroupName,
  serviceName: ref.chain[0]!.name,
});

type Route =
  | { op: "providerOperations" }
  | { op: "listServices"; scopeKey: string }
  | { op: "resource"; ref: ResourceRef }
  | { op: "collection"; parent: ResourceRef; kind: ResourceKind }
  | { op: "action"; ref: ResourceRef; action: string }
  | { op: "operationResult"; ref: ResourceRef; operationId: string };

function route(url: URL): Route | null {
  const segs = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const lower = segs.map((s) => s.toLowerCase());
  if (lower.join("/") === "providers/microsoft.apicenter/operations") return { op: "providerOperations" };
  if (lower[0] !== "subscriptions" || !segs[1]) return null;
  if (lower[2] === "providers" && lower[3] === "microsoft.apicenter" && lower[4] === "services" && segs.length === 5) {
    return { op: "listServices", scopeKey: `/subscriptions/${segs[1]}`.toLowerCase() };
  }
  if (lower[2] !== "resourcegroups" || !segs[3] || lower[4] !== "providers" || lower[5] !== "microsoft.apicenter") return null;
  const subscriptionId = segs[1];
  const resourceGroupName = segs[3];
  const rest = segs.slice(6);
  if (rest.length === 1 && rest[0]!.toLowerCase() === "services") {
    return { op: "listServices", scopeKey: resourceGroupPath(subscriptionId, resourceGroupName).toLowerCase() };
  }
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

export class LocalApiCenter {
  readonly store: Store;
  private readonly pageSize: number;
  private readonly specs: SpecOperations;

  constructor(options: LocalApiCenterOptions) {
    this.store = new Store(typeof options.db === "string" ? openDb(options.db) : options.db);
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.specs = new SpecOperations(this.store, {
      maxSpecBytes: options.maxSpecBytes ?? 64 * 1024 * 1024,
      render: (r) => this.render(r),
    });
    this.store.failInterruptedOperations(new Date().toISOString());
    if (options.seed && this.store.countServices() === 0) this.seed(options.seed);
  }

  /** Resolves when no background operation (link imports) is running. */
  idle(): Promise<void> {
    return this.specs.idle();
  }

  async close(): Promise<void> {
    await this.idle();
    this.store.close();
  }

  private seed(seed: ServiceScope & { location?: string }): void {
    const ref: ResourceRef = {
      subscriptionId: seed.subscriptionId,
      resourceGroupName: seed.resourceGroupName,
      chain: [{ kind: "service", name: seed.serviceName }],
    };
    this.store.transaction(() => this.writeService(ref, { properties: {}, location: seed.location ?? "local", tags: {} }));
  }

  async handle(req: EmulatorRequest): Promise<EmulatorResponse> {
    try {
      return await this.dispatch(req);
    } catch (e) {
      return fail(500, "InternalServerError", `the local API Center failed: ${(e as Error).message}`);
    }
  }

  private async dispatch(req: EmulatorRequest): Promise<EmulatorResponse> {
    const auth = req.headers.authorization;
    if (!auth || !/^bearer\s+\S+/i.test(auth)) {
      return fail(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or is not a bearer token.");
    }
    const url = new URL(req.url);
    const r = route(url);
    if (!r) {
      return fail(404, "InvalidResourceType", `The resource type could not be found in the namespace 'Microsoft.ApiCenter' for api version '${API_VERSION}': ${url.pathname}`);
    }
    const versionProblem = checkApiVersion(url);
    if (versionProblem) return versionProblem;
    const method = req.method.toUpperCase();

    switch (r.op) {
      case "providerOperations":
        return method === "GET" ? json(200, { value: providerOperations() }) : methodNotAllowed(method);
      case "listServices":
        if (method !== "GET") return methodNotAllowed(method);
        return this.page(url, (after, limit) => this.store.listServices(r.scopeKey, { afterRowid: after, limit }));
      case "collection":
        return method === "GET" ? this.list(url, r.parent, r.kind) : methodNotAllowed(method);
      case "action":
        return method === "POST" ? this.action(url, r.ref, r.action, req.body) : methodNotAllowed(method);
      case "operationResult":
        return method === "GET" ? this.specs.operationResult(r.ref, r.operationId, url) : methodNotAllowed(method);
      case "resource":
        return this.resource(method, r.ref, req);
    }
  }

  private async resource(method: string, ref: ResourceRef, req: EmulatorRequest): Promise<EmulatorResponse> {
    switch (method) {
      case "GET": {
        const found = this.find(ref);
        if ("response" in found) return found.response;
        return json(200, this.render(found.resource), { etag: found.resource.etag });
      }
      case "HEAD": {
        const found = this.find(ref);
        return "response" in found ? empty(found.response.status) : empty(200, { etag: found.resource.etag });
      }
      case "PUT":
        return this.put(ref, req);
      case "PATCH":
        return kindOf(ref) === "service" ? this.patchService(ref, req) : methodNotAllowed(method);
      case "DELETE":
        return this.delete(ref, req);
      default:
        return methodNotAllowed(method);
    }
  }

  /** Finds a resource, or the 404 live Azure gives for it (the envelope for services, bare for children). */
  find(ref: ResourceRef): { resource: StoredResource } | { response: EmulatorResponse } {
    const resource = this.store.get(keyOf(ref));
    if (resource) return { resource };
    return { response: this.notFound(ref) };
  }

  private notFound(ref: ResourceRef): EmulatorResponse {
    const service = this.store.get(keyOf({ ...ref, chain: ref.chain.slice(0, 1) }));
    if (!service) {
      return fail(
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.ApiCenter/services/${ref.chain[0]!.name}' under resource group '${ref.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    }
    for (let n = 2; n <= ref.chain.length; n++) {
      const partial = { ...ref, chain: ref.chain.slice(0, n) };
      if (!this.store.get(keyOf(partial))) {
        const missing = partial.chain[n - 1]!;
        // Live Azure's own words for a missing environment; other kinds answer a bare code there.
        if (missing.kind === "environment") return childNotFound("The environment with the specified ID does not exist.");
        const where = n > 2 ? ` in ${RESOURCE_TYPES[partial.chain[n - 2]!.kind].label} '${partial.chain[n - 2]!.name}'` : "";
        return childNotFound(`${RESOURCE_TYPES[missing.kind].label} '${missing.name}' was not found${where}`);
      }
    }
    return childNotFound(`${RESOURCE_TYPES[kindOf(ref)].label} '${nameOf(ref)}' was not found`);
  }

  /** The resource as the wire shows it. */
  render(r: StoredResource): Record<string, unknown> {
    const type = RESOURCE_TYPES[r.kind as ResourceKind].armType;
    const systemData = { createdAt: r.createdAt, lastModifiedAt: r.modifiedAt };
    if (r.kind === "service") {
      const location = r.doc.location ?? "local";
      return {
        type,
        location,
        ...(r.doc.sku ? { sku: r.doc.sku } : {}),
        properties: { provisioningState: "Succeeded", dataApiHostname: `${r.name}.data.${location}.azure-apicenter.ms` },
        id: r.id,
        name: r.name,
        tags: r.doc.tags ?? {},
        systemData,
        ...(r.doc.identity ? { identity: r.doc.identity } : {}),
      };
    }
    return { type, properties: r.doc.properties, id: r.id, name: r.name, systemData };
  }

  private preconditionFailed(req: EmulatorRequest, existing: StoredResource | undefined): EmulatorResponse | null {
    const ifMatch = req.headers["if-match"];
    if (ifMatch && ifMatch !== "*" && (!existing || stripQuotes(ifMatch) !== existing.etag)) {
      return fail(412, "PreconditionFailed", "The resource's etag does not match If-Match: read it again and retry with the current etag.");
    }
    if (ifMatch === "*" && !existing) return fail(412, "PreconditionFailed", "If-Match: * was sent but the resource does not exist.");
    if (req.headers["if-none-match"] === "*" && existing) {
      return fail(412, "PreconditionFailed", "If-None-Match: * was sent but the resource already exists.");
    }
    return null;
  }

  private put(ref: ResourceRef, req: EmulatorRequest): EmulatorResponse {
    const kind = kindOf(ref);
    const badName = nameProblem(kind, nameOf(ref));
    if (badName) return fail(400, "InvalidResourceName", badName);
    const body = parseBody(req.body);
    if (typeof body === "string") return fail(400, "InvalidRequestContent", body);

    return this.store.transaction(() => {
      const key = keyOf(ref);
      const existing = this.store.get(key);
      const pre = this.preconditionFailed(req, existing);
      if (pre) return pre;
      if (kind === "service") {
        const payload = servicePayload(body, existing);
        if (!payload.ok) return fail(400, payload.code, payload.message);
        const { created, resource } = this.writeService(ref, payload.doc);
        return json(created ? 201 : 200, this.render(resource), { etag: resource.etag });
      }
      const parent = parentOf(ref)!;
      if (!this.store.get(keyOf(parent))) {
        if (!this.store.get(keyOf({ ...ref, chain: ref.chain.slice(0, 1) }))) return this.notFound(parent);
        return fail(
          404,
          "ParentResourceNotFound",
          `Can not perform requested operation on nested resource. Parent ${RESOURCE_TYPES[kindOf(parent)].label} '${nameOf(parent)}' not found: create it first.`,
        );
      }
      const payload = childPayload(body, {
        kind,
        scope: scopeOf(ref),
        existing,
        metadataSchemas: () => this.store.allChildren(keyOf({ ...ref, chain: ref.chain.slice(0, 1) }), "metadataSchema"),
      });
      if (!payload.ok) return fail(400, payload.code, payload.message);
      this.write(ref, payload.doc);
      if (kind === "version") this.deriveApiLifecycle(parent);
      if (kind === "api") this.deriveApiLifecycle(ref);
      const fresh = this.store.get(key)!;
      return json(200, this.render(fresh), { etag: fresh.etag });
    });
  }

  private write(ref: ResourceRef, doc: StoredResource["doc"]) {
    const parent = parentOf(ref);
    return this.store.upsert({
      key: keyOf(ref),
      parentKey: parent ? keyOf(parent) : null,
      kind: kindOf(ref),
      id: formatResourceId(ref),
      name: nameOf(ref),
      scopeKey: resourceGroupPath(ref.subscriptionId, ref.resourceGroupName).toLowerCase(),
      doc,
      etag: newEtag(),
      now: new Date().toISOString(),
    });
  }

  /** Writes a service; a new one gets its `default` workspace, as on Azure. */
  private writeService(ref: ResourceRef, doc: StoredResource["doc"]) {
    const result = this.write(ref, doc);
    if (result.created) {
      this.write({ ...ref, chain: [...ref.chain, { kind: "workspace", name: "default" }] }, {
        properties: { title: "default" },
      });
    }
    return result;
  }

  /** An API's lifecycle stage is read-only: that of its most recently written version. */
  private deriveApiLifecycle(apiRef: ResourceRef): void {
    const api = this.store.get(keyOf(apiRef));
    if (!api) return;
    const versions = this.store.allChildren(api.key, "version");
    const latest = versions.reduce<StoredResource | undefined>(
      (best, v) => (!best || v.modifiedAt >= best.modifiedAt ? v : best),
      undefined,
    );
    const stage = latest?.doc.properties.lifecycleStage;
    const props = { ...api.doc.properties };
    if (stage === props.lifecycleStage) return;
    if (stage === undefined) delete props.lifecycleStage;
    else props.lifecycleStage = stage;
    this.store.updateDoc(api.key, { ...api.doc, properties: props }, newEtag());
  }

  private patchService(ref: ResourceRef, req: EmulatorRequest): EmulatorResponse {
    const body = parseBody(req.body);
    if (typeof body === "string") return fail(400, "InvalidRequestContent", body);
    return this.store.transaction(() => {
      const found = this.find(ref);
      if ("response" in found) return found.response;
      const pre = this.preconditionFailed(req, found.resource);
      if (pre) return pre;
      const merged = { ...found.resource.doc, ...(body.tags ? { tags: body.tags } : {}) } as Record<string, unknown>;
      if (body.identity) merged.identity = body.identity;
      if (body.sku) merged.sku = body.sku;
      const payload = servicePayload({ ...merged, location: found.resource.doc.location }, found.resource);
      if (!payload.ok) return fail(400, payload.code, payload.message);
      const { resource } = this.write(ref, payload.doc);
      return json(200, this.render(resource), { etag: resource.etag });
    });
  }

  private delete(ref: ResourceRef, req: EmulatorRequest): EmulatorResponse {
    return this.store.transaction(() => {
      const existing = this.store.get(keyOf(ref));
      const pre = this.preconditionFailed(req, existing);
      if (pre) return pre;
      if (!existing) return empty(204);
      this.store.delete(existing.key);
      if (kindOf(ref) === "version") this.deriveApiLifecycle(parentOf(ref)!);
      return empty(RESOURCE_TYPES[kindOf(ref)].deleteStatus);
    });
  }

  private list(url: URL, parent: ResourceRef, kind: ResourceKind): EmulatorResponse {
    const found = this.find(parent);
    if ("response" in found) return found.response;
    let where: SqlCondition | undefined;
    const filter = url.searchParams.get("$filter");
    if (filter) {
      try {
        where = compileFilter(filter);
      } catch (e) {
        if (e instanceof FilterError) return fail(400, "InvalidFilter", `$filter '${filter}' is invalid: ${e.message}`);
        throw e;
      }
    }
    return this.page(url, (after, limit) =>
      this.store.listChildren(found.resource.key, kind, { where, afterRowid: after, limit }),
    );
  }

  /** One page of a list, with `nextLink` when more follow (keyset paging on creation order). */
  private page(url: URL, fetch: (afterRowid: number, limit: number) => StoredResource[]): EmulatorResponse {
    const topParam = url.searchParams.get("$top");
    const top = topParam === null ? this.pageSize : Number(topParam);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      return fail(400, "InvalidParameter", `$top must be a whole number from 1 to ${MAX_TOP}, not '${topParam}'`);
    }
    const token = url.searchParams.get("$skipToken");
    const after = token === null ? 0 : Number(token);
    if (!Number.isInteger(after) || after < 0) return fail(400, "InvalidParameter", `$skipToken '${token}' is not one this service issued`);
    const rows = fetch(after, top + 1);
    const pageRows = rows.slice(0, top);
    const body: Record<string, unknown> = { value: pageRows.map((r) => this.render(r)) };
    if (rows.length > top) {
      const next = new URL(url);
      next.searchParams.set("$skipToken", String(pageRows[pageRows.length - 1]!.rowid));
      body.nextLink = next.toString();
    }
    return json(200, body);
  }

  private async action(url: URL, ref: ResourceRef, action: string, rawBody: string | undefined): Promise<EmulatorResponse> {
    const kind = kindOf(ref);
    const name = action.toLowerCase();
    const known =
      (kind === "service" && name === "exportmetadataschema") ||
      (kind === "definition" && (name === "importspecification" || name === "exportspecification"));
    if (!known) return fail(404, "InvalidResourceType", `'${action}' is not an action of ${RESOURCE_TYPES[kind].label}s`);
    const found = this.find(ref);
    if ("response" in found) return found.response;
    if (name === "exportspecification") return this.specs.exportSpecification(found.resource);
    const body = parseBody(rawBody);
    if (typeof body === "string") return fail(400, "InvalidRequestContent", body);
    if (name === "exportmetadataschema") {
      return this.specs.exportMetadataSchema(body, this.store.allChildren(found.resource.key, "metadataSchema"));
    }
    return this.specs.importSpecification(url, ref, found.resource, body);
  }
}

function methodNotAllowed(method: string): EmulatorResponse {
  return fail(405, "MethodNotAllowed", `The HTTP method '${method}' is not supported for this resource.`);
}
