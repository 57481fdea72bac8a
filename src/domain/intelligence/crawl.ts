/**
 * Reading a whole scope for the inventory index: through the gateway's lists (one per API, version
 * and definition) with at most `concurrency` APIs in flight, or in one read where the backend can.
 *
 * Calls are saved where an answer is already known: a definition with no `specification` has no spec
 * to export, and one whose `lastModifiedAt` and specification are those of the entry already held
 * (importing a spec moves both) keeps that entry's digest instead of being exported again. An API
 * that cannot be read does not fail the crawl: it keeps its last entry and is reported missing.
 */
import { mapLimit } from "../concurrency.js";
import { DomainError } from "../errors.js";
import type { ApiCenterGateway, Path, Resource } from "../gateway.js";
import { clip } from "../../arm/text.js";
import type { Scope } from "../scope.js";
import { operations, parseSpecDocument, specInfo } from "../specs/spec-doc.js";
import { apiKey, type IndexedApi, type IndexedDefinition, type IndexedVersion, type Snapshot } from "./inventory-index.js";

export const ENVIRONMENTS = "#environments";
export const SCHEMAS = "#schemas";
export const API_SOURCES = "#apiSources";

export interface CrawlOptions {
  gateway: ApiCenterGateway;
  /** APIs read at once (each API's calls are sequential, so this bounds the calls in flight). */
  concurrency: number;
  /** Specs larger than this are indexed without a digest (their operations are not searchable). */
  maxDigestBytes: number;
}

export interface CrawlCounter {
  calls: number;
  specsExported: number;
  specsReused: number;
}

export interface CrawlResult {
  apis: Map<string, IndexedApi>;
  environments: Resource[];
  metadataSchemas: Resource[];
  apiSources: Resource[];
  missing: Map<string, { name: string; reason: string }>;
}

type Progress = (done: number, total: number, message: string) => void;

