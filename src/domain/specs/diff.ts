/**
 * Breaking and non-breaking changes between two OpenAPI documents (2.0 or 3.x), from a client's point
 * of view: what can make an existing call fail (removed operations, new or newly required inputs,
 * changed types, removed success responses or response fields) is breaking; what only adds is not.
 */
import type { SpecDoc } from "./spec-doc.js";

export type Impact = "breaking" | "non-breaking";

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

/** Follows local `$ref`s (`#/components/...`, `#/definitions/...`), guarding against cycles. */
function deref(doc: SpecDoc, value: unknown, seen = new Set<string>()): Obj {
  let v = obj(value);
  while (typeof v.$ref === "string" && v.$ref.startsWith("#/")) {
    if (seen.has(v.$ref)) return {};
    seen.add(v.$ref);
    let at: unknown = doc;
    for (const part of v.$ref.slice(2).split("/")) at = obj(at)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    v = obj(at);
  }
  return v;
}

/** Path templates compare without their parameter names: /pets/{id} is /pets/{petId}. */
const normalPath = (p: string) => p.replace(/\{[^}]+\}/g, "{}");

function operationsOf(doc: SpecDoc): Map<string, { label: string; op: Obj; shared: unknown[] }> {
  const out = new Map<string, { label: string; op: Obj; shared: unknown[] }>();
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    const shared = Array.isArray(obj(item).parameters) ? (obj(item).parameters as unknown[]) : [];
    for (const m of METHODS) {
      const op = obj(item)[m];
      if (op) out.set(`${m} ${normalPath(path)}`, { label: `${m.toUpperCase()} ${path}`, op: obj(op), shared });
    }
  }
  return out;
}

interface Param {
  name: string;
  in: string;
  required: boolean;
  type: string;
}

function typeOf(doc: SpecDoc, schema: unknown): string {
  const s = deref(doc, schema);
  if (typeof s.type === "string") return s.type === "array" ? `array<${typeOf(doc, s.items)}>` : s.type;
  if (s.properties) return "object";
  return "any";
}

function paramsOf(doc: SpecDoc, op: Obj, shared: unknown[]): Map<string, Param> {
  const out = new Map<string, Param>();
  for (const raw of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
    const p = deref(doc, raw);
    if (typeof p.name !== "string" || typeof p.in !== "string" || p.in === "body") continue;
    out.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: p.required === true || p.in === "path", type: typeOf(doc, p.schema ?? p) });
  }
  return out;
}

/** The body schema of a request (3.x requestBody or 2.0 `in: body`) and whether it is required. */
function requestBody(doc: SpecDoc, op: Obj): { schema: Obj; required: boolean } | null {
  if (op.requestBody) {
    const rb = deref(doc, op.requestBody);
    const media = Object.values(obj(rb.content))[0];
    return { schema: deref(doc, obj(media).schema), required: rb.required === true };
  }
  const body = (Array.isArray(op.parameters) ? op.parameters : []).map((p) => deref(doc, p)).find((p) => p.in === "body");
  return body ? { schema: deref(doc, body.schema), required: body.required === true } : null;
}

function successSchemas(doc: SpecDoc, op: Obj): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const [code, raw] of Object.entries(obj(op.responses))) {
    if (!/^2\d\d$/.test(code)) continue;
    const r = deref(doc, raw);
    const schema = r.content ? obj(Object.values(obj(r.content))[0]).schema : r.schema;
    out.set(code, deref(doc, schema));
  }
  return out;
}

/** A schema's fields down to a few levels, as `a.b[].c` -> type. */
function fields(doc: SpecDoc, schema: Obj, prefix = "", depth = 0, seen = new Set<object>()): Map<string, string> {
  const out = new Map<string, string>();
  if (depth > 4 || seen.has(schema)) return out;
  seen.add(schema);
  const s = deref(doc, schema);
  if (s.type === "array" || s.items) {
    for (const [k, v] of fields(doc, deref(doc, s.items), `${prefix}[]`, depth + 1, seen)) out.set(k, v);
    return out;
  }
  for (const [name, child] of Object.entries(obj(s.properties))) {
    const key = prefix ? `${prefix}.${name}` : name;
    out.set(key, typeOf(doc, child));
    for (const [k, v] of fields(doc, deref(doc, child), key, depth + 1, seen)) out.set(k, v);
  }
  return out;
}

