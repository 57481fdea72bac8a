/** How Microsoft.ApiCenter resources and their absence look on the wire, as live Azure answers. */
import { kindOf, nameOf, type ResourceRef } from "../../arm/resource-id.js";
import { RESOURCE_TYPES, type ResourceKind } from "../../arm/resource-types.js";
import type { StoredResource } from "../store.js";
import { fail, json, type EmulatorResponse } from "../wire.js";

export function render(r: StoredResource): Record<string, unknown> {
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

/** A resource with its etag, as GET and PUT answer it. */
export const renderWithEtag = (status: number, r: StoredResource): EmulatorResponse => json(status, render(r), { etag: r.etag });

/** Live Azure's answer for a missing child resource: a bare `{"code":"404"}` (with a message added here). */
export function childNotFound(message: string): EmulatorResponse {
  return json(404, { code: "404", message });
}

/**
 * The 404 for `ref`, given the first link of its chain that is missing (null: none is, the resource
 * went while it was looked up): the ARM envelope for a service, bare for a child.
 */
export function notFound(ref: ResourceRef, missing: ResourceRef | null): EmulatorResponse {
  if (!missing) return childNotFound(`${RESOURCE_TYPES[kindOf(ref)].label} '${nameOf(ref)}' was not found`);
  if (missing.chain.length === 1) {
    return fail(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.ApiCenter/services/${nameOf(missing)}' under resource group '${missing.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }
  // Live Azure's own words for a missing environment; other kinds answer a bare code there.
  if (kindOf(missing) === "environment") return childNotFound("The environment with the specified ID does not exist.");
  const parent = missing.chain.length > 2 ? missing.chain[missing.chain.length - 2]! : null;
  const where = parent ? ` in ${RESOURCE_TYPES[parent.kind].label} '${parent.name}'` : "";
  return childNotFound(`${RESOURCE_TYPES[kindOf(missing)].label} '${nameOf(missing)}' was not found${where}`);
}
