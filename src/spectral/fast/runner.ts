/**
 * Running Spectral rules without Spectral's document walk: each rule's `given` is evaluated over the resolved
 * document as a graph (jsonpath.ts), its functions (Spectral's own) run on what matches, and their findings are
 * mapped back through $refs, templated and deduplicated exactly as Spectral's lintNode and prepareResults do.
 */
import type { Rule } from "@stoplight/spectral-core";
import { compileGiven, evaluateAll, UnsupportedPath } from "./jsonpath.js";
import {
  closestPath,
  decodePointerFragment,
  encodeUriSegment,
  getPath,
  isObjectLike,
  isPlainObject,
  pathToPointer,
  printDotPath,
  type JsonPath,
} from "./pointer.js";
import type { Position } from "./json-locations.js";

export const SOURCE = "spec";

/** A finding as Spectral reports it; `at` is filled in once the document is located. */
export interface Finding {
  code: string;
  message: string;
  path: JsonPath;
  severity: number;
  at?: Position;
}

export interface RunInput {
  data: unknown;
  resolved: unknown;
  refMap: Map<string, string>;
  graphNodes: string[];
  formats: Set<unknown> | null;
}

type RuleFunction = (input: unknown, options: unknown, context: unknown) => unknown;
interface Then {
  field?: string;
  function: RuleFunction;
  functionOptions?: unknown;
}

/** Why a rule cannot run here (it then runs on Spectral), or null. */
export function unsupported(rule: Rule, formats: Set<unknown> | null): string | null {
  for (const given of rule.getGivenForFormats(formats as never)) {
    try {
      compileGiven(given);
    } catch (e) {
      if (e instanceof UnsupportedPath) return `given ${given}`;
      throw e;
    }
  }
  for (const then of rule.then as Then[]) {
    if (typeof then.field === "string" && then.field !== "@key" && !/^[^.[\]$]+(\.[^.[\]]+)*$/.test(then.field)) return `field ${then.field}`;
  }
  if (rule.message !== null && !templateSupported(rule.message)) return `message ${rule.message}`;
  return null;
}

export class FastRunner {
  private readonly inventory: object;
  private readonly document: object;
  readonly findings: Finding[] = [];
  private readonly pending: Array<Promise<void>> = [];

  constructor(
    private readonly input: RunInput,
    private readonly functionFor: (fn: RuleFunction) => RuleFunction,
  ) {
    this.document = { source: SOURCE, data: input.data, formats: input.formats, diagnostics: [], trapAccess: (o: unknown) => o };
    // What Spectral's functions read from the DocumentInventory: the graph (unreferenced components) and path mapping.
    this.inventory = {
      document: this.document,
      resolved: input.resolved,
      unresolved: input.data,
      graph: { overallOrder: () => input.graphNodes },
      findAssociatedItemForPath: (path: JsonPath, resolved: boolean) => {
        const item = this.associate(path.map(String), resolved);
        return item && { document: this.document, path: item.path, missingPropertyPath: item.missing };
      },
    };
  }

