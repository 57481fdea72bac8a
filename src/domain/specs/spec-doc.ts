/**
 * Reading API description documents (OpenAPI 2/3.x, AsyncAPI; JSON or YAML): their info block, a
 * compact summary of their operations, and slices (one operation, one JSON pointer), so an assistant
 * never has to take a multi-megabyte spec whole.
 */
import { createRequire } from "node:module";
import { NAME_LENGTH } from "../../arm/resource-types.js";
import { DomainError } from "../errors.js";
import { clip } from "../../arm/text.js";

// The YAML library is loaded with the first YAML document, not with the server: start-up does not pay for it.
let yamlModule: typeof import("yaml") | undefined;
const yamlLib = () => (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));

export type SpecDoc = Record<string, unknown>;

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/**
 * The document as an object when it is an OpenAPI or AsyncAPI document (JSON or YAML); null for
 * anything else (GraphQL SDL, WSDL, proto... have no structure these readers know).
 */
export function parseSpecDocument(text: string): SpecDoc | null {
  const trimmed = text.trimStart();
  try {
    const json = trimmed.startsWith("{");
    const yaml = json ? null : yamlLib().parseDocument(text);
    if (yaml?.errors.length) return null;
    const doc: unknown = json ? JSON.parse(trimmed) : yaml!.toJS({ maxAliasCount: 10_000 });
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) return null;
    const d = doc as SpecDoc;
    if (d.openapi === undefined && d.swagger === undefined && d.asyncapi === undefined) return null;
    keepInfoAsWritten(d, text, yaml);
    return d;
  } catch {
    return null;
  }
}

const INFO_TEXT_FIELDS = ["title", "version", "summary", "description", "termsOfService"] as const;

/**
 * The info block's fields are strings, but YAML (and JSON, for numbers) reads `version: 1.10` as the
 * number 1.1 and `title: true` as a boolean: such values are put back as they were written.
 */
function keepInfoAsWritten(d: SpecDoc, text: string, yamlDoc: ReturnType<typeof import("yaml").parseDocument> | null): void {
  const info = obj(d.info);
  const odd = INFO_TEXT_FIELDS.filter((k) => info[k] !== undefined && info[k] !== null && typeof info[k] !== "string" && typeof info[k] !== "object");
  if (odd.length === 0) return;
  // JSON reaches here only with a number in its info block; reading it again as YAML finds the digits.
  const source = yamlDoc ?? yamlLib().parseDocument(text);
  for (const k of odd) {
    const node = source.errors.length ? undefined : source.getIn(["info", k], true);
    info[k] = yamlLib().isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]).trim() : String(info[k]);
  }
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);
/** A string, or a number or boolean written where a string belongs, as text. */
const text = (v: unknown): string | undefined => (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" ? String(v) : str(v));

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
    title: text(info.title),
    version: text(info.version),
    summary: text(info.summary),
    description: text(info.description),
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
  const what = by.operationId ? `operationId '${clip(by.operationId)}'` : clip(`${by.method?.toUpperCase()} ${by.path}`);
  throw new DomainError("not_found", `the spec has no operation ${what}; export_spec with mode 'summary' lists them`);
}

/** The value at an RFC 6901 JSON pointer, e.g. `/components/schemas/Order`. */
export function pointerSlice(doc: SpecDoc, pointer: string): unknown {
  if (pointer !== "" && !pointer.startsWith("/")) {
    throw new DomainError("invalid_input", `pointer '${clip(pointer)}' must start with '/' (e.g. /components/schemas/Order)`);
  }
  let at: unknown = doc;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (at && typeof at === "object" && key in (at as object)) at = (at as Record<string, unknown>)[key];
    else throw new DomainError("not_found", `nothing at '${clip(pointer)}' (no '${clip(key)}'); export_spec with mode 'summary' shows the structure`);
  }
  return at;
}

/** Letters NFKD does not take apart into a Latin base and marks. */
const LATIN_EXTRA: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", ł: "l", þ: "th", ı: "i" };

/**
 * A resource name from free text: lower-case letters, digits and hyphens, within the service's
 * length rule. When letters the name cannot hold are dropped (another script), a short hash of the
 * text keeps different texts apart; a name too short to be valid gets `prefix` before it.
 */
export function slugify(text: string, prefix = "api"): string {
  const { min, max } = NAME_LENGTH;
  const latin = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (c) => LATIN_EXTRA[c]!);
  const lost = /[\p{L}\p{N}]/u.test(latin.replace(/[a-z0-9]/g, ""));
  const words = latin.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const before = words.length < min ? prefix : "";
  const after = lost || !words ? hash(text) : "";
  const room = max - [before, after].filter(Boolean).reduce((n, p) => n + p.length + 1, 0);
  return [before, words.slice(0, room).replace(/-+$/, ""), after].filter(Boolean).join("-");
}

/** FNV-1a, 32 bits, as 8 hex digits. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (const ch of text.normalize("NFC")) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