const requiredOf = (doc: SpecDoc, schema: Obj) => new Set(Array.isArray(deref(doc, schema).required) ? (deref(doc, schema).required as string[]) : []);

export function diffSpecs(before: SpecDoc, after: SpecDoc): SpecDiff {
  const changes: Change[] = [];
  const add = (impact: Impact, code: string, where: string, message: string) => changes.push({ impact, code, where, message });
  const oldOps = operationsOf(before);
  const newOps = operationsOf(after);

  for (const [key, { label }] of oldOps) if (!newOps.has(key)) add("breaking", "operation-removed", label, `${label} was removed`);
  for (const [key, { label, op }] of newOps) {
    if (!oldOps.has(key)) {
      add("non-breaking", "operation-added", label, `${label} was added`);
      continue;
    }
    const prev = oldOps.get(key)!;
    if (op.deprecated === true && prev.op.deprecated !== true) add("non-breaking", "operation-deprecated", label, `${label} is now deprecated`);

    const oldParams = paramsOf(before, prev.op, prev.shared);
    const newParams = paramsOf(after, op, newOps.get(key)!.shared);
    for (const [k, p] of newParams) {
      const was = oldParams.get(k);
      const where = `${label} ${p.in} parameter '${p.name}'`;
      if (!was) add(p.required ? "breaking" : "non-breaking", p.required ? "required-parameter-added" : "parameter-added", where, `${where} was added${p.required ? " as required" : ""}`);
      else {
        if (p.required && !was.required) add("breaking", "parameter-made-required", where, `${where} is now required`);
        if (!p.required && was.required) add("non-breaking", "parameter-made-optional", where, `${where} is now optional`);
        if (p.type !== was.type) add("breaking", "parameter-type-changed", where, `${where} changed type from ${was.type} to ${p.type}`);
      }
    }
    for (const [k, p] of oldParams) if (!newParams.has(k)) add("non-breaking", "parameter-removed", `${label} ${p.in} parameter '${p.name}'`, `${label} no longer takes ${p.in} parameter '${p.name}'`);

    const oldBody = requestBody(before, prev.op);
    const newBody = requestBody(after, op);
    if (newBody) {
      if (newBody.required && !oldBody?.required) add("breaking", "request-body-made-required", `${label} request body`, `${label} now requires a request body`);
      const oldRequired = oldBody ? requiredOf(before, oldBody.schema) : new Set<string>();
      for (const r of requiredOf(after, newBody.schema)) {
        if (!oldRequired.has(r)) add("breaking", "request-field-made-required", `${label} request body '${r}'`, `${label} request body field '${r}' is now required`);
      }
    }

    const oldResponses = successSchemas(before, prev.op);
    const newResponses = successSchemas(after, op);
    for (const code of oldResponses.keys()) if (!newResponses.has(code)) add("breaking", "success-response-removed", `${label} ${code}`, `${label} no longer answers ${code}`);
    for (const [code, schema] of newResponses) {
      const was = oldResponses.get(code);
      if (!was) continue;
      const oldFields = fields(before, was);
      const newFields = fields(after, schema);
      for (const [f, t] of oldFields) {
        const now = newFields.get(f);
        if (now === undefined) add("breaking", "response-field-removed", `${label} ${code} '${f}'`, `${label} ${code} response no longer has '${f}'`);
        else if (now !== t) add("breaking", "response-field-type-changed", `${label} ${code} '${f}'`, `${label} ${code} response field '${f}' changed type from ${t} to ${now}`);
      }
      for (const f of newFields.keys()) if (!oldFields.has(f)) add("non-breaking", "response-field-added", `${label} ${code} '${f}'`, `${label} ${code} response gained '${f}'`);
    }
  }
  const breaking = changes.some((c) => c.impact === "breaking");
  changes.sort((a, b) => (a.impact === b.impact ? a.where.localeCompare(b.where) : a.impact === "breaking" ? -1 : 1));
  return { verdict: breaking ? "breaking" : changes.length ? "non-breaking" : "identical", changes };
}
