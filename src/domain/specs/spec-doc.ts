/**
 * Reading API description documents (OpenAPI 2/3.x, AsyncAPI; JSON or YAML): their info block, a
 * compact summary of their operations, and slices (one operation, one JSON pointer), so an assistant
 * never has to take a multi-megabyte spec whole.
 */
import { parse as parseYaml } from "yaml";
import { DomainError } from "../errors.js";

export type SpecDoc = Record<string, unknown>;

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/**
 * The document as an object when it is an OpenAPI or AsyncAPI document (JSON or YAML); null for
 * anything else (GraphQL SDL, WSDL, proto... have no structure these readers know).
 */
export function parseSpecDocument(text: string): SpecDoc | null {
  const trimmed = text.trimStart();
  try {
    const doc: unknown = trimmed.startsWith("{") ? JSON.parse(trimmed) : parseYaml(text, { maxAliasCount: 10_000 });
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) return null;
    const d = doc as SpecDoc;
    return d.openapi !== undefined || d.swagger !== undefined || d.asyncapi !== undefined ? d : null;
  } catch {
    return null;
  }
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);

export interface SpecInfo {
  title?: string;
  version?: string;
  summary?: string;
  description?: string;
  contact?: { name?: string; email?: string; url?: string };
  license?: { name?: string; url?: string; identifier?: string };
  termsOfService?: string;
  externalDocs?: { url: string; description?: string };
}

/** What an OpenAPI/AsyncAPI `info` block (and `externalDocs`) says about the API. */
export function specInfo(doc: SpecDoc): SpecInfo {
  const info = obj(doc.info);
  const contact = obj(info.contact);
  const license = obj(info.license);
  const ext = obj(doc.externalDocs);
  const pick = <T extends Record<string, unknown>>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
  const c = pick({ name: str(contact.name), email: str(contact.email), url: str(contact.url) });
  const l = pick({ name: str(license.name), url: str(license.url), identifier: str(license.identifier) });
  return pick({
    title: str(info.title),
    version: info.version === undefined ? undefined : String(info.version),
    summary: str(info.summary),
    description: str(info.description),
    contact: Object.keys(c).length ? c : undefined,
    license: Object.keys(l).length ? l : undefined,
    termsOfService: str(info.termsOfService),
    externalDocs: str(ext.url) ? pick({ url: ext.url as string, description: str(ext.description) }) : undefined,
  });
}

export interface OperationRow {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  tags?: string[];
  deprecated?: boolean;
}

/** Every operation of an OpenAPI document, or every channel operation of an AsyncAPI one. */
export function operations(doc: SpecDoc): OperationRow[] {
  const rows: OperationRow[] = [];
  if (doc.asyncapi !== undefined) {
    for (const [channel, item] of Object.entries(obj(doc.channels))) {
      for (const action of ["publish", "subscribe"]) {
        const op = obj(obj(item)[action]);
        if (Object.keys(op).length) rows.push(row(action, channel, op));
      }
    }
    for (const [id, op] of Object.entries(obj(doc.operations))) {
      const o = obj(op);
      rows.push({ ...row(String(o.action ?? "operation"), String(obj(o.channel).$ref ?? ""), o), operationId: id });
    }
    return rows;
  }
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    for (const method of HTTP_METHODS) {
      const op = obj(obj(item)[method]);
      if (Object.keys(op).length) rows.push(row(method.toUpperCase(), path, op));
    }
  }
  return rows;
}

function row(method: string, path: string, op: Record<string, unknown>): OperationRow {
  const tags = Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === "string") : [];
  return {
    method,
    path,
    ...(str(op.operationId) ? { operationId: op.operationId as string } : {}),
    ...(str(op.summary) ? { summary: op.summary as string } : {}),
    ...(tags.length ? { tags } : {}),
    ...(op.deprecated === true ? { deprecated: true } : {}),
  };
}

export interface SpecSummary {
  title?: string;
  version?: string;
  specVersion?: string;
  servers: string[];
  operationCount: number;
  byMethod: Record<string, number>;
  byTag: Record<string, number>;
  securitySchemes: string[];
  schemaCount: number;
}

export function summarize(doc: SpecDoc): SpecSummary {
  const ops = operations(doc);
  const count = (keys: string[]) => keys.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});
  const components = obj(doc.components);
  const servers = Array.isArray(doc.servers)
    ? doc.servers.map((s) => String(obj(s).url ?? "")).filter(Boolean)
    : Object.values(obj(doc.servers)).map((s) => String(obj(s).url ?? obj(s).host ?? "")).filter(Boolean);
  if (servers.length === 0 && typeof doc.host === "string") servers.push(`${doc.host}${typeof doc.basePath === "string" ? doc.basePath : ""}`);
  const info = specInfo(doc);
  return {
    ...(info.title ? { title: info.title } : {}),
    ...(info.version ? { version: info.version } : {}),
    ...(doc.openapi ?? doc.swagger ?? doc.asyncapi ? { specVersion: String(doc.openapi ?? doc.swagger ?? doc.asyncapi) } : {}),
    servers,
    operationCount: ops.length,
    byMethod: count(ops.map((o) => o.method)),
    byTag: count(ops.flatMap((o) => o.tags ?? ["(untagged)"])),
    securitySchemes: Object.keys(obj(components.securitySchemes ?? doc.securityDefinitions)),
    schemaCount: Object.keys(obj(components.schemas ?? doc.definitions)).length,
  };
}

/** One operation, by operationId or by method and path, with its path-level parameters. */
export function operationSlice(doc: SpecDoc, by: { operationId?: string; method?: string; path?: string }): Record<string, unknown> {
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    for (const method of HTTP_METHODS) {
      const op = obj(obj(item)[method]);
      if (!Object.keys(op).length) continue;
      const hit = by.operationId
        ? op.operationId === by.operationId
        : path === by.path && method === by.method?.toLowerCase();
      if (hit) {
        const shared = obj(item).parameters;
        return { method: method.toUpperCase(), path, ...(shared ? { pathParameters: shared } : {}), operation: op };
      }
    }
  }
  const what = by.operationId ? `operationId '${by.operationId}'` : `${by.method?.toUpperCase()} ${by.path}`;
  throw new DomainError("not_found", `the spec has no operation ${what}; export_spec with mode 'summary' lists them`);
}

/** The value at an RFC 6901 JSON pointer, e.g. `/components/schemas/Order`. */
export function pointerSlice(doc: SpecDoc, pointer: string): unknown {
  if (pointer !== "" && !pointer.startsWith("/")) {
    throw new DomainError("invalid_input", `pointer '${pointer}' must start with '/' (e.g. /components/schemas/Order)`);
  }
  let at: unknown = doc;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (at && typeof at === "object" && key in (at as object)) at = (at as Record<string, unknown>)[key];
    else throw new DomainError("not_found", `nothing at '${pointer}' (no '${key}'); export_spec with mode 'summary' shows the structure`);
  }
  return at;
}

/** A resource name from free text: lower-case letters, digits and hyphens, 3 to 90 of them. */
export function slugify(text: string): string {
  let s = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 90)
    .replace(/-+$/, "");
  while (s.length < 3) s = s ? `${s}-v` : "api";
  return s;
}
