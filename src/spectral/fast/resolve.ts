/**
 * Resolving a document's local $refs the way Spectral's resolver (@stoplight/json-ref-resolver) does, without its
 * cost: the same rule for which references count as circular and stay `{ $ref }`, the same sharing (a component
 * referenced from many places is one object), the same refMap for mapping findings back, the same errors for
 * references that cannot be followed (nothing outside the document is ever fetched). Where json-ref-resolver copies
 * the document through immer (most of its seconds on a large spec), this copies only the objects above a reference.
 */
import { posix } from "node:path";
import { isObjectLike, pathToPointer, pointerToPath } from "./pointer.js";

export interface ResolverError {
  message: string;
  /** Where the $ref sits. */
  path: string[];
}

export interface Resolved {
  /** The document with every followable local $ref replaced by its target. */
  resolved: unknown;
  /** pointer of a $ref's location -> pointer of its target (local), or the reference itself (external, not followed). */
  refMap: Map<string, string>;
  /** The reference graph's nodes as Spectral names them ('spec#/components/schemas/X'): what counts as referenced. */
  graphNodes: string[];
  errors: ResolverError[];
}

interface LocalRef {
  at: string[];
  atPointer: string;
  target: string;
  targetPath: string[];
}

const SEP = "\u0000";
/** A path as a map key: each segment after a separator, so that the root ("") and [""] differ. */
const keyOf = (path: readonly string[]) => (path.length === 0 ? "" : SEP + path.join(SEP));
const escapeSegment = (s: string) => (s.includes("~") || s.includes("/") ? s.split("~").join("~0").split("/").join("~1") : s);

function externalRefName(ref: string): string {
  const bare = ref.includes("#") ? ref.slice(0, ref.indexOf("#")) : ref;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(bare)?.[1];
  if (scheme) return `No resolver defined for scheme '${scheme.toLowerCase()}' in ref ${bare}`;
  return `No resolver defined for scheme 'file' in ref ${posix.normalize(bare.replace(/^\/+/, ""))}`;
}

