/**
 * Breaking and non-breaking changes between two OpenAPI documents (2.0 or 3.x), from a client's point
 * of view: a change is breaking when a call that worked before can now fail or be misread: an
 * operation, parameter or success response gone, an input newly required or accepting less, an
 * output field gone, changed or able to hold what clients never saw, a stricter security
 * requirement. Additions that ask nothing of existing clients are non-breaking; wording is no change.
 * test/domain/specs/diff.test.ts holds the corpus of known changes this is proven against.
 */
import { deref, SchemaComparer, type Direction, type Impact, type SchemaChange } from "./schema-diff.js";
import type { SpecDoc } from "./spec-doc.js";

export type { Impact } from "./schema-diff.js";

export interface Change {
  impact: Impact;
  code: string;
  /** `METHOD /path` and, where it applies, the parameter, response or field. */
  where: string;
  message: string;
}

export interface SpecDiff {
  verdict: "breaking" | "non-breaking" | "identical";
  changes: Change[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Path templates compare without their parameter names: /pets/{id} is /pets/{petId}. */
const normalPath = (p: string) => p.replace(/\{[^}]+\}/g, "{}");

interface Operation {
  label: string;
  path: string;
  op: Obj;
  shared: unknown[];
}

function operationsOf(doc: SpecDoc): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, raw] of Object.entries(obj(doc.paths))) {
    const item = deref(doc, raw);
    for (const m of METHODS) {
      const op = item[m];
      if (op) out.set(`${m} ${normalPath(path)}`, { label: `${m.toUpperCase()} ${path}`, path, op: obj(op), shared: arr(item.parameters) });
    }
  }
  return out;
}

interface Param {
  name: string;
  in: string;
  required: boolean;
  /** The schema (3.x) or the parameter itself (2.0, where type and enum sit on it). */
  schema: unknown;
}

/**
 * An operation's parameters (its own over its path item's), keyed so that renaming a path parameter
 * along with its template is no change, and header names compare without regard to case.
 */
function paramsOf(doc: SpecDoc, o: Operation): Map<string, Param> {
  const templateNames = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const out = new Map<string, Param>();
  for (const raw of [...o.shared, ...arr(o.op.parameters)]) {
    const p = deref(doc, raw);
    if (typeof p.name !== "string" || typeof p.in !== "string" || p.in === "body") continue;
    const position = templateNames.indexOf(p.name);
    const key =
      p.in === "path" && position >= 0 ? `path:#${position}`
      : p.in === "header" ? `header:${p.name.toLowerCase()}`
      : `${p.in}:${p.name}`;
    out.set(key, { name: p.name, in: p.in, required: p.required === true || p.in === "path", schema: p.schema ?? (p.content ? obj(Object.values(obj(p.content))[0]).schema : p) });
  }
  return out;
}

const mediaKey = (m: string) => m.split(";")[0]!.trim().toLowerCase();

/** Schemas by media type (2.0 has one, without a name). */
function contentOf(doc: SpecDoc, holder: Obj, swagger2Schema: unknown): Map<string, unknown> {
  if (holder.content !== undefined) return new Map(Object.entries(obj(holder.content)).map(([m, media]) => [mediaKey(m), obj(media).schema]));
  return swagger2Schema !== undefined ? new Map([["", swagger2Schema]]) : new Map();
}

/** The request body (3.x requestBody or 2.0 `in: body`). */
function requestBody(doc: SpecDoc, o: Operation): { required: boolean; content: Map<string, unknown> } | null {
  if (o.op.requestBody) {
    const rb = deref(doc, o.op.requestBody);
    return { required: rb.required === true, content: contentOf(doc, rb, undefined) };
  }
  const body = [...o.shared, ...arr(o.op.parameters)].map((p) => deref(doc, p)).find((p) => p.in === "body");
  return body ? { required: body.required === true, content: new Map([["", body.schema]]) } : null;
}

function successResponses(doc: SpecDoc, op: Obj): Map<string, Map<string, unknown>> {
  const out = new Map<string, Map<string, unknown>>();
  for (const [code, raw] of Object.entries(obj(op.responses))) {
    if (!/^2(\d\d|XX)$/i.test(code)) continue;
    const r = deref(doc, raw);
    out.set(code, contentOf(doc, r, r.schema));
  }
  return out;
}

/** Security alternatives as scheme -> scopes; an empty alternative means anyone may call. */
function securityOf(doc: SpecDoc, op: Obj): Array<Map<string, Set<string>>> {
  const raw = op.security !== undefined ? op.security : doc.security;
  const alternatives = arr(raw).map((req) => new Map(Object.entries(obj(req)).map(([scheme, scopes]) => [scheme, new Set(arr(scopes).map(String))])));
  return alternatives.length ? alternatives : [new Map()];
}

/** Whether a client meeting requirement `a` also meets `b`. */
const meets = (a: Map<string, Set<string>>, b: Map<string, Set<string>>) => [...b].every(([scheme, scopes]) => a.has(scheme) && [...scopes].every((s) => a.get(scheme)!.has(s)));
const sameSecurity = (x: Array<Map<string, Set<string>>>, y: Array<Map<string, Set<string>>>) => x.every((a) => y.some((b) => meets(a, b) && meets(b, a))) && y.every((b) => x.some((a) => meets(a, b) && meets(b, a)));