  /** Runs the rules: the givens over the resolved document in one pass, those over the unresolved one in another. */
  run(rules: Rule[]): void {
    for (const resolved of [true, false]) {
      const these = rules.filter((r) => r.resolved === resolved);
      const givens = [...new Set(these.flatMap((r) => r.getGivenForFormats(this.input.formats as never)))];
      const matches = evaluateAll(
        givens.map((g) => compileGiven(g)),
        resolved ? this.input.resolved : this.input.data,
      );
      const byGiven = new Map(givens.map((g, i) => [g, matches[i]!]));
      for (const rule of these) {
        for (const given of rule.getGivenForFormats(this.input.formats as never)) for (const m of byGiven.get(given)!) this.lintNode(rule, m.value, m.path);
      }
    }
  }

  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }

  private lintNode(rule: Rule, value: unknown, givenPath: JsonPath): void {
    const context = { document: this.document, documentInventory: this.inventory, rule, path: givenPath };
    for (const then of rule.then as Then[]) {
      for (const target of lintTargets(value, then.field)) {
        const path = target.path.length > 0 ? [...givenPath, ...target.path] : givenPath;
        const fn = this.functionFor(then.function);
        let out: unknown;
        try {
          out = fn(target.value, then.functionOptions ?? null, { ...context, path });
        } catch (e) {
          throw new Error(`Function "${then.function.name}" threw an exception${e instanceof Error ? `: ${e.message}` : ""}`, { cause: e });
        }
        if (out === undefined) continue;
        if (typeof (out as Promise<unknown>).then === "function") {
          this.pending.push((out as Promise<Array<{ message: string; path?: JsonPath }> | undefined>).then((r) => r && this.process(rule, path, r)));
        } else this.process(rule, path, out as Array<{ message: string; path?: JsonPath }>);
      }
    }
  }

  /** Spectral's processTargetResults. */
  private process(rule: Rule, targetPath: JsonPath, results: Array<{ message: string; path?: JsonPath }>): void {
    const { data, resolved } = this.input;
    for (const result of results) {
      const escaped = (result.path ?? targetPath).map((s) => (typeof s === "string" ? decodePointerFragment(s) : String(s)));
      const item = this.associate(escaped, rule.resolved);
      const path = item?.path ?? closestPath(resolved, escaped);
      const value = path.length === 0 ? data : getPath(data, path);
      const vars: Record<string, unknown> = {
        property:
          item?.missing !== undefined && item.missing.length > path.length
            ? printDotPath(item.missing.slice(path.length - 1))
            : path.length > 0
              ? path[path.length - 1]
              : "",
        error: result.message,
        path: pathToPointer(path.map((s) => (typeof s === "string" ? decodePointerFragment(s) : s))),
        description: rule.description,
        value,
      };
      const resultMessage = template(result.message, vars);
      vars.error = resultMessage;
      const severity = item ? rule.getSeverityForSource(SOURCE, path) : rule.severity;
      if (severity === -1) continue;
      this.findings.push({
        code: rule.name,
        message: (rule.message === null ? (rule.description ?? resultMessage) : template(rule.message, vars)).trim(),
        path,
        severity,
      });
    }
  }

  /** Spectral's DocumentInventory.findAssociatedItemForPath, for one document with local references. */
  private associate(path: string[], resolved: boolean): { path: JsonPath; missing: JsonPath } | null {
    const { data, refMap } = this.input;
    if (!resolved) return { path: closestPath(data, path), missing: path };
    try {
      const newPath = closestPath(this.input.resolved, path);
      const until = untilRef(data, newPath);
      if (until === null) return { path: closestPath(data, path), missing: path };
      const missingPropertyPath = until.length === 0 ? [] : path.slice(path.lastIndexOf(String(until[until.length - 1])) + 1);
      let key = "";
      let jumps = 0;
      for (const segment of ["#", ...path.map(encodeUriSegment)]) {
        if (key.length > 0) key += "/";
        key += segment;
        for (let next = refMap.get(key); next !== undefined; next = refMap.get(key)) {
          if (!(next === "#" || /^#\S*$/.test(next))) return { path: closestPath(data, path), missing: path };
          if (++jumps > 10_000) return null;
          key = next;
        }
      }
      const target = (key.startsWith("#/") ? key.slice(2) : key).split("/").map(decodePointerFragment);
      const closest = closestPath(data, target);
      return { path: closest, missing: [...closest, ...missingPropertyPath] };
    } catch {
      return null;
    }
  }
}

/** traverseObjUntilRef, returning what Spectral's version leaves in the array it consumes: the segments not walked. */
function untilRef(data: unknown, path: JsonPath): JsonPath | null {
  let piece = data;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (!isObjectLike(piece)) throw new TypeError("Segment is not a part of the object");
    if (segment in piece) piece = (piece as Record<string, unknown>)[segment as string];
    else if (typeof (piece as { $ref?: unknown }).$ref === "string") return path.slice(i);
    else throw new Error("Segment is not a part of the object");
  }
  return isPlainObject(piece) && typeof piece.$ref === "string" && Object.keys(piece).length === 1 ? [] : null;
}

/** Spectral's getLintTargets for the field forms compileable here. */
function lintTargets(value: unknown, field: string | undefined): Array<{ path: JsonPath; value: unknown }> {
  const targets: Array<{ path: JsonPath; value: unknown }> = [];
  if (isObjectLike(value) && typeof field === "string") {
    if (field === "@key") for (const key of Object.keys(value)) targets.push({ path: [key], value: key });
    else {
      const path = field.split(".");
      targets.push({ path, value: getPath(value, path) });
    }
  } else targets.push({ path: [], value });
  if (targets.length === 0) targets.push({ path: [], value: undefined });
  return targets;
}

// ---- messages: Spectral's Replacer for the forms its functions and ordinary rules use ------------------------------

const PLACEHOLDER = /#?\{\{([^}\n]+)\}\}/g;
const PRINT = /^print\((['"])(\w+)\1\)$/;

function templateSupported(message: string): boolean {
  for (const m of message.matchAll(PLACEHOLDER)) if (m[0].startsWith("#") && !PRINT.test(m[1]!.trim())) return false;
  return true;
}

function printValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (isObjectLike(value)) {
    if (Array.isArray(value)) return "Array[]";
    if (value instanceof RegExp) return String(value.source);
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    if (!isPlainObject(value) && typeof ctor?.name === "string") return ctor.name;
    return "Object{}";
  }
  return JSON.stringify(value);
}

function template(input: string, values: Record<string, unknown>): string {
  return input.replace(PLACEHOLDER, (whole, identifier: string) => {
    if (whole.startsWith("#")) {
      const type = PRINT.exec(identifier.trim())?.[2];
      if (type === undefined) return "";
      if (type === "property") {
        const property = values.property;
        return property !== undefined && property !== "" ? `"${String(property)}" property ` : "The document ";
      }
      if (type === "value") return printValue(values.value);
      return type in values && values[type] !== null ? String(values[type]) : "";
    }
    return identifier in values ? String(values[identifier]) : "";
  });
}

// ---- results: Spectral's prepareResults --------------------------------------------------------------------------

export function prepareResults(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const at = f.at ?? { line: 0, character: 0 };
    const id = `${f.code}${f.path.length > 0 ? JSON.stringify(f.path) : JSON.stringify(at)}${SOURCE}${f.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique.sort((a, b) => {
    const x = a.at ?? { line: 0, character: 0 };
    const y = b.at ?? { line: 0, character: 0 };
    return (
      Math.sign(x.line - y.line) ||
      Math.sign(x.character - y.character) ||
      Math.sign(String(a.code).localeCompare(String(b.code), undefined, { numeric: true })) ||
      Math.sign(a.path.join().localeCompare(b.path.join()))
    );
  });
}
