/**
 * What API Management exports for an API: an OpenAPI 3.0.1 document made from the API as it holds it
 * (its operations, the components of its schemas, its gateway URL and subscription-key schemes), not
 * the document it was imported from, so a change to an operation changes the export.
 */
import { stringify as toYaml } from "yaml";
import type { StoredResource } from "../store.js";

type Json = Record<string, unknown>;

const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

function parameterOf(p: Json, where: "path" | "query" | "header"): Json {
  const values = Array.isArray(p.values) && p.values.length ? p.values : undefined;
  return defined({
    name: p.name,
    in: where,
    description: p.description ?? undefined,
    required: where === "path" ? true : p.required === true,
    schema: defined({ type: p.type ?? "string", enum: values, default: p.defaultValue ?? undefined }),
  });
}

function contentOf(representations: Json[] | undefined): Json | undefined {
  if (!representations?.length) return undefined;
  return Object.fromEntries(
    representations.map((r) => [r.contentType as string, r.typeName ? { schema: { $ref: `#/components/schemas/${String(r.typeName)}` } } : {}]),
  );
}

/** The OpenAPI 3.0.1 document of an API, with its operations in creation order. */
export function openApiOf(api: StoredResource, operations: StoredResource[], schemas: StoredResource[], gatewayUrl: string): Json {
  const p = api.doc.properties;
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const o = op.doc.properties;
    const request = (o.request ?? {}) as Json;
    const path = String(o.urlTemplate).split("?")[0]!;
    const responses = (o.responses as Json[] | undefined) ?? [];
    const requestContent = contentOf(request.representations as Json[] | undefined);
    paths[path] = {
      ...(paths[path] ?? {}),
      [String(o.method).toLowerCase()]: defined({
        summary: o.displayName,
        description: o.description ?? undefined,
        operationId: op.name,
        parameters: [
          ...((o.templateParameters as Json[] | undefined) ?? []).map((t) => parameterOf(t, "path")),
          ...((request.queryParameters as Json[] | undefined) ?? []).map((q) => parameterOf(q, "query")),
          ...((request.headers as Json[] | undefined) ?? []).map((h) => parameterOf(h, "header")),
        ],
        requestBody: requestContent ? defined({ description: request.description ?? undefined, content: requestContent }) : undefined,
        responses: responses.length
          ? Object.fromEntries(responses.map((r) => [String(r.statusCode), defined({ description: (r.description as string | undefined) ?? "", content: contentOf(r.representations as Json[] | undefined) })]))
          : { "200": { description: "" } },
      }),
    };
  }
  const componentSchemas: Json = {};
  for (const s of schemas) {
    const document = (s.doc.properties.document ?? {}) as Json;
    Object.assign(componentSchemas, ((document.components as Json | undefined)?.schemas as Json | undefined) ?? {}, (document.definitions as Json | undefined) ?? {});
  }
  const keys = p.subscriptionKeyParameterNames as { header: string; query: string };
  const secured = p.subscriptionRequired === true;
  return defined({
    openapi: "3.0.1",
    info: defined({ title: p.displayName, description: p.description ?? undefined, version: (p.apiVersion as string | undefined) ?? "1.0" }),
    servers: [{ url: p.path ? `${gatewayUrl}/${String(p.path)}` : gatewayUrl }],
    paths,
    components: defined({
      schemas: Object.keys(componentSchemas).length ? componentSchemas : undefined,
      securitySchemes: secured
        ? { apiKeyHeader: { type: "apiKey", name: keys.header, in: "header" }, apiKeyQuery: { type: "apiKey", name: keys.query, in: "query" } }
        : undefined,
    }),
    security: secured ? [{ apiKeyHeader: [] }, { apiKeyQuery: [] }] : [],
  });
}

/** The export's text in the format asked for: `openapi+json-link` is JSON, `openapi-link` YAML. */
export function exportText(doc: Json, format: "openapi-link" | "openapi+json-link"): { text: string; contentType: string; extension: string } {
  return format === "openapi+json-link"
    ? { text: JSON.stringify(doc, null, 2), contentType: "application/json", extension: "json" }
    : { text: toYaml(doc), contentType: "application/yaml", extension: "yaml" };
}
