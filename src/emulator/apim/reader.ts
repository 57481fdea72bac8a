/**
 * What API Center reads of an API Management service when it imports from it (live Azure does this
 * server-side with its managed identity): the service, its current APIs, and each API's description
 * as API Management exports it (OpenAPI 3 JSON) or, for a GraphQL API, its schema.
 */
import { GRAPHQL_SCHEMA_CONTENT_TYPE } from "../../arm/apim/models.js";
import type { ApimServiceRef } from "../../arm/apim/resource-id.js";
import type { StoredResource } from "../store.js";
import { openApiOf } from "./export.js";
import type { ApimResources } from "./resources.js";
import { gatewayUrlOf, isActivating, renderService } from "./service.js";

export interface ApimServiceView {
  id: string;
  name: string;
  gatewayUrl: string;
  developerPortalUrl: string | null;
  activating: boolean;
}

export interface ApimApiView {
  /** The API's ARM id. */
  id: string;
  name: string;
  displayName: string;
  description?: string;
  type: string;
  path: string;
  apiVersion?: string;
  /** How clients name the version: Segment puts it in the URL. */
  versioningScheme?: string;
}

export class ApimReader {
  constructor(private readonly resources: ApimResources) {}

  service(ref: ApimServiceRef): ApimServiceView | null {
    const r = this.resources.get(ref);
    if (!r) return null;
    const props = renderService(r).properties as { developerPortalUrl: string | null };
    return { id: r.id, name: r.name, gatewayUrl: gatewayUrlOf(r), developerPortalUrl: props.developerPortalUrl, activating: isActivating(r) };
  }

  /** The service's current APIs (revisions that are not current are not imported). */
  apis(ref: ApimServiceRef): ApimApiView[] {
    const service = this.resources.get(ref);
    if (!service) return [];
    return this.resources
      .children(service, "apimApi")
      .filter((a) => a.doc.properties.isCurrent !== false)
      .map(view);
  }

  api(ref: ApimServiceRef, apiId: string): ApimApiView | null {
    const r = this.resources.get({ ...ref, apiId });
    return r && r.doc.properties.isCurrent !== false ? view(r) : null;
  }

  /** The API's description as API Management exports it: OpenAPI for HTTP APIs, SDL for GraphQL, none otherwise. */
  description(ref: ApimServiceRef, apiId: string): { specName: "openapi" | "graphql"; text: string } | null {
    const service = this.resources.get(ref);
    const api = this.resources.get({ ...ref, apiId });
    if (!service || !api) return null;
    const schemas = this.resources.children(api, "apimSchema");
    const type = String(api.doc.properties.type ?? "http");
    if (type === "graphql") {
      const sdl = schemas.find((s) => String(s.doc.properties.contentType) === GRAPHQL_SCHEMA_CONTENT_TYPE);
      const text = (sdl?.doc.properties.document as { value?: string } | undefined)?.value;
      return text ? { specName: "graphql", text } : null;
    }
    if (type !== "http") return null;
    const doc = openApiOf(api, this.resources.children(api, "apimOperation"), schemas, gatewayUrlOf(service));
    return { specName: "openapi", text: JSON.stringify(doc, null, 2) };
  }
}

function view(r: StoredResource): ApimApiView {
  const p = r.doc.properties;
  return {
    id: r.id,
    name: r.name,
    displayName: String(p.displayName ?? r.name),
    ...(typeof p.description === "string" && p.description ? { description: p.description } : {}),
    type: String(p.type ?? "http"),
    path: String(p.path ?? ""),
    ...(typeof p.apiVersion === "string" && p.apiVersion ? { apiVersion: p.apiVersion } : {}),
    ...(typeof (p.apiVersionSet as { versioningScheme?: unknown } | undefined)?.versioningScheme === "string"
      ? { versioningScheme: (p.apiVersionSet as { versioningScheme: string }).versioningScheme }
      : {}),
  };
}
