/** Reading the inventory: the questions an assistant asks, each answered in one call. */
import { originLine, originOf } from "./apim/provenance.js";
import { mapLimit } from "./concurrency.js";
import type { Freshness, IndexedApi, InventoryIndex } from "./intelligence/inventory-index.js";
import { resolveScope, resolveService, type Where } from "./scope.js";
import { DomainError, withNotFoundHint } from "./errors.js";
import type { ApiCenterGateway, Path, Resource, ServiceInfo, ServiceTarget } from "./gateway.js";
import { operationSlice, parseSpecDocument, pointerSlice } from "./specs/spec-doc.js";
import {
  apiRow,
  contactsOf,
  deploymentView,
  environmentView,
  latestOf,
  latestVersionView,
  specificationOf,
  metadataSchemaView,
  versionView,
  type ApiRow,
  type DeploymentView,
  type EnvironmentView,
  type MetadataSchemaView,
  type VersionView,
} from "./summaries.js";

/** Calls in flight at once when one answer needs many reads (ARM throttles per principal). */
const FAN_OUT = 8;

export interface ApiQuery extends Where {
  kind?: string;
  lifecycleStage?: string;
  /** Words that must all appear in the name, title, summary or description. */
  text?: string;
  /** Custom property values that must match exactly (strings without regard to case). */
  customProperties?: Record<string, unknown>;
  /** Only APIs with a deployment in this environment. */
  environment?: string;
  limit?: number;
  cursor?: string;
}

export interface ApiPage {
  apis: ApiRow[];
  total: number;
  nextCursor?: string;
  /** How fresh the index the rows come from is. */
  freshness: Freshness;
}

export interface ApiDetail {
  name: string;
  title: string;
  kind: string;
  lifecycleStage?: string;
  summary?: string;
  description?: string;
  contacts: ReturnType<typeof contactsOf>;
  license?: unknown;
  termsOfService?: unknown;
  externalDocumentation?: unknown;
  customProperties?: Record<string, unknown>;
  versions: VersionView[];
  deployments: DeploymentView[];
  /** Where it came from, when it was imported from API Management (e.g. "API Management contoso.azure-api.net via API source x"). */
  origin?: string;
}

export interface DefinitionRef {
  api: string;
  version: string;
  definition: string;
}

export type ExportMode = "whole" | "operation" | "pointer";

export interface SpecExport {
  /** Type and version, e.g. "openapi 3.0.1". */
  specification?: string;
  bytes: number;
  mode: ExportMode;
  content?: string;
  slice?: unknown;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const o = (JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { o?: unknown }).o;
    if (typeof o === "number" && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // Falls through to the error below.
  }
  throw new DomainError("invalid_input", "the cursor is not one this server issued: call again without it to start from the first page");
}

function matchesValue(actual: unknown, wanted: unknown): boolean {
  if (typeof actual === "string" && typeof wanted === "string") return actual.toLowerCase() === wanted.toLowerCase();
  return JSON.stringify(actual) === JSON.stringify(wanted);
}

const lower = (v: unknown) => String(v ?? "").toLowerCase();

/** Whether an indexed API passes list_apis' filters. */
function listed(entry: IndexedApi, q: ApiQuery, words: string[]): boolean {
  const p = entry.resource.properties;
  if (q.kind && lower(p.kind) !== q.kind.toLowerCase()) return false;
  if (q.lifecycleStage && lower(p.lifecycleStage) !== q.lifecycleStage.toLowerCase()) return false;
  if (words.length) {
    const hay = [entry.resource.name, p.title, p.summary, p.description].map(lower).join(" ");
    if (!words.every((w) => hay.includes(w))) return false;
  }
  if (q.customProperties) {
    const custom = (p.customProperties ?? {}) as Record<string, unknown>;
    if (!Object.entries(q.customProperties).every(([k, v]) => matchesValue(custom[k], v))) return false;
  }
  if (q.environment) {
    const env = q.environment.toLowerCase();
    if (!entry.deployments.some((d) => deploymentView(d).environment?.toLowerCase() === env)) return false;
  }
  return true;
}

export class Inventory {
  constructor(
    readonly gateway: ApiCenterGateway,
    /** list_apis answers from it: one crawl serves every page and filter, instead of several calls per row. */
    private readonly index: InventoryIndex,
  ) {}

