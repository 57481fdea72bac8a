/**
 * API Management services over ARM's verbs: the long-running create, GET, DELETE, the lists by
 * resource group and subscription, and the create's operationResults poll.
 */
import { apimServiceNameProblem, type ApimServiceRef } from "../../arm/apim/resource-id.js";
import type { StoredResource } from "../store.js";
import { empty, fail, parseBody, type EmulatorRequest, type EmulatorResponse } from "../wire.js";
import type { ApimResources } from "./resources.js";
import { activationUrl, isActivating, isActivationOf, renderService, servicePayload } from "./service.js";
import { apimJson, apimNotFound, withEtag } from "./wire.js";

/** One page of a list as API Management pages: `$top`, `$skip`, and a `nextLink` carrying the next `$skip`. */
export function skipPage(url: URL, rows: StoredResource[], render: (r: StoredResource) => unknown, pageSize: number): EmulatorResponse {
  const top = url.searchParams.has("$top") ? Number(url.searchParams.get("$top")) : pageSize;
  const skip = url.searchParams.has("$skip") ? Number(url.searchParams.get("$skip")) : 0;
  if (!Number.isInteger(top) || top < 1) return fail(400, "ValidationError", `$top must be a whole number of at least 1, not '${url.searchParams.get("$top")}'`);
  if (!Number.isInteger(skip) || skip < 0) return fail(400, "ValidationError", `$skip must be a whole number of at least 0, not '${url.searchParams.get("$skip")}'`);
  const page = rows.slice(skip, skip + top);
  const body: Record<string, unknown> = { value: page.map(render), count: rows.length };
  if (skip + top < rows.length) {
    const next = new URL(url);
    next.searchParams.set("$skip", String(skip + top));
    body.nextLink = next.toString();
  }
  return apimJson(200, body);
}

export class ServiceHandlers {
  constructor(
    private readonly resources: ApimResources,
    private readonly options: { activationMs: number; pageSize: number },
  ) {}

  get(ref: ApimServiceRef): EmulatorResponse {
    const r = this.resources.get(ref);
    return r ? withEtag(200, renderService(r), r) : apimNotFound(ref);
  }

  /** ApiManagementService_CreateOrUpdate: 201 + poll URLs while a new service activates, 200 for an update. */
  put(ref: ApimServiceRef, req: EmulatorRequest, url: URL): EmulatorResponse {
    const problem = apimServiceNameProblem(ref.serviceName);
    if (problem) return fail(400, "InvalidResourceName", problem);
    const body = parseBody(req.body);
    if (typeof body === "string") return fail(400, "InvalidRequestContent", body);
    return this.resources.transaction(() => {
      const existing = this.resources.get(ref);
      const payload = servicePayload(ref, body, existing, this.options.activationMs);
      if (!payload.ok) return fail(400, "ValidationError", payload.message);
      const { created, resource } = this.resources.put(ref, payload.doc);
      if (!created) return withEtag(200, renderService(resource), resource);
      const poll = activationUrl(url.origin, resource);
      return apimJson(201, renderService(resource, true), { etag: `"${renderService(resource, true).etag as string}"`, location: poll, "azure-asyncoperation": poll });
    });
  }

  /** ApiManagementService_Delete: gone at once (200), with its APIs; 204 when there was nothing. */
  delete(ref: ApimServiceRef): EmulatorResponse {
    return this.resources.transaction(() => (this.resources.remove(ref) ? empty(200) : empty(204)));
  }

  list(url: URL, scopeKey: string): EmulatorResponse {
    const rows = this.resources.services(scopeKey, { afterRowid: 0, limit: -1 });
    return skipPage(url, rows, (r) => renderService(r), this.options.pageSize);
  }

  /** The create's poll: 200 `{"status":"InProgress"}` with the poll URLs again, then 200 `{"status":"Succeeded"}`. */
  operationResult(ref: ApimServiceRef, operationId: string, url: URL): EmulatorResponse {
    const r = this.resources.get(ref);
    if (!r) return apimNotFound(ref);
    if (!isActivationOf(r, operationId)) return fail(404, "ResourceNotFound", `operation '${operationId}' of service '${ref.serviceName}' was not found`);
    if (isActivating(r)) {
      const poll = activationUrl(url.origin, r);
      return apimJson(200, { status: "InProgress" }, { location: poll, "azure-asyncoperation": poll });
    }
    return apimJson(200, { status: "Succeeded" });
  }

  /** Work on a service's APIs waits for the service to be up, as on Azure. */
  static activatingConflict(service: StoredResource): EmulatorResponse | null {
    if (!isActivating(service)) return null;
    return fail(409, "Conflict", `API Management service '${service.name}' is still activating: wait until its create succeeds (poll the URL its create answered), then retry`);
  }
}
