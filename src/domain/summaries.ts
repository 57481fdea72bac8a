/**
 * Compact views of inventory resources: what an assistant needs to answer, without ARM envelopes,
 * system data or empty fields (every token is paid for).
 */
import type { Resource } from "./gateway.js";

export interface Contact {
  name?: string;
  email?: string;
  url?: string;
}

/** What the next call about an API needs: its latest version and that version's definitions. */
export interface LatestVersion {
  name: string;
  definitions: Array<{ name: string; specification?: string }>;
}

export interface ApiRow {
  name: string;
  title: string;
  kind: string;
  lifecycleStage?: string;
  summary?: string;
  versionCount: number;
  latestVersion?: LatestVersion;
  contacts: Contact[];
}

export interface DefinitionView {
  name: string;
  title?: string;
  /** The spec's type and version in one phrase, e.g. "openapi 3.0.1". */
  specification?: string;
}

export interface VersionView {
  name: string;
  title?: string;
  lifecycleStage: string;
  definitions: DefinitionView[];
}

export interface DeploymentView {
  name: string;
  title?: string;
  environment?: string;
  version?: string;
  definition?: string;
  runtimeUris: string[];
  state?: string;
}

export interface EnvironmentView {
  name: string;
  title: string;
  kind: string;
  description?: string;
  serverType?: string;
  customProperties?: Record<string, unknown>;
}

export interface MetadataSchemaView {
  name: string;
  schema: unknown;
  assignedTo: Array<{ entity: string; required: boolean; deprecated?: boolean }>;
}

const s = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function contactsOf(api: Resource): Contact[] {
  const list = Array.isArray(api.properties.contacts) ? (api.properties.contacts as Array<Record<string, unknown>>) : [];
  return list.map((c) => defined({ name: s(c.name), email: s(c.email), url: s(c.url) }));
}

/**
 * The latest of an API's versions: the most recently written one, as the service itself decides the
 * API's lifecycle stage (ties, and resources without timestamps, go to the later in the list).
 */
export function latestOf<T>(versions: readonly T[], resource: (v: T) => Resource = (v) => v as unknown as Resource): T | undefined {
  const stamp = (v: T) => resource(v).modifiedAt ?? resource(v).createdAt ?? "";
  return versions.reduce<T | undefined>((best, v) => (best === undefined || stamp(v) >= stamp(best) ? v : best), undefined);
}

export function latestVersionView(version: Resource, definitions: Resource[]): LatestVersion {
  return { name: version.name, definitions: definitions.map((d) => defined({ name: d.name, specification: specificationOf(d) })) };
}

export function apiRow(api: Resource, versionCount: number, latest: LatestVersion | undefined): ApiRow {
  const p = api.properties;
  return defined({
    name: api.name,
    title: s(p.title) ?? api.name,
    kind: (s(p.kind) ?? "rest").toLowerCase(),
    lifecycleStage: s(p.lifecycleStage)?.toLowerCase(),
    summary: s(p.summary),
    versionCount,
    latestVersion: latest,
    contacts: contactsOf(api),
  });
}

/** A definition's specification as one phrase ("openapi 3.0.1"): what a reader needs, in few tokens. */
export function specificationOf(d: Resource): string | undefined {
  const spec = d.properties.specification as { name?: string; version?: string } | undefined;
  return [s(spec?.name), s(spec?.version)].filter(Boolean).join(" ") || undefined;
}

/** A title that only repeats the name is left out: it tells the reader nothing. */
const titleBesides = (r: Resource) => (s(r.properties.title) && s(r.properties.title) !== r.name ? s(r.properties.title) : undefined);

export function definitionView(d: Resource): DefinitionView {
  return defined({ name: d.name, title: titleBesides(d), specification: specificationOf(d) });
}

export function versionView(v: Resource, definitions: Resource[]): VersionView {
  return defined({
    name: v.name,
    title: titleBesides(v),
    lifecycleStage: (s(v.properties.lifecycleStage) ?? "design").toLowerCase(),
    definitions: definitions.map(definitionView),
  });
}

/** `/workspaces/default/environments/prod` -> `prod`; definition ids give their version and definition. */
export function deploymentView(d: Resource): DeploymentView {
  const p = d.properties;
  const env = /\/environments\/([^/]+)$/i.exec(s(p.environmentId) ?? "")?.[1];
  const def = /\/versions\/([^/]+)\/definitions\/([^/]+)$/i.exec(s(p.definitionId) ?? "");
  const server = (p.server ?? {}) as { runtimeUri?: string[] };
  return defined({
    name: d.name,
    title: s(p.title),
    environment: env,
    version: def?.[1],
    definition: def?.[2],
    runtimeUris: server.runtimeUri ?? [],
    state: s(p.state),
  });
}

export function environmentView(e: Resource): EnvironmentView {
  const p = e.properties;
  const custom = p.customProperties as Record<string, unknown> | undefined;
  return defined({
    name: e.name,
    title: s(p.title) ?? e.name,
    kind: (s(p.kind) ?? "development").toLowerCase(),
    description: s(p.description),
    serverType: s((p.server as Record<string, unknown> | undefined)?.type),
    customProperties: custom && Object.keys(custom).length ? custom : undefined,
  });
}

export function metadataSchemaView(m: Resource): MetadataSchemaView {
  let schema: unknown = m.properties.schema;
  try {
    schema = JSON.parse(String(m.properties.schema));
  } catch {
    // Kept as the text the service holds.
  }
  const assigned = Array.isArray(m.properties.assignedTo) ? (m.properties.assignedTo as Array<Record<string, unknown>>) : [];
  return {
    name: m.name,
    schema,
    assignedTo: assigned.map((a) => defined({ entity: String(a.entity ?? "").toLowerCase(), required: a.required === true, deprecated: a.deprecated === true ? true : undefined })),
  };
}
