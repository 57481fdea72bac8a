/**
 * APIs of the local API Management: what a PUT stores (the path without its leading slash, live
 * Azure's defaults for revision, protocols and subscription keys), how GET and PUT answer it, and the
 * import of an OpenAPI or Swagger document given with the PUT (`format` + `value`) into the API's
 * operations and one schema holding its components, as API Management itself does.
 */
import { createHash } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { ApiCreateOrUpdateProperties, OperationContractProperties } from "../../arm/apim/models.js";
import type { StoredResource } from "../store.js";

const DEFAULT_KEY_NAMES = { header: "Ocp-Apim-Subscription-Key", query: "subscription-key" };

export type Problem = { code: string; message: string };
type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };
const bad = (message: string, code = "ValidationError"): { ok: false; problem: Problem } => ({ ok: false, problem: { code, message } });

/** Formats whose `value` is the document itself; the `-link` ones are fetched first. */
const INLINE_OPENAPI = new Set(["openapi", "openapi+json", "swagger-json"]);
const LINKED_OPENAPI: Record<string, string> = { "openapi-link": "openapi", "openapi+json-link": "openapi+json", "swagger-link-json": "swagger-json" };

export const isLinkFormat = (format: string | null | undefined): boolean => !!format && format.toLowerCase() in LINKED_OPENAPI;
export const inlineFormatOf = (format: string): string => LINKED_OPENAPI[format.toLowerCase()] ?? format;

export interface ParsedApiPut {
  properties: Record<string, unknown>;
  /** Operations and the schema to create from an imported document (absent: keep what there is). */
  imported?: { operations: Array<{ name: string; properties: Record<string, unknown> }>; schema?: { contentType: string; document: Record<string, unknown> } };
}

/** Validates an API PUT's `properties`, merges them over what exists, and imports an inline document. */
export function apiPayload(apiId: string, body: Record<string, unknown>, existing: StoredResource | undefined): Result<ParsedApiPut> {
  if (!body.properties || typeof body.properties !== "object") return bad('properties is required: send {"properties": {"path": "...", ...}}');
  const parsed = ApiCreateOrUpdateProperties.safeParse(body.properties);
  if (!parsed.success) return bad(parsed.error.issues.map((i) => `properties.${i.path.join(".")}: ${i.message}`).join("; "));
  const input = parsed.data;
  const before = (existing?.doc.properties ?? {}) as Record<string, unknown>;
  let doc: Record<string, unknown> | undefined;
  if (input.format || input.value) {
    if (!input.format || !input.value) return bad("properties.format and properties.value go together: the document's format and its text (or URL)");
    const format = input.format.toLowerCase();
    if (!INLINE_OPENAPI.has(format)) {
      return bad(`format '${input.format}' is not imported by the local API Management: use openapi, openapi+json or swagger-json (or their -link forms)`);
    }
    try {
      doc = parseYaml(input.value) as Record<string, unknown>;
    } catch (e) {
      return bad(`properties.value is not a ${format} document: ${(e as Error).message}`);
    }
    if (!doc || typeof doc !== "object" || !(doc.openapi || doc.swagger)) return bad(`properties.value is not an OpenAPI or Swagger document (no 'openapi' or 'swagger' field)`);
  }
  const info = (doc?.info ?? {}) as Record<string, unknown>;
  const displayName = input.displayName ?? (before.displayName as string | undefined) ?? (typeof info.title === "string" ? info.title : undefined);
  if (!displayName) return bad("properties.displayName is required (or import a document whose info has a title)");
  const path = input.path.replace(/^\/+|\/+$/g, "");
  // `echo;rev=3` is revision 3 of `echo`, not its current one unless made so.
  const revision = /;rev=(\d+)$/i.exec(apiId)?.[1];
  const properties: Record<string, unknown> = {
    ...before,
    displayName,
    description: input.description ?? (before.description as string | undefined) ?? (typeof info.description === "string" ? info.description : null),
    serviceUrl: input.serviceUrl ?? before.serviceUrl ?? (doc ? serviceUrlOf(doc) : null),
    path,
    protocols: input.protocols ?? before.protocols ?? ["https"],
    subscriptionRequired: input.subscriptionRequired ?? before.subscriptionRequired ?? true,
    subscriptionKeyParameterNames: { ...DEFAULT_KEY_NAMES, ...(before.subscriptionKeyParameterNames as object | undefined), ...stripNull(input.subscriptionKeyParameterNames ?? {}) },
    authenticationSettings: input.authenticationSettings ?? before.authenticationSettings ?? { oAuth2: null, openid: null },
    type: (input.type ?? input.apiType ?? (before.type as string | undefined) ?? "http").toLowerCase(),
    apiRevision: input.apiRevision ?? before.apiRevision ?? revision ?? "1",
    isCurrent: input.isCurrent ?? before.isCurrent ?? revision === undefined,
    ...pick(input, ["apiVersion", "apiVersionSetId", "apiVersionSet", "apiVersionDescription", "apiRevisionDescription", "termsOfServiceUrl", "contact", "license", "sourceApiId"]),
  };
  return { ok: true, value: { properties, ...(doc ? { imported: importDocument(doc) } : {}) } };
}