export function reasonOf(e: unknown): string {
  return clip((e as Error).message ?? String(e), 300);
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function specOf(d: Resource): { name?: string; version?: string } | undefined {
  return d.properties.specification as { name?: string; version?: string } | undefined;
}

function digestOf(d: Resource, text: string | undefined, maxBytes: number): IndexedDefinition {
  if (!text) return { resource: d, hasSpec: false };
  const name = specOf(d)?.name?.toLowerCase();
  if (Buffer.byteLength(text) > maxBytes || (name && name !== "openapi" && name !== "asyncapi")) return { resource: d, hasSpec: true };
  const doc = parseSpecDocument(text);
  if (!doc) return { resource: d, hasSpec: true };
  const info = specInfo(doc);
  return {
    resource: d,
    hasSpec: true,
    digest: {
      ...(info.title ? { title: info.title } : {}),
      ...(info.description ? { description: info.description.slice(0, 2000) } : {}),
      operations: operations(doc),
    },
  };
}

/** A definition's entry: none to export, the one held if unchanged, or its spec exported and digested. */
async function indexDefinition(
  d: Resource,
  previous: IndexedDefinition | undefined,
  exportSpec: () => Promise<string | undefined>,
  counter: CrawlCounter,
  maxBytes: number,
): Promise<IndexedDefinition> {
  if (!specOf(d)) return { resource: d, hasSpec: false };
  if (previous?.hasSpec && d.modifiedAt && previous.resource.modifiedAt === d.modifiedAt && JSON.stringify(specOf(previous.resource)) === JSON.stringify(specOf(d))) {
    counter.specsReused += 1;
    return { ...previous, resource: d };
  }
  counter.specsExported += 1;
  return digestOf(d, await exportSpec(), maxBytes);
}

function previousDefinition(previous: IndexedApi | undefined, version: string, definition: string): IndexedDefinition | undefined {
  return previous?.versions.find((v) => sameName(v.resource.name, version))?.definitions.find((d) => sameName(d.resource.name, definition));
}

/**
 * One API, read sequentially: with the crawl's bound on APIs in flight, that bounds the calls in
 * flight. Without `previous`, every spec is exported.
 */
export async function crawlApi(opts: CrawlOptions, ws: Path, api: Resource, previous: IndexedApi | undefined, counter: CrawlCounter): Promise<IndexedApi> {
  const { gateway } = opts;
  const path = { ...ws, api: api.name };
  counter.calls += 2;
  const versions = await gateway.list("version", path);
  const deployments = await gateway.list("deployment", path);
  const indexed: IndexedVersion[] = [];
  for (const v of versions) {
    counter.calls += 1;
    const defs = await gateway.list("definition", { ...path, version: v.name });
    const definitions: IndexedDefinition[] = [];
    for (const d of defs) {
      const defPath = { ...path, version: v.name, definition: d.name };
      const exportSpec = async () => {
        counter.calls += 1;
        try {
          return await gateway.exportSpecification(defPath);
        } catch (e) {
          if (e instanceof DomainError && e.kind === "not_found") return undefined;
          throw e;
        }
      };
      definitions.push(await indexDefinition(d, previousDefinition(previous, v.name, d.name), exportSpec, counter, opts.maxDigestBytes));
    }
    indexed.push({ resource: v, definitions });
  }
  return { resource: api, versions: indexed, deployments };
}

/** A scope through the gateway's lists. Only the API list failing fails the crawl. */
export async function crawlScope(opts: CrawlOptions, scope: Scope, previous: Snapshot | undefined, counter: CrawlCounter, onProgress?: Progress): Promise<CrawlResult> {
  const { gateway } = opts;
  const ws = scope.path;
  const missing = new Map<string, { name: string; reason: string }>();
  const fallback = <T>(key: string, name: string, value: T) => (e: unknown) => {
    missing.set(key, { name, reason: reasonOf(e) });
    return value;
  };
  counter.calls += 4;
  const [apis, environments, metadataSchemas, apiSources] = await Promise.all([
    gateway.list("api", ws),
    gateway.list("environment", ws).catch(fallback(ENVIRONMENTS, "(environments)", previous?.environments ?? [])),
    gateway.list("metadataSchema", { service: scope.service }).catch(fallback(SCHEMAS, "(metadata schemas)", previous?.metadataSchemas ?? [])),
    gateway.list("apiSource", ws).catch(fallback(API_SOURCES, "(API sources)", previous?.apiSources ?? [])),
  ]);
  onProgress?.(0, apis.length, `indexing ${apis.length} APIs`);
  let done = 0;
  const step = Math.max(1, Math.ceil(apis.length / 20));
  const entries = await mapLimit(apis, opts.concurrency, async (api): Promise<IndexedApi> => {
    const key = apiKey(api.name);
    const before = previous?.apis.get(key);
    let entry: IndexedApi;
    try {
      entry = await crawlApi(opts, ws, api, before, counter);
    } catch (e) {
      missing.set(key, { name: api.name, reason: reasonOf(e) });
      entry = before && !before.partial ? { ...before, resource: api } : { resource: api, versions: [], deployments: [], partial: true };
    }
    done += 1;
    if (done % step === 0 || done === apis.length) onProgress?.(done, apis.length, `indexed ${done} of ${apis.length} APIs`);
    return entry;
  });
  return { apis: new Map(entries.map((e) => [apiKey(e.resource.name), e])), environments, metadataSchemas, apiSources, missing };
}

/** A scope in one read of a backend that holds the inventory itself. */
export async function readWholeWorkspace(opts: CrawlOptions, scope: Scope, previous: Snapshot | undefined, counter: CrawlCounter): Promise<CrawlResult> {
  counter.calls += 1;
  const tree = await opts.gateway.readWorkspace!(scope.path);
  if (!tree) throw new DomainError("not_found", `workspace '${scope.workspace}' was not found in service '${scope.service.serviceName}': list_services shows each service's workspaces`);
  const apis = new Map<string, IndexedApi>();
  for (const a of tree.apis) {
    const before = previous?.apis.get(apiKey(a.resource.name));
    const versions: IndexedVersion[] = [];
    for (const v of a.versions) {
      const definitions: IndexedDefinition[] = [];
      for (const d of v.definitions) {
        definitions.push(await indexDefinition(d.resource, previousDefinition(before, v.resource.name, d.resource.name), async () => d.spec(), counter, opts.maxDigestBytes));
      }
      versions.push({ resource: v.resource, definitions });
    }
    apis.set(apiKey(a.resource.name), { resource: a.resource, versions, deployments: a.deployments });
  }
  return { apis, environments: tree.environments, metadataSchemas: tree.metadataSchemas, apiSources: tree.apiSources, missing: new Map() };
}
