/** The POST actions of Microsoft.ApiCenter 2024-03-01 (importFromApim is live there though the stored swagger lacks it): one table for routing them and for the operations list. */
import { kindOf, type ResourceRef } from "../../arm/resource-id.js";
import { RESOURCE_TYPES, type ResourceKind } from "../../arm/resource-types.js";
import { fail, parseBody, type EmulatorResponse } from "../wire.js";
import { notFound } from "./render.js";
import type { ApimImports } from "./apim-import.js";
import type { ApiCenterResources } from "./resources.js";
import type { SpecOperations } from "./specs.js";

export const ACTIONS: ReadonlyArray<{ kind: ResourceKind; name: string; title: string }> = [
  { kind: "service", name: "exportMetadataSchema", title: "Export metadata schema" },
  { kind: "service", name: "importFromApim", title: "Import APIs from API Management" },
  { kind: "definition", name: "importSpecification", title: "Import API specification" },
  { kind: "definition", name: "exportSpecification", title: "Export API specification" },
];

/** `POST {resource}/{action}`. */
export async function runAction(
  resources: ApiCenterResources,
  specs: SpecOperations,
  imports: ApimImports,
  call: { url: URL; ref: ResourceRef; action: string; body: string | undefined },
): Promise<EmulatorResponse> {
  const { url, ref, action } = call;
  const kind = kindOf(ref);
  const known = ACTIONS.find((a) => a.kind === kind && a.name.toLowerCase() === action.toLowerCase());
  if (!known) return fail(404, "InvalidResourceType", `'${action}' is not an action of ${RESOURCE_TYPES[kind].label}s`);
  const resource = resources.get(ref);
  if (!resource) return notFound(ref, resources.firstMissing(ref));
  if (known.name === "exportSpecification") return specs.exportSpecification(resource);
  const body = parseBody(call.body);
  if (typeof body === "string") return fail(400, "InvalidRequestContent", body);
  if (known.name === "exportMetadataSchema") return specs.exportMetadataSchema(body, resources.metadataSchemas(ref));
  if (known.name === "importFromApim") return imports.start(url, resource, ref, body);
  return specs.importSpecification(url, ref, resource, body);
}
