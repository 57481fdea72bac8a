/**
 * Comparing two JSON Schemas (as OpenAPI 2.0/3.x use them) the way a client feels the change. What a
 * change means depends on which way the data flows: for what the client sends (`request`) the new
 * schema must accept everything the old one did; for what it reads (`response`) the new one must not
 * produce anything the old one ruled out, nor leave out what it promised. `$ref`s (local), `allOf`,
 * `oneOf`/`anyOf`, enums, nullability (3.0 `nullable`, 3.1 type arrays) and the usual limits are read.
 */

export type Direction = "request" | "response";
export type Impact = "breaking" | "non-breaking";

export type SchemaChangeKind =
  | "type-changed"
  | "enum-value-removed"
  | "enum-value-added"
  | "constraint-tightened"
  | "constraint-loosened"
  | "made-nullable"
  | "made-non-nullable"
  | "field-removed"
  | "field-added"
  | "field-made-required"
  | "field-made-optional"
  | "branch-removed"
  | "branch-added";

export interface SchemaChange {
  kind: SchemaChangeKind;
  impact: Impact;
  /** Where in the schema: `a.b[].c`, with `oneOf:Name` for a branch; "" for the schema itself. */
  path: string;
  /** What changed, to follow the location in a sentence ("is now required"). */
  text: string;
}

type Obj = Record<string, unknown>;
type Doc = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** Follows local `$ref`s (`#/components/...`, `#/definitions/...`), guarding against cycles. */
export function deref(doc: Doc, value: unknown): Obj {
  let v = obj(value);
  const seen = new Set<string>();
  while (typeof v.$ref === "string" && v.$ref.startsWith("#/")) {
    if (seen.has(v.$ref)) return {};
    seen.add(v.$ref);
    let at: unknown = doc;
    for (const part of v.$ref.slice(2).split("/")) at = obj(at)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    v = obj(at);
  }
  return v;
}

/** A schema with `allOf` merged and its type, nullability and limits made explicit. */
interface Flat {
  /** null when the schema does not say (anything goes). */
  types: Set<string> | null;
  nullable: boolean;
  enum: Set<string> | null;
  properties: Map<string, unknown>;
  required: Set<string>;
  items: unknown;
  branches: { keyword: "oneOf" | "anyOf"; list: Array<{ name: string; schema: unknown }> } | null;
  limits: Map<string, unknown>;
}

/** Limits whose larger value lets more through, and those whose smaller value does. */
const UPPER = ["maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"];
const LOWER = ["minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"];

function branchName(raw: unknown, schema: Obj, i: number): string {
  const ref = obj(raw).$ref;
  if (typeof ref === "string") return ref.slice(ref.lastIndexOf("/") + 1);
  return typeof schema.title === "string" ? schema.title : `#${i + 1}`;
}

class Flattener {
  private readonly cache = new Map<unknown, Flat>();
  constructor(private readonly doc: Doc) {}

  flat(raw: unknown, depth = 0): Flat {
    const s = deref(this.doc, raw);
    const hit = this.cache.get(s);
    if (hit) return hit;
    const f: Flat = { types: null, nullable: s.nullable === true || s["x-nullable"] === true, enum: null, properties: new Map(), required: new Set(), items: undefined, branches: null, limits: new Map() };
    if (depth < 16 && Array.isArray(s.allOf)) {
      for (const part of s.allOf) merge(f, this.flat(part, depth + 1));
    }
    const types = typeof s.type === "string" ? [s.type] : Array.isArray(s.type) ? (s.type as unknown[]).filter((t): t is string => typeof t === "string") : [];
    if (types.includes("null")) f.nullable = true;
    const own = types.filter((t) => t !== "null");
    if (own.length) f.types = new Set(own);
    else if (!f.types && (s.properties || s.additionalProperties)) f.types = new Set(["object"]);
    if (Array.isArray(s.enum)) {
      if (s.enum.includes(null)) f.nullable = true;
      f.enum = new Set(s.enum.filter((v) => v !== null).map((v) => JSON.stringify(v)));
    }
    for (const [k, v] of Object.entries(obj(s.properties))) f.properties.set(k, v);
    if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === "string") f.required.add(r);
    if (s.items !== undefined) f.items = s.items;
    for (const keyword of ["oneOf", "anyOf"] as const) {
      const list = s[keyword];
      if (Array.isArray(list) && list.length) f.branches = { keyword, list: list.map((b, i) => ({ name: branchName(b, deref(this.doc, b), i), schema: b })) };
    }
    for (const k of [...UPPER, ...LOWER, "pattern"]) if (s[k] !== undefined && typeof s[k] !== "boolean") f.limits.set(k, s[k]);
    this.cache.set(s, f);
    return f;
  }
}

