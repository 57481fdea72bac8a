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

export interface ApiRow {
  name: string;
  title: string;
  kind: string;
  lifecycleStage?: string;
  summary?: string;
  versionCount: number;
  hasDefinition: boolean;
  contacts: Contact[];
}

export interface DefinitionView {
  name: string;
  title: string;
  specification?: { name?: string; version?: string };
}

export interface VersionView {
  name: string;
  title: string;
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

export function apiRow(api: Resource, versionCount: number, hasDefinition: boolean): ApiRow {
  const p = api.properties;
  return defined({
    name: api.name,
    title: s(p.title) ?? api.name,
    kind: (s(p.kind) ?? "rest").toLowerCase(),
    lifecycleStage: s(p.lifecycleStage)?.toLowerCase(),
    summary: s(p.summary),
    versionCount,
    hasDefinition,
    contacts: contactsOf(api),
  });
}

export function definitionView(d: Resource): DefinitionView {
  const spec = d.properties.specification as { name?: string; version?: string } | undefined;
  return defined({ name: d.name, title: s(d.properties.title) ?? d.name, specification: spec && (spec.name || spec.version) ? defined({ name: s(spec.name), version: s(spec.version) }) : undefined });
}

export function versionView(v: Resource, definitions: Resource[]): VersionView {
  return {
    name: v.name,
    title: s(v.properties.title) ?? v.name,
    lifecycleStage: (s(v.properties.lifecycleStage) ?? "design").toLowerCase(),
    definitions: definitions.map(definitionView),
  };
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