export function diffSpecs(before: SpecDoc, after: SpecDoc): SpecDiff {
  const changes = new Map<string, Change>();
  const add = (impact: Impact, code: string, where: string, message: string) => {
    const key = `${code} ${where}`;
    if (!changes.has(key)) changes.set(key, { impact, code, where, message });
  };
  const schemas = new SchemaComparer(before, after);
  /** Schema changes under a subject: a parameter, a request body, a response. */
  const report = (found: SchemaChange[], subject: "parameter" | Direction, where: (path: string) => string) => {
    for (const c of found) {
      const code =
        c.kind.startsWith("field-") || c.kind.startsWith("branch-") ? `${subject}-${c.kind}`
        : subject === "parameter" ? `parameter-${c.kind}`
        : `${subject}-field-${c.kind}`;
      const at = where(c.path);
      add(c.impact, code, at, `${at} ${c.text}`);
    }
  };

  const oldOps = operationsOf(before);
  const newOps = operationsOf(after);
  for (const [key, { label }] of oldOps) if (!newOps.has(key)) add("breaking", "operation-removed", label, `${label} was removed`);
  for (const [key, now] of newOps) {
    const { label, op } = now;
    const was = oldOps.get(key);
    if (!was) {
      add("non-breaking", "operation-added", label, `${label} was added`);
      continue;
    }
    if (op.deprecated === true && was.op.deprecated !== true) add("non-breaking", "operation-deprecated", label, `${label} is now deprecated`);

    const oldParams = paramsOf(before, was);
    const newParams = paramsOf(after, now);
    for (const [k, p] of newParams) {
      const prev = oldParams.get(k);
      const where = `${label} ${p.in} parameter '${p.name}'`;
      if (!prev) {
        if (p.required) add("breaking", "required-parameter-added", where, `${where} was added as required`);
        else add("non-breaking", "parameter-added", where, `${where} was added`);
        continue;
      }
      if (p.required && !prev.required) add("breaking", "parameter-made-required", where, `${where} is now required`);
      if (!p.required && prev.required) add("non-breaking", "parameter-made-optional", where, `${where} is now optional`);
      report(schemas.compare(prev.schema, p.schema, "request"), "parameter", (path) => (path ? `${where} '${path}'` : where));
    }
    for (const [k, p] of oldParams) {
      // Clients that send it are refused, or silently get what they did not ask for.
      if (!newParams.has(k)) add("breaking", "parameter-removed", `${label} ${p.in} parameter '${p.name}'`, `${label} no longer takes ${p.in} parameter '${p.name}'`);
    }

    const oldBody = requestBody(before, was);
    const newBody = requestBody(after, now);
    const bodyWhere = `${label} request body`;
    if (newBody?.required && !oldBody?.required) add("breaking", "request-body-made-required", bodyWhere, `${label} now requires a request body`);
    if (oldBody?.required && newBody && !newBody.required) add("non-breaking", "request-body-made-optional", bodyWhere, `${label} request body is now optional`);
    if (oldBody && !newBody) add("breaking", "request-body-removed", bodyWhere, `${label} no longer reads a request body`);
    if (!oldBody && newBody && !newBody.required) add("non-breaking", "request-body-added", bodyWhere, `${label} now takes an optional request body`);
    if (oldBody && newBody) {
      for (const [media, schema] of oldBody.content) {
        if (!newBody.content.has(media)) add("breaking", "request-media-type-removed", `${bodyWhere} ${media}`, `${label} no longer accepts ${media}`);
        else report(schemas.compare(schema, newBody.content.get(media), "request"), "request", (path) => (path ? `${bodyWhere} '${path}'` : bodyWhere));
      }
      for (const media of newBody.content.keys()) if (!oldBody.content.has(media)) add("non-breaking", "request-media-type-added", `${bodyWhere} ${media}`, `${label} now also accepts ${media}`);
    }

    const oldResponses = successResponses(before, was.op);
    const newResponses = successResponses(after, op);
    for (const code of oldResponses.keys()) if (!newResponses.has(code)) add("breaking", "success-response-removed", `${label} ${code}`, `${label} no longer answers ${code}`);
    for (const [code, content] of newResponses) {
      const prev = oldResponses.get(code);
      if (!prev) {
        add("non-breaking", "success-response-added", `${label} ${code}`, `${label} may now answer ${code}`);
        continue;
      }
      for (const [media, schema] of prev) {
        if (!content.has(media)) add("breaking", "response-media-type-removed", `${label} ${code} ${media}`, `${label} ${code} no longer answers in ${media}`);
        else report(schemas.compare(schema, content.get(media), "response"), "response", (path) => (path ? `${label} ${code} '${path}'` : `${label} ${code}`));
      }
      for (const media of content.keys()) if (!prev.has(media)) add("non-breaking", "response-media-type-added", `${label} ${code} ${media}`, `${label} ${code} may now answer in ${media}`);
    }

    const oldSecurity = securityOf(before, was.op);
    const newSecurity = securityOf(after, op);
    if (!sameSecurity(oldSecurity, newSecurity)) {
      // Breaking when some client that could call before meets none of the new alternatives.
      const stricter = oldSecurity.some((a) => !newSecurity.some((b) => meets(a, b)));
      if (stricter) add("breaking", "security-added", label, `${label} now asks for more to call it (security requirements or scopes added)`);
      else add("non-breaking", "security-relaxed", label, `${label} now asks for less to call it`);
    }
  }
  const list = [...changes.values()].sort((a, b) => (a.impact === b.impact ? a.where.localeCompare(b.where) : a.impact === "breaking" ? -1 : 1));
  return { verdict: list.some((c) => c.impact === "breaking") ? "breaking" : list.length ? "non-breaking" : "identical", changes: list };
}