const stripNull = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
const pick = (o: Record<string, unknown>, keys: string[]) => stripNull(Object.fromEntries(keys.map((k) => [k, o[k]])));

function serviceUrlOf(doc: Record<string, unknown>): string | null {
  const servers = doc.servers as Array<{ url?: string }> | undefined;
  if (servers?.[0]?.url) return servers[0].url;
  if (typeof doc.host === "string") return `${((doc.schemes as string[] | undefined) ?? ["https"])[0]}://${doc.host}${(doc.basePath as string | undefined) ?? ""}`;
  return null;
}

/** The API as a PUT answers it; GET adds the two settings arrays, as live Azure does. */
export function renderApi(r: StoredResource, forGet: boolean): Record<string, unknown> {
  const p = r.doc.properties;
  const auth = (p.authenticationSettings ?? { oAuth2: null, openid: null }) as Record<string, unknown>;
  // The single oAuth2/openid settings are mirrored in the lists; GET always shows the lists, PUT only when not empty.
  const list = (given: unknown, single: unknown) => (Array.isArray(given) && given.length ? given : single ? [single] : []);
  const lists = {
    oAuth2AuthenticationSettings: list(auth.oAuth2AuthenticationSettings, auth.oAuth2),
    openidAuthenticationSettings: list(auth.openidAuthenticationSettings, auth.openid),
  };
  const shownLists = forGet ? lists : Object.fromEntries(Object.entries(lists).filter(([, v]) => v.length));
  return {
    id: r.id,
    type: "Microsoft.ApiManagement/service/apis",
    name: r.name,
    properties: {
      displayName: p.displayName,
      apiRevision: p.apiRevision,
      description: p.description ?? null,
      subscriptionRequired: p.subscriptionRequired,
      serviceUrl: p.serviceUrl ?? null,
      backendId: null,
      path: p.path,
      protocols: p.protocols,
      authenticationSettings: { oAuth2: auth.oAuth2 ?? null, openid: auth.openid ?? null, ...shownLists },
      subscriptionKeyParameterNames: p.subscriptionKeyParameterNames,
      // An HTTP API's type goes unsaid; the others name theirs.
      ...(p.type && p.type !== "http" ? { type: p.type } : {}),
      ...pick(p, ["apiVersion", "apiVersionSetId", "apiVersionSet", "apiVersionDescription", "apiRevisionDescription", "termsOfServiceUrl", "contact", "license", "sourceApiId"]),
      isCurrent: p.isCurrent,
    },
  };
}

