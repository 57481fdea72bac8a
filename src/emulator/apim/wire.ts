/** How the local API Management answers: its api-version in `api-supported-versions`, quoted etags, its 404s. */
import { APIM_API_VERSION } from "../../arm/apim/models.js";
import type { ApimRef } from "../../arm/apim/resource-id.js";
import type { StoredResource } from "../store.js";
import { fail, json, type EmulatorResponse } from "../wire.js";
import { apimEtag } from "./resources.js";

export function apimJson(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return json(status, body, { "api-supported-versions": APIM_API_VERSION, ...headers });
}

/** A resource answered with its etag in a header, quoted (the body's copy, where there is one, is not). */
export function withEtag(status: number, body: unknown, r: StoredResource): EmulatorResponse {
  return apimJson(status, body, { etag: `"${apimEtag(r)}"` });
}

const LABEL = { service: "Service", apiId: "Api", operationId: "Operation", schemaId: "Schema" } as const;

/**
 * The 404 for `ref`, given the first missing link of its chain: a missing service in ARM's words,
 * a missing API (or operation, schema) in API Management's ("Api not found.").
 */
export function apimNotFound(missing: ApimRef): EmulatorResponse {
  if (missing.apiId === undefined) {
    return fail(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.ApiManagement/service/${missing.serviceName}' under resource group '${missing.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }
  const which = missing.operationId !== undefined ? "operationId" : missing.schemaId !== undefined ? "schemaId" : "apiId";
  return fail(404, "ResourceNotFound", `${LABEL[which]} not found.`);
}

/** If-Match as API Management reads it: `*` is unconditional, an etag must match the current one. */
export function apimPreconditionFailed(ifMatch: string | undefined, existing: StoredResource | undefined): EmulatorResponse | null {
  if (!ifMatch || ifMatch === "*") return null;
  const wanted = ifMatch.replace(/^W\//, "").replace(/^"|"$/g, "");
  if (existing && wanted === apimEtag(existing)) return null;
  return fail(412, "PreconditionFailed", existing ? `The entity '${existing.name}' has been modified since it was read: read it again and retry with the current ETag.` : "The entity does not exist: create it without If-Match, or with If-Match: *");
}