function merge(into: Flat, part: Flat): void {
  if (part.types) into.types = into.types ? new Set([...into.types].filter((t) => part.types!.has(t))) : new Set(part.types);
  into.nullable ||= part.nullable;
  if (part.enum) into.enum = into.enum ? new Set([...into.enum].filter((v) => part.enum!.has(v))) : new Set(part.enum);
  for (const [k, v] of part.properties) if (!into.properties.has(k)) into.properties.set(k, v);
  for (const r of part.required) into.required.add(r);
  into.items ??= part.items;
  into.branches ??= part.branches;
  for (const [k, v] of part.limits) if (!into.limits.has(k)) into.limits.set(k, v);
}

/** `segment` in front of a path relative to it: `[]` + `name` is `[].name`, `a` + `[].b` is `a[].b`. */
const under = (segment: string, rel: string) => (!rel ? segment : rel.startsWith("[]") ? `${segment}${rel}` : `${segment}.${rel}`);
const list = (values: Iterable<string>) => [...values].join(", ");

/** Whether `wider` takes every value `narrower` does (an integer is a number). */
function covers(wider: Set<string>, narrower: Set<string>): boolean {
  return [...narrower].every((t) => wider.has(t) || (t === "integer" && wider.has("number")));
}

/** Which way of flowing each kind of change breaks clients in; in the other it is harmless. */
const BREAKS_IN: Record<SchemaChangeKind, Direction | "both" | "neither"> = {
  "type-changed": "both",
  "enum-value-removed": "request",
  "enum-value-added": "response",
  "constraint-tightened": "request",
  "constraint-loosened": "response",
  "made-nullable": "response",
  "made-non-nullable": "request",
  "field-removed": "both",
  "field-added": "neither",
  "field-made-required": "request",
  "field-made-optional": "response",
  "branch-removed": "request",
  "branch-added": "response",
};

export class SchemaComparer {
  private readonly before: Flattener;
  private readonly after: Flattener;
  /** Results by schema pair and direction: every operation that shares a component shares its comparison. */
  private readonly memo = new Map<string, SchemaChange[]>();
  private readonly active = new Set<string>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  constructor(
    private readonly beforeDoc: Doc,
    private readonly afterDoc: Doc,
  ) {
    this.before = new Flattener(beforeDoc);
    this.after = new Flattener(afterDoc);
  }

  private id(o: object): number {
    let n = this.ids.get(o);
    if (n === undefined) this.ids.set(o, (n = ++this.nextId));
    return n;
  }

