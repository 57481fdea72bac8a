/**
 * Microsoft.ApiCenter resources over ARM's verbs: GET, HEAD, PUT, PATCH (services), DELETE and the
 * paged lists, answered with live Azure's status codes (see ../shared/apicenter-arm/README.md).
 */
import { kindOf, nameOf, parentOf, type ResourceRef, type ServiceScope } from "../../arm/resource-id.js";
import { RESOURCE_TYPES, nameProblem, type ResourceKind } from "../../arm/resource-types.js";
import { FilterError, compileFilter, type SqlCondition } from "../filter.js";
import { listPage } from "../paging.js";
import { preconditionFailed } from "../preconditions.js";
import { empty, fail, parseBody, type EmulatorRequest, type EmulatorResponse } from "../wire.js";
import { childPayload, servicePayload } from "./payloads.js";
import { notFound, render, renderWithEtag } from "./render.js";
import type { ApiSources } from "./api-sources.js";
import { serviceOf, type ApiCenterResources } from "./resources.js";
import { clip } from "../../arm/text.js";

const scopeOf = (ref: ResourceRef): ServiceScope => ({
  subscriptionId: ref.subscriptionId,
  resourceGroupName: ref.resourceGroupName,
  serviceName: ref.chain[0]!.name,
});

export class ResourceHandlers {
  constructor(
    private readonly resources: ApiCenterResources,
    private readonly apiSources: ApiSources,
    /** Items per list page when the caller gives no `$top`. */
    private readonly pageSize: number,
  ) {}

  get(ref: ResourceRef): EmulatorResponse {
    const resource = this.resources.get(ref);
    return resource ? renderWithEtag(200, resource) : this.missing(ref);
  }

  head(ref: ResourceRef): EmulatorResponse {
    const resource = this.resources.get(ref);
    return resource ? empty(200, { etag: resource.etag }) : empty(this.missing(ref).status);
  }

  put(ref: ResourceRef, req: EmulatorRequest): EmulatorResponse {
    const kind = kindOf(ref);
    const badName = nameProblem(kind, nameOf(ref));
    if (badName) return fail(400, "InvalidResourceName", badName);
    const body = parseBody(req.body);
    if (typeof body === "string") return fail(400, "InvalidRequestContent", body);

    return this.resources.transaction(() => {
      const existing = this.resources.get(ref);
      const pre = preconditionFailed(req, existing);
      if (pre) return pre;
      if (kind === "service") {
        const payload = servicePayload(body, existing);
        if (!payload.ok) return fail(400, payload.code, payload.message);
        const { created, resource } = this.resources.put(ref, payload.doc);
        return renderWithEtag(created ? 201 : 200, resource);
      }
      const parent = parentOf(ref)!;
      if (!this.resources.get(parent)) {
        if (!this.resources.get(serviceOf(ref))) return this.missing(parent);
        return fail(
          404,
          "ParentResourceNotFound",
          `Can not perform requested operation on nested resource. Parent ${RESOURCE_TYPES[kindOf(parent)].label} '${nameOf(parent)}' not found: create it first.`,
        );
      }
      const payload = childPayload(body, {
        kind,
        scope: scopeOf(ref),
        workspace: ref.chain[1]?.name ?? "default",
        existing,
        metadataSchemas: () => this.resources.metadataSchemas(ref),
      });
      if (!payload.ok) return fail(400, payload.code, payload.message);
      // A child PUT answers 200 even when it creates, as live Azure does.
      const written = this.resources.put(ref, payload.doc).resource;
      if (kind === "apiSource") this.apiSources.written(ref);
      return renderWithEtag(200, written);
    });
  }

  /** A service's PATCH merges tags, identity and sku into what is stored. */
  patchService(ref: ResourceRef, req: EmulatorRequest): EmulatorResponse {
    const body = parseBody(req.body);
    if (typeof body === "string") return fail(400, "InvalidRequestContent", body);
    return this.resources.transaction(() => {
      const existing = this.resources.get(ref);
      if (!existing) return this.missing(ref);
      const pre = preconditionFailed(req, existing);
      if (pre) return pre;
      const merged = { ...existing.doc, ...(body.tags ? { tags: body.tags } : {}) } as Record<string, unknown>;
      if (body.identity) merged.identity = body.identity;
      if (body.sku) merged.sku = body.sku;
      const payload = servicePayload({ ...merged, location: existing.doc.location }, existing);
      if (!payload.ok) return fail(400, payload.code, payload.message);
      return renderWithEtag(200, this.resources.put(ref, payload.doc).resource);
    });
  }

  delete(ref: ResourceRef, req: EmulatorRequest): EmulatorResponse {
    return this.resources.transaction(() => {
      const existing = this.resources.get(ref);
      const pre = preconditionFailed(req, existing);
      if (pre) return pre;
      if (!existing) return empty(204);
      const kind = kindOf(ref);
      const keeper = kind === "api" ? this.apiSources.keeperOf(existing) : undefined;
      if (keeper) {
        return fail(409, "Conflict", `API '${existing.name}' is kept in sync by API source '${keeper.name}': delete the API source to remove the APIs it brought in`);
      }
      if (kind === "apiSource") this.apiSources.removeWithItsApis(existing, ref);
      else this.resources.remove(ref);
      return empty(RESOURCE_TYPES[kind].deleteStatus);
    });
  }

  /** A parent's children of one kind, optionally `$filter`ed. */
  list(url: URL, parentRef: ResourceRef, kind: ResourceKind): EmulatorResponse {
    const parent = this.resources.get(parentRef);
    if (!parent) return this.missing(parentRef);
    let where: SqlCondition | undefined;
    const filter = url.searchParams.get("$filter");
    if (filter) {
      try {
        where = compileFilter(filter);
      } catch (e) {
        if (e instanceof FilterError) return fail(400, "InvalidFilter", `$filter '${clip(filter)}' is invalid: ${e.message}`);
        throw e;
      }
    }
    return listPage(url, this.pageSize, (afterRowid, limit) => this.resources.children(parent, kind, { where, afterRowid, limit }), render);
  }

  /** The services of a subscription or resource group, given as its lower-cased path. */
  listServices(url: URL, scopeKey: string): EmulatorResponse {
    return listPage(url, this.pageSize, (afterRowid, limit) => this.resources.services(scopeKey, { afterRowid, limit }), render);
  }

  private missing(ref: ResourceRef): EmulatorResponse {
    return notFound(ref, this.resources.firstMissing(ref));
  }
}
