/**
 * What an API Management API becomes in API Center. From the recordings: the API's name is a
 * system-made decimal string (never the APIM id), its title the APIM display name, its kind `REST` in
 * upper case, its lifecycle stage `design`. Where the recordings are silent (versions, definitions,
 * environments, deployments: see ../shared/apim-arm/README.md), the choices below follow Microsoft's
 * how-to ("versions, definitions and deployment information are copied; API Management is added as
 * an environment") and the API-source docs (title, description and kind come from the source; an
 * environment of type Azure API Management; a deployment per API with the gateway's runtime URL).
 */
import { createHash } from "node:crypto";
import { NAME_PATTERN } from "../../arm/resource-types.js";

/**
 * The API's name: FNV-1a (64 bits, in decimal, like the live names) of its API Management id in lower
 * case. The same API always maps to the same name, so a second import updates instead of duplicating,
 * as live re-imports do.
 */
export function importedApiName(apimApiId: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(apimApiId.toLowerCase(), "utf8")) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString().padStart(3, "0");
}

/** APIM API types as API Center kinds; upper case as the live import writes `REST`. */
const KIND: Record<string, string> = { http: "REST", soap: "SOAP", graphql: "GRAPHQL", websocket: "WEBSOCKET" };
export const importedKind = (apimType: string): string => KIND[apimType.toLowerCase()] ?? "REST";

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 90);

/** A name that meets API Center's rule (3-90 letters, digits, hyphens), with `prefix` when too short. */
function nameFrom(text: string, prefix: string): string {
  const s = slug(text);
  return NAME_PATTERN.test(s) ? s : `${prefix}-${s}`.slice(0, 90);
}

/** APIM's unversioned API is its "Original" (API Management's own word for it); a versioned one takes its version. */
export function importedVersion(apiVersion: string | undefined): { name: string; title: string } {
  return apiVersion ? { name: nameFrom(apiVersion, "version"), title: apiVersion.slice(0, 50) } : { name: "original", title: "Original" };
}

/** The definition takes the spec type's name, as definitions registered through this project do. */
export const IMPORTED_DEFINITION = { openapi: { name: "openapi", title: "OpenAPI" }, graphql: { name: "graphql", title: "GraphQL" } } as const;

/** The environment of an API Management service: named after it, so two services stay two environments. */
export const importedEnvironmentName = (apimServiceName: string): string => nameFrom(apimServiceName, "apim");

export const specDigest = (text: string): string => createHash("sha256").update(text).digest("hex");