/** An operation's stored properties, with live Azure's empty defaults. */
export function operationPayload(body: Record<string, unknown>): Result<Record<string, unknown>> {
  const parsed = OperationContractProperties.safeParse(body.properties);
  if (!parsed.success) return bad(parsed.error.issues.map((i) => `properties.${i.path.join(".")}: ${i.message}`).join("; "));
  const p = parsed.data;
  const declared = new Set((p.templateParameters ?? []).map((t) => t.name));
  const used = [...p.urlTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const missing = used.filter((u) => !declared.has(u));
  if (missing.length) return bad(`properties.templateParameters must declare every parameter of urlTemplate '${p.urlTemplate}': add ${missing.join(", ")}`);
  return {
    ok: true,
    value: {
      displayName: p.displayName,
      method: p.method.toUpperCase(),
      urlTemplate: p.urlTemplate,
      templateParameters: p.templateParameters ?? [],
      description: p.description ?? null,
      request: { queryParameters: [], headers: [], representations: [], ...stripNull((p.request ?? {}) as Record<string, unknown>) },
      responses: p.responses ?? [],
      policies: p.policies ?? null,
    },
  };
}

export const renderOperation = (r: StoredResource) => ({ id: r.id, type: "Microsoft.ApiManagement/service/apis/operations", name: r.name, properties: r.doc.properties });
export const renderSchema = (r: StoredResource) => ({ id: r.id, type: "Microsoft.ApiManagement/service/apis/schemas", name: r.name, properties: r.doc.properties });

/** The id API Management gives the schema it makes from an imported document: stable per API. */
export const importedSchemaId = (apiKey: string): string => createHash("sha1").update(apiKey).digest("hex").slice(0, 24);

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
type Json = Record<string, unknown>;

const refName = (schema: unknown): string | undefined => {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  return ref ? ref.split("/").pop() : undefined;
};

function parameter(p: Json): Json {
  const schema = (p.schema ?? p) as Json;
  return stripNull({ name: p.name, type: typeof schema.type === "string" ? schema.type : "string", description: p.description, required: p.required === true, defaultValue: schema.default === undefined ? undefined : String(schema.default), values: Array.isArray(schema.enum) ? schema.enum.map(String) : [] });
}

function representations(content: unknown, swaggerBody?: Json): Json[] {
  if (swaggerBody) return [stripNull({ contentType: "application/json", typeName: refName(swaggerBody.schema) })];
  return Object.entries((content ?? {}) as Record<string, Json>).map(([contentType, media]) => stripNull({ contentType, typeName: refName(media?.schema) }));
}

/** Operations and components from an OpenAPI 3 or Swagger 2 document, as API Management imports them. */
function importDocument(doc: Json): NonNullable<ParsedApiPut["imported"]> {
  const swagger = typeof doc.swagger === "string";
  const operations: Array<{ name: string; properties: Json }> = [];
  const taken = new Set<string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    const shared = (item.parameters as Json[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const params = [...shared, ...((op.parameters as Json[] | undefined) ?? [])];
      const by = (where: string) => params.filter((p) => p.in === where).map(parameter);
      const bodyParam = swagger ? params.find((p) => p.in === "body") : undefined;
      const requestBody = op.requestBody as Json | undefined;
      let name = typeof op.operationId === "string" && /^[A-Za-z0-9][\w.-]{0,79}$/.test(op.operationId) ? op.operationId : `${method}-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}`.slice(0, 80);
      for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${name.slice(0, 76)}-${n}`;
      taken.add(name.toLowerCase());
      const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
        .filter(([code]) => /^\d{3}$/.test(code))
        .map(([code, r]) => stripNull({ statusCode: Number(code), description: r.description, representations: representations(r.content, swagger && r.schema ? r : undefined), headers: [] }));
      operations.push({
        name,
        properties: {
          displayName: String(op.summary ?? op.operationId ?? `${method.toUpperCase()} ${path}`).slice(0, 300),
          method: method.toUpperCase(),
          urlTemplate: path,
          templateParameters: by("path").map((p) => ({ ...p, required: true })),
          description: typeof op.description === "string" ? op.description.slice(0, 1000) : null,
          request: {
            ...(requestBody?.description ? { description: requestBody.description } : {}),
            queryParameters: by("query"),
            headers: by("header"),
            representations: bodyParam || requestBody ? representations(requestBody?.content, bodyParam) : [],
          },
          responses,
          policies: null,
        },
      });
    }
  }
  const components = doc.components as Json | undefined;
  const definitions = doc.definitions as Json | undefined;
  const schema = swagger
    ? definitions && { contentType: "application/vnd.ms-azure-apim.swagger.definitions+json", document: { definitions } }
    : components && { contentType: "application/vnd.oai.openapi.components+json", document: { components } };
  return { operations, ...(schema ? { schema } : {}) };
}
