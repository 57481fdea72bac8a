/**
 * Where an API came from, read from the inventory itself: an API deployed to an environment whose
 * server is Azure API Management came from that gateway (its deployment's runtime URL names it), and
 * from the API source that targets that environment, if one does. And whether API Management's
 * definition of such an API has changed since it was imported: its export there against the spec in
 * API Center, compared on what a client depends on (paths, operations, schemas).
 */
import { gatewayApiUrl } from "../../arm/apim/resource-id.js";
import { mapLimit } from "../concurrency.js";
import { DomainError } from "../errors.js";
import type { ApiCenterGateway, ApimApi, ApimService, Path, Resource } from "../gateway.js";
import { operations, parseSpecDocument, type OperationRow } from "../specs/spec-doc.js";
import { deploymentView } from "../summaries.js";

export const APIM_SERVER_TYPE = "azure api management";

export interface Origin {
  /** The API Management gateway the API runs on, e.g. https://contoso.azure-api.net. */
  gateway: string;
  /** The API Center environment standing for that gateway. */
  environment: string;
  /** The API source that keeps the API in sync, when one does. */
  apiSource?: string;
  /** The deployment that says so, with the version and definition it deploys. */
  deployment: string;
  runtimeUri: string;
  version?: string;
  definition?: string;
}

const envName = (id: unknown) => /\/environments\/([^/]+)$/i.exec(String(id ?? ""))?.[1]?.toLowerCase();

/** The origin of an API with these deployments, given the workspace's environments (by lower-cased name) and API sources. */
export function originOf(deployments: Resource[], environments: Map<string, Resource>, apiSources: Resource[]): Origin | undefined {
  for (const d of deployments) {
    const v = deploymentView(d);
    const env = v.environment ? environments.get(v.environment.toLowerCase()) : undefined;
    const type = String((env?.properties.server as { type?: string } | undefined)?.type ?? "").toLowerCase();
    const runtimeUri = v.runtimeUris[0];
    if (!env || type !== APIM_SERVER_TYPE || !runtimeUri) continue;
    let gateway: string;
    try {
      gateway = new URL(runtimeUri).origin;
    } catch {
      continue;
    }
    const source = apiSources.find((s) => envName(s.properties.targetEnvironmentId) === env.name.toLowerCase());
    return {
      gateway,
      environment: env.name,
      ...(source ? { apiSource: source.name } : {}),
      deployment: d.name,
      runtimeUri,
      ...(v.version ? { version: v.version } : {}),
      ...(v.definition ? { definition: v.definition } : {}),
    };
  }
  return undefined;
}

/** One line for rows: "API Management contoso.azure-api.net via API source x". */
export const originLine = (o: Origin): string => `API Management ${new URL(o.gateway).host}${o.apiSource ? ` via API source ${o.apiSource}` : ""}`;

export interface Drift {
  api: string;
  origin: Origin;
  /** The API in API Management, when it was found. */
  apimApi?: string;
  /** What changed; or, when `checked` is false, why it could not be told. */
  change: string;
  checked: boolean;
}

/** What a client depends on in a spec: its paths with their operations, and its schemas, in a stable form. */
function contract(doc: Record<string, unknown>): string {
  const stable = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(stable) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v;
  const components = doc.components as Record<string, unknown> | undefined;
  return JSON.stringify(stable({ paths: doc.paths ?? {}, schemas: components?.schemas ?? doc.definitions ?? {} }));
}

function describeChange(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const key = (o: OperationRow) => `${o.method.toUpperCase()} ${o.path}`;
  const old = new Map(operations(before).map((o) => [key(o), o]));
  const now = new Map(operations(after).map((o) => [key(o), o]));
  const added = [...now.keys()].filter((k) => !old.has(k));
  const removed = [...old.keys()].filter((k) => !now.has(k));
  const paths = (d: Record<string, unknown>) => (d.paths ?? {}) as Record<string, Record<string, unknown>>;
  const changed = [...now.keys()].filter((k) => {
    if (!old.has(k)) return false;
    const [method, path] = [k.split(" ")[0]!.toLowerCase(), k.slice(k.indexOf(" ") + 1)];
    return JSON.stringify(paths(before)[path]?.[method]) !== JSON.stringify(paths(after)[path]?.[method]);
  });
  const parts = [
    added.length ? `added ${added.slice(0, 3).join(", ")}${added.length > 3 ? ` and ${added.length - 3} more` : ""}` : "",
    removed.length ? `removed ${removed.slice(0, 3).join(", ")}${removed.length > 3 ? ` and ${removed.length - 3} more` : ""}` : "",
    changed.length ? `changed ${changed.slice(0, 3).join(", ")}${changed.length > 3 ? ` and ${changed.length - 3} more` : ""}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join("; ") : "its schemas changed";
}

/**
 * The imported APIs (those with an API Management origin) whose definition in API Management no
 * longer matches the spec API Center holds. API Management is read once per service and once per
 * API; what cannot be read is reported as unchecked, with the reason, rather than failing the audit.
 */
export async function findDrift(
  gateway: ApiCenterGateway,
  ws: Path,
  subscriptionId: string,
  imported: Array<{ api: string; origin: Origin }>,
  onProgress?: (message: string) => void,
): Promise<Drift[]> {
  if (imported.length === 0) return [];
  onProgress?.(`checking ${imported.length} imported API(s) against API Management`);
  let services: ApimService[];
  try {
    services = await gateway.listApimServices(subscriptionId);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return imported.map(({ api, origin }) => ({ api, origin, change: `API Management could not be read: ${e.message}`, checked: false }));
  }
  const byGateway = new Map(services.map((s) => [new URL(s.gatewayUrl).origin.toLowerCase(), s]));
  const apisOf = new Map<string, Promise<ApimApi[]>>();
  const results = await mapLimit(imported, 8, async ({ api, origin }): Promise<Drift | null> => {
    const service = byGateway.get(origin.gateway.toLowerCase());
    if (!service) return { api, origin, change: `no API Management service in subscription '${subscriptionId}' has the gateway ${origin.gateway}`, checked: false };
    try {
      if (!apisOf.has(service.id)) apisOf.set(service.id, gateway.listApimApis(service.id));
      const match = (await apisOf.get(service.id)!).find((a) => gatewayApiUrl(service.gatewayUrl, a.path, a.apiVersion, a.versioningScheme).toLowerCase() === origin.runtimeUri.toLowerCase());
      if (!match) return { api, origin, change: `API Management service '${service.name}' no longer has an API at ${origin.runtimeUri}`, checked: true };
      if (!origin.version || !origin.definition) return { api, origin, apimApi: match.name, change: "its deployment names no definition to compare", checked: false };
      const [there, here] = await Promise.all([
        gateway.exportApimSpec(match.id),
        gateway.exportSpecification({ ...ws, api, version: origin.version, definition: origin.definition }),
      ]);
      const after = parseSpecDocument(there);
      const before = parseSpecDocument(here);
      if (!after || !before) return { api, origin, apimApi: match.name, change: "one of the two specs is not OpenAPI", checked: false };
      if (contract(after) === contract(before)) return null;
      return { api, origin, apimApi: match.name, change: describeChange(before, after), checked: true };
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return { api, origin, change: `could not be checked: ${e.message}`, checked: false };
    }
  });
  return results.filter((r): r is Drift => r !== null);
}