export function resolveDocument(data: unknown, source: string): Resolved {
  const refs: LocalRef[] = [];
  const errors: ResolverError[] = [];
  const refMap = new Map<string, string>();
  const graphNodes = [source];
  const externalErrors: ResolverError[] = [];

  // The crawl: every $ref in document order, without entering the $ref objects themselves.
  const path: string[] = [];
  const crawl = (node: unknown) => {
    for (const key in node as object) {
      if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
      const val = (node as Record<string, unknown>)[key];
      if (!isObjectLike(val)) continue;
      path.push(key);
      const ref = (val as { $ref?: unknown }).$ref;
      if (typeof ref === "string") visitRef(ref, [...path]);
      else crawl(val);
      path.pop();
    }
  };
  const visitRef = (ref: string, at: string[]) => {
    if (ref.startsWith("#")) {
      let targetPath: string[];
      try {
        targetPath = pointerToPath(ref);
      } catch {
        errors.push({ message: `'${ref}' JSON pointer is invalid`, path: [] });
        return;
      }
      // A reference to one of its own ancestors (or to the whole document) is left as it is, and is no edge of the graph.
      if (targetPath.length === 0 || targetPath.every((s, i) => at[i] === s)) return;
      graphNodes.push(`${source}${ref}`);
      refs.push({ at, atPointer: `#/${at.map(escapeSegment).join("/")}`, target: ref, targetPath });
    } else if (ref.length > 0) {
      graphNodes.push(ref);
      refMap.set(pathToPointer(at), ref);
      externalErrors.push({ message: externalRefName(ref), path: at });
    }
  };
  if (isObjectLike(data)) crawl(data);

  // json-ref-resolver's "stem" graph: the containers of each $ref (below the part it shares with its target)
  // depend on the target; a $ref inside anything its target depends on is circular and stays unresolved.
  const stemEdges = new Map<string, string[]>();
  for (const r of refs) {
    let stem = "#";
    let tail = "";
    for (let i = 0; i < r.at.length; i++) {
      const part = r.at[i]!;
      if (part === r.targetPath[i]) stem += `/${part}`;
      else {
        tail += `/${part}`;
        const dep = `${stem}${tail}`;
        if (dep !== r.atPointer && dep !== r.target) {
          const edges = stemEdges.get(dep) ?? [];
          edges.push(r.target);
          stemEdges.set(dep, edges);
        }
      }
    }
  }
  const stemPrefixes = new Map<string, Set<string>>();
  // @stoplight/json's startsWith compares numeric-looking segments as numbers: prefixes are keyed the same way.
  const norm = (s: string) => (Number.isNaN(parseInt(s, 10)) ? `s${s}` : `n${parseInt(s, 10)}`);
  const normalized = (path: readonly string[]) => path.map(norm).join(SEP);
  const stemKeys = new Map<string, string | null>();
  const stemKey = (pointer: string): string | null => {
    let key = stemKeys.get(pointer);
    if (key === undefined) {
      try {
        key = normalized(pointerToPath(pointer));
      } catch {
        key = null;
      }
      stemKeys.set(pointer, key);
    }
    return key;
  };
  const prefixesOf = (target: string): Set<string> => {
    let set = stemPrefixes.get(target);
    if (set) return set;
    set = new Set();
    const seen = new Set([target]);
    const todo = [...(stemEdges.get(target) ?? [])];
    while (todo.length) {
      const n = todo.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      const key = stemKey(n);
      if (key !== null) set.add(key);
      for (const next of stemEdges.get(n) ?? []) todo.push(next);
    }
    stemPrefixes.set(target, set);
    return set;
  };
  const isCircular = (r: LocalRef): boolean => {
    const prefixes = prefixesOf(r.target);
    if (prefixes.size === 0) return false;
    let prefix = "";
    if (prefixes.has(prefix)) return true;
    for (let n = 0; n < r.at.length; n++) {
      prefix = n === 0 ? norm(r.at[0]!) : `${prefix}${SEP}${norm(r.at[n]!)}`;
      if (prefixes.has(prefix)) return true;
    }
    return false;
  };

  const followed = new Map<string, string[]>();
  for (const r of refs) if (!isCircular(r)) followed.set(keyOf(r.at), r.targetPath);

  // The resolved view: objects above a followed $ref are copied, everything else is shared with the source.
  const above = new Set<string>([""]);
  for (const k of followed.keys()) for (let i = k.indexOf(SEP, 1); i !== -1; i = k.indexOf(SEP, i + 1)) above.add(k.slice(0, i));
  const built = new Map<string, unknown>();
  const MISSING = Symbol("missing");
  const locate = (targetPath: string[], depth = 0): { path: string[]; value: unknown } | typeof MISSING => {
    let value = data;
    let path: string[] = [];
    for (const seg of targetPath) {
      const redirect = followed.get(keyOf(path));
      if (redirect && depth < 64) {
        const next = locate(redirect, depth + 1);
        if (next === MISSING) return MISSING;
        ({ value, path } = next);
      }
      if (!isObjectLike(value) || !Object.prototype.hasOwnProperty.call(value, seg)) return MISSING;
      value = (value as Record<string, unknown>)[seg];
      path = [...path, seg];
    }
    const redirect = followed.get(keyOf(path));
    return redirect && depth < 64 ? locate(redirect, depth + 1) : { path, value };
  };
  const build = (key: string, value: unknown): unknown => {
    if (!isObjectLike(value) || !above.has(key)) return value;
    if (built.has(key)) return built.get(key);
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? new Array<unknown>(value.length) : {};
    built.set(key, copy);
    for (const k of Object.keys(value)) {
      const childKey = `${key}${SEP}${k}`;
      const target = followed.get(childKey);
      const child = (value as Record<string, unknown>)[k];
      if (target) {
        const found = locate(target);
        (copy as Record<string, unknown>)[k] = found === MISSING ? child : build(keyOf(found.path), found.value);
      } else (copy as Record<string, unknown>)[k] = build(childKey, child);
    }
    return copy;
  };

  const missing: ResolverError[] = [];
  for (const r of refs) {
    const target = followed.get(keyOf(r.at));
    if (!target) continue;
    // Like json-ref-resolver, a $ref to nothing still maps findings to where it points.
    refMap.set(pathToPointer(r.at), pathToPointer(r.targetPath));
    if (locate(target) === MISSING) {
      followed.delete(keyOf(r.at));
      missing.push({ message: `'${r.target}' does not exist`, path: r.at });
    }
  }
  const resolved = build("", data);
  return { resolved, refMap, graphNodes, errors: [...errors, ...externalErrors, ...missing] };
}