  compare(oldRaw: unknown, newRaw: unknown, direction: Direction, depth = 0): SchemaChange[] {
    const o = deref(this.beforeDoc, oldRaw);
    const n = deref(this.afterDoc, newRaw);
    const key = `${this.id(o)}:${this.id(n)}:${direction}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    // A recursive schema (a tree of comments) is compared once, at its outermost use.
    if (this.active.has(key) || depth > 24) return [];
    this.active.add(key);
    const names = { old: branchName(oldRaw, o, 0), new: branchName(newRaw, n, 0) };
    const out = this.compareFlat(this.before.flat(o), this.after.flat(n), { old: oldRaw, new: newRaw }, names, direction, depth);
    this.active.delete(key);
    this.memo.set(key, out);
    return out;
  }

  private compareFlat(o: Flat, n: Flat, raw: { old: unknown; new: unknown }, names: { old: string; new: string }, direction: Direction, depth: number): SchemaChange[] {
    const out: SchemaChange[] = [];
    const add = (kind: SchemaChangeKind, path: string, text: string) => {
      const side = BREAKS_IN[kind];
      out.push({ kind, impact: side === "both" || side === direction ? "breaking" : "non-breaking", path, text });
    };
    const nested = (changes: SchemaChange[], segment: string) => {
      for (const c of changes) out.push({ ...c, path: under(segment, c.path) });
    };

    if (!o.branches !== !n.branches) {
      // A union on one side only (oneOf [Cat, Dog] became Cat): the plain side is one alternative.
      const alternatives = (f: Flat, self: unknown, name: string) => new Map(f.branches ? f.branches.list.map((b) => [b.name, b.schema]) : [[name, self]]);
      this.compareBranches(alternatives(o, raw.old, names.old), alternatives(n, raw.new, names.new), (n.branches ?? o.branches)!.keyword, direction, depth, add, nested);
      return out;
    }

    if (o.types && n.types && !(covers(o.types, n.types) && covers(n.types, o.types))) {
      const widened = direction === "request" ? covers(n.types, o.types) : covers(o.types, n.types);
      out.push({ kind: "type-changed", impact: widened ? "non-breaking" : "breaking", path: "", text: `changed type from ${list(o.types)} to ${list(n.types)}` });
      // Below a changed type the two schemas describe different things: comparing further is noise.
      return out;
    }
    if (n.nullable !== o.nullable) add(n.nullable ? "made-nullable" : "made-non-nullable", "", n.nullable ? "can now be null" : "can no longer be null");

    if (o.enum && n.enum) {
      const removed = [...o.enum].filter((v) => !n.enum!.has(v));
      const added = [...n.enum].filter((v) => !o.enum!.has(v));
      if (removed.length) add("enum-value-removed", "", `no longer allows ${list(removed)}`);
      if (added.length) add("enum-value-added", "", `now also allows ${list(added)}`);
    } else if (n.enum && !o.enum) add("constraint-tightened", "", `is now limited to ${list(n.enum)}`);
    else if (o.enum && !n.enum) add("constraint-loosened", "", "is no longer limited to a list of values");

    for (const k of new Set([...o.limits.keys(), ...n.limits.keys()])) {
      const was = o.limits.get(k);
      const now = n.limits.get(k);
      if (JSON.stringify(was) === JSON.stringify(now)) continue;
      const tighter =
        now === undefined ? false
        : was === undefined ? true
        : UPPER.includes(k) ? Number(now) < Number(was)
        : LOWER.includes(k) ? Number(now) > Number(was)
        : true;
      const shown = (v: unknown) => (v === undefined ? "none" : JSON.stringify(v));
      add(tighter ? "constraint-tightened" : "constraint-loosened", "", `${k} changed from ${shown(was)} to ${shown(now)}`);
    }

    for (const [name, schema] of o.properties) {
      if (!n.properties.has(name)) {
        add("field-removed", name, "was removed");
        continue;
      }
      if (n.required.has(name) && !o.required.has(name)) add("field-made-required", name, "is now required");
      if (!n.required.has(name) && o.required.has(name)) add("field-made-optional", name, "is now optional");
      nested(this.compare(schema, n.properties.get(name), direction, depth + 1), name);
    }
    for (const name of n.properties.keys()) {
      if (o.properties.has(name)) continue;
      if (direction === "request" && n.required.has(name)) add("field-made-required", name, "was added as required");
      else add("field-added", name, "was added");
    }

    if (o.items !== undefined && n.items !== undefined) nested(this.compare(o.items, n.items, direction, depth + 1), "[]");
    if (o.branches && n.branches) {
      const byName = (f: Flat) => new Map(f.branches!.list.map((b) => [b.name, b.schema]));
      this.compareBranches(byName(o), byName(n), n.branches.keyword, direction, depth, add, nested);
    }
    return out;
  }

  /** Alternatives pair up by name (the component a `$ref` names, else the title, else the position). */
  private compareBranches(
    before: Map<string, unknown>,
    after: Map<string, unknown>,
    keyword: string,
    direction: Direction,
    depth: number,
    add: (kind: SchemaChangeKind, path: string, text: string) => void,
    nested: (changes: SchemaChange[], segment: string) => void,
  ): void {
    for (const [name, schema] of before) {
      const segment = `${keyword}:${name}`;
      if (!after.has(name)) add("branch-removed", segment, "is no longer an alternative");
      else nested(this.compare(schema, after.get(name), direction, depth + 1), segment);
    }
    for (const name of after.keys()) if (!before.has(name)) add("branch-added", `${keyword}:${name}`, "was added as an alternative");
  }
}