  private ws(where: Where): Path {
    return resolveScope(where, this.gateway.defaultService).path;
  }

  async listServices(target?: ServiceTarget): Promise<ServiceInfo[]> {
    return this.gateway.listServices(target);
  }

  async listWorkspaces(where: Where): Promise<Array<{ name: string; title: string }>> {
    const list = await this.gateway.list("workspace", { service: resolveService(where.service, this.gateway.defaultService) });
    return list.map((w) => ({ name: w.name, title: String(w.properties.title ?? w.name) }));
  }

  /** A page of the APIs the filters keep, from the inventory index (writes through this server are in it; its age is stated). */
  async listApis(q: ApiQuery): Promise<ApiPage> {
    const snapshot = await this.index.get(q);
    const words = (q.text ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const apis = [...snapshot.apis.values()].filter((a) => listed(a, q, words));
    const offset = decodeCursor(q.cursor);
    const limit = q.limit ?? 50;
    const rows = apis.slice(offset, offset + limit).map((a) => {
      const latest = latestOf(a.versions, (v) => v.resource);
      return apiRow(a.resource, a.versions.length, latest && latestVersionView(latest.resource, latest.definitions.map((d) => d.resource)));
    });
    return {
      apis: rows,
      total: apis.length,
      ...(offset + limit < apis.length ? { nextCursor: encodeCursor(offset + limit) } : {}),
      freshness: this.index.freshness(snapshot),
    };
  }

  /** An API with its versions, their definitions, and its deployments, in one answer. */
  async getApi(where: Where, apiName: string): Promise<ApiDetail> {
    const path = { ...this.ws(where), api: apiName };
    const api = await withNotFoundHint(this.gateway.get("api", path), "list_apis shows the names");
    const [versions, deployments] = await Promise.all([this.gateway.list("version", path), this.gateway.list("deployment", path)]);
    const defs = await mapLimit(versions, FAN_OUT, (v) => this.gateway.list("definition", { ...path, version: v.name }));
    // Only a deployment can tie an API to an API Management gateway: without one, no need to look.
    const [environments, apiSources] = deployments.length
      ? await Promise.all([this.gateway.list("environment", this.ws(where)), this.gateway.list("apiSource", this.ws(where))])
      : [[], []];
    const origin = originOf(deployments, new Map(environments.map((e) => [e.name.toLowerCase(), e])), apiSources);
    const p = api.properties;
    const custom = p.customProperties as Record<string, unknown> | undefined;
    const docs = p.externalDocumentation as unknown[] | undefined;
    const row = apiRow(api, versions.length, undefined);
    return Object.fromEntries(
      Object.entries({
        name: api.name,
        title: row.title,
        kind: row.kind,
        lifecycleStage: row.lifecycleStage,
        summary: row.summary,
        description: p.description,
        contacts: row.contacts,
        license: p.license,
        termsOfService: p.termsOfService,
        externalDocumentation: docs?.length ? docs : undefined,
        customProperties: custom && Object.keys(custom).length ? custom : undefined,
        versions: versions.map((v, i) => versionView(v, defs[i]!)),
        deployments: deployments.map(deploymentView),
        origin: origin && originLine(origin),
      }).filter(([, v]) => v !== undefined),
    ) as unknown as ApiDetail;
  }

  /**
   * Completes a definition reference: without a version, the API's latest; without a definition, that
   * version's only one. `defaulted` says what was filled in; when the choice is not clear the error lists
   * the choices.
   */
  async resolveDefinition(where: Where, ref: { api: string; version?: string; definition?: string }): Promise<{ ref: DefinitionRef; defaulted?: string }> {
    if (ref.version && ref.definition) return { ref: { api: ref.api, version: ref.version, definition: ref.definition } };
    const path = { ...this.ws(where), api: ref.api };
    const filled: string[] = [];
    let version = ref.version;
    if (!version) {
      const versions = await withNotFoundHint(this.gateway.list("version", path), "list_apis shows the names");
      const latest = latestOf(versions);
      if (!latest) throw new DomainError("not_found", `API '${ref.api}' has no version yet: add one with create_version, then import_spec`);
      version = latest.name;
      filled.push(versions.length > 1 ? `latest version '${version}' (of ${versions.map((v) => v.name).join(", ")})` : `version '${version}'`);
    }
    let definition = ref.definition;
    if (!definition) {
      const defs = await withNotFoundHint(this.gateway.list("definition", { ...path, version }), `get_api '${ref.api}' shows its versions`);
      if (defs.length === 0) throw new DomainError("not_found", `version '${version}' of ${ref.api} has no definition: add one with import_spec`);
      if (defs.length > 1) {
        const choices = defs.map((d) => `${d.name}${specificationOf(d) ? ` (${specificationOf(d)})` : ""}`);
        throw new DomainError("invalid_input", `version '${version}' of ${ref.api} has ${defs.length} definitions: give definitionName, one of ${choices.join(", ")}`);
      }
      definition = defs[0]!.name;
      filled.push(`its only definition '${definition}'`);
    }
    return { ref: { api: ref.api, version, definition }, ...(filled.length ? { defaulted: `used ${filled.join(", ")}` } : {}) };
  }

  async getDefinition(where: Where, api: string, version: string, definition: string): Promise<Resource> {
    return withNotFoundHint(this.gateway.get("definition", { ...this.ws(where), api, version, definition }), `get_api '${api}' shows its versions and definitions`);
  }

  async listEnvironments(where: Where): Promise<EnvironmentView[]> {
    return (await this.gateway.list("environment", this.ws(where))).map(environmentView);
  }

  /** Deployments of one API, or of every API when none is named. */
  async listDeployments(where: Where, apiName?: string): Promise<Array<DeploymentView & { api: string }>> {
    const names = apiName ? [apiName] : (await this.gateway.list("api", this.ws(where))).map((a) => a.name);
    const lists = await mapLimit(names, FAN_OUT, (api) => this.gateway.list("deployment", { ...this.ws(where), api }));
    return lists.flatMap((deps, i) => deps.map((d) => ({ api: names[i]!, ...deploymentView(d) })));
  }

  async listMetadataSchemas(where: Where): Promise<MetadataSchemaView[]> {
    return (await this.gateway.list("metadataSchema", { service: resolveService(where.service, this.gateway.defaultService) })).map(metadataSchemaView);
  }

  async specText(where: Where, api: string, version: string, definition: string): Promise<string> {
    return withNotFoundHint(this.gateway.exportSpecification({ ...this.ws(where), api, version, definition }), `get_api '${api}' shows its versions and definitions`);
  }

  /** A definition's spec, in the size asked for; never cut short without saying so. */
  async exportSpec(
    where: Where,
    ref: { api: string; version: string; definition: string },
    opts: { mode: ExportMode; maxBytes: number; operationId?: string; method?: string; path?: string; pointer?: string },
  ): Promise<SpecExport> {
    const [def, text] = await Promise.all([this.getDefinition(where, ref.api, ref.version, ref.definition), this.specText(where, ref.api, ref.version, ref.definition)]);
    const specification = specificationOf(def);
    const bytes = Buffer.byteLength(text, "utf8");
    const base = { ...(specification ? { specification } : {}), bytes, mode: opts.mode };
    if (opts.mode === "whole") {
      if (bytes > opts.maxBytes) {
        throw new DomainError(
          "invalid_input",
          `the spec is ${bytes} bytes, over maxBytes ${opts.maxBytes}: raise maxBytes, read it as a resource, use mode 'operation' or 'pointer', or analyze_spec for an overview`,
        );
      }
      return { ...base, content: text };
    }
    const doc = parseSpecDocument(text);
    if (!doc) {
      throw new DomainError("invalid_input", `slices are for OpenAPI and AsyncAPI; this is ${specification ?? "another kind of spec"}: use mode 'whole'`);
    }
    const slice =
      opts.mode === "operation"
        ? operationSlice(doc, { ...(opts.operationId ? { operationId: opts.operationId } : {}), ...(opts.method ? { method: opts.method } : {}), ...(opts.path ? { path: opts.path } : {}) })
        : pointerSlice(doc, opts.pointer ?? "");
    const size = Buffer.byteLength(JSON.stringify(slice) ?? "", "utf8");
    if (size > opts.maxBytes) {
      throw new DomainError("invalid_input", `that slice is ${size} bytes, over maxBytes ${opts.maxBytes}: raise maxBytes or point deeper`);
    }
    return { ...base, slice };
  }
}
