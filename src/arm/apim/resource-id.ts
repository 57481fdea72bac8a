/**
 * Microsoft.ApiManagement ids: a service, an API of it (a revision carries `;rev=n`), and an API's
 * operations and schemas. Parse/format and the service's name rules, as in apimanagement.json's
 * path parameters.
 */
import { APIM_PROVIDER } from "./models.js";

export interface ApimServiceRef {
  subscriptionId: string;
  resourceGroupName: string;
  serviceName: string;
}

export interface ApimRef extends ApimServiceRef {
  apiId?: string;
  /** Set only with apiId. */
  operationId?: string;
  /** Set only with apiId. */
  schemaId?: string;
}

/** ServiceNameParameter. */
export const APIM_SERVICE_NAME = /^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
/** ApiIdRevParameter (an API or one of its revisions). */
export const APIM_API_ID = /^[^*#&+:<>?]+$/;

export function apimServiceId(ref: ApimServiceRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroupName}/providers/${APIM_PROVIDER}/service/${ref.serviceName}`;
}

export function formatApimId(ref: ApimRef): string {
  let id = apimServiceId(ref);
  if (ref.apiId !== undefined) id += `/apis/${ref.apiId}`;
  if (ref.operationId !== undefined) id += `/operations/${ref.operationId}`;
  if (ref.schemaId !== undefined) id += `/schemas/${ref.schemaId}`;
  return id;
}

const ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)(?:\/apis\/([^/]+)(?:\/(operations|schemas)\/([^/]+))?)?$/i;

/** Parses a service, API, operation or schema id; null when it is none of them. Case-insensitive, as ARM is. */
export function parseApimId(id: string): ApimRef | null {
  const m = ID.exec(id.trim().replace(/\/+$/, ""));
  if (!m) return null;
  const ref: ApimRef = { subscriptionId: m[1]!, resourceGroupName: m[2]!, serviceName: m[3]! };
  if (m[4] !== undefined) ref.apiId = m[4];
  if (m[5]?.toLowerCase() === "operations") ref.operationId = m[6];
  if (m[5]?.toLowerCase() === "schemas") ref.schemaId = m[6];
  return ref;
}

/** An API id without its revision suffix: `echo;rev=2` -> `echo`. */
export const baseApiId = (apiId: string): string => apiId.replace(/;rev=\d+$/i, "");

/** Why `name` is not a valid API Management service name, or null when it is. */
export function apimServiceNameProblem(name: string): string | null {
  if (name.length >= 1 && name.length <= 50 && APIM_SERVICE_NAME.test(name)) return null;
  return `API Management service name '${name.slice(0, 60)}' is invalid: use 1 to 50 letters, digits or hyphens, starting with a letter and not ending with a hyphen`;
}

/** Why `apiId` is not a valid API (or revision) id, or null when it is. */
export function apimApiIdProblem(apiId: string): string | null {
  if (apiId.length >= 1 && apiId.length <= 256 && APIM_API_ID.test(apiId)) return null;
  return `API Management API id '${apiId.slice(0, 60)}' is invalid: use 1 to 256 characters, none of * # & + : < > ?`;
}

/** Why an operation or schema id is invalid (1 to 80 characters), or null. */
export function apimChildIdProblem(what: "operation" | "schema", id: string): string | null {
  if (id.length >= 1 && id.length <= 80 && !/[/?#]/.test(id)) return null;
  return `API Management ${what} id '${id.slice(0, 60)}' is invalid: use 1 to 80 characters without / ? #`;
}

/**
 * What `importFromApim` takes: the id of one API of a service, or `.../apis/*` for all of them.
 * Null when `id` is neither.
 */
export function parseApimSourceId(id: string): { service: ApimServiceRef; apiId: string | "*" } | null {
  const wildcard = /^(.*)\/apis\/\*$/i.exec(id.trim());
  const ref = parseApimId(wildcard ? `${wildcard[1]}/apis/x` : id);
  if (!ref || ref.apiId === undefined || ref.operationId !== undefined || ref.schemaId !== undefined) return null;
  const service = { subscriptionId: ref.subscriptionId, resourceGroupName: ref.resourceGroupName, serviceName: ref.serviceName };
  return { service, apiId: wildcard ? "*" : ref.apiId };
}

/**
 * Where an API answers on its service's gateway: `{gateway}/{path}`, plus the version for an API
 * versioned by URL segment. API Center's deployments of imported APIs carry this URL.
 */
export function gatewayApiUrl(gatewayUrl: string, path: string, apiVersion?: string, versioningScheme?: string): string {
  const base = path ? `${gatewayUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}` : gatewayUrl;
  return apiVersion && versioningScheme?.toLowerCase() === "segment" ? `${base}/${apiVersion}` : base;
}
