/**
 * The JSONPath that Spectral rules use for `given` (the subset the built-in OpenAPI rules and ordinary custom
 * rules need), evaluated over the resolved document as the graph it is: an object reached along several $ref routes
 * is visited once per step of the path, where Spectral's engine (nimma) walks every route. A rule's function
 * then runs once per object, not once per route; Spectral maps every route's findings back to the same place and
 * drops the copies, so the findings are the same.
 *
 * Filters (`?(...)`) are parsed, never evaluated as code: `@`, `@property`, literals, member access, `includes(...)`,
 * `! && || === !== == != < <= > >=`. What this does not understand, compileGiven refuses, and the rule runs on Spectral.
 */
import { isObjectLike } from "./pointer.js";

type Value = unknown;
type Eval = (value: Value, key: string | number) => Value;

type Selector = { kind: "any" } | { kind: "names"; names: Array<string | number> } | { kind: "filter"; test: Eval };
interface Step {
  descend: boolean;
  select: Selector;
}

export interface Match {
  value: Value;
  path: Array<string | number>;
}

export class UnsupportedPath extends Error {}

const NAME = /^[A-Za-z0-9_$-]+/;

/** Parses a `given`; throws UnsupportedPath for syntax outside the subset. */
export function compileGiven(given: string): Step[] {
  if (!given.startsWith("$")) throw new UnsupportedPath(given);
  const steps: Step[] = [];
  let i = 1;
  while (i < given.length) {
    let descend = false;
    if (given.startsWith("..", i)) {
      descend = true;
      i += 2;
    } else if (given[i] === ".") i += 1;
    else if (given[i] !== "[") throw new UnsupportedPath(given);
    if (given[i] === "*") {
      steps.push({ descend, select: { kind: "any" } });
      i += 1;
    } else if (given[i] === "[") {
      const end = closingBracket(given, i);
      steps.push({ descend, select: bracket(given.slice(i + 1, end), given) });
      i = end + 1;
    } else {
      const name = NAME.exec(given.slice(i))?.[0];
      if (!name) throw new UnsupportedPath(given);
      steps.push({ descend, select: { kind: "names", names: [name] } });
      i += name.length;
    }
  }
  return steps;
}

function closingBracket(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") {
      depth--;
      if (depth === 0) {
        if (c !== "]") break;
        return i;
      }
    }
  }
  throw new UnsupportedPath(s);
}

function bracket(body: string, given: string): Selector {
  const b = body.trim();
  if (b === "*") return { kind: "any" };
  if (b.startsWith("?(") && b.endsWith(")")) return { kind: "filter", test: parseExpression(b.slice(2, -1), given) };
  const names: Array<string | number> = [];
  for (const part of b.split(",").map((p) => p.trim())) {
    const quoted = /^'([^'\\]*)'$|^"([^"\\]*)"$/.exec(part);
    if (quoted) names.push(quoted[1] ?? quoted[2]!);
    else if (/^\d+$/.test(part)) names.push(Number(part));
    else if (NAME.exec(part)?.[0] === part) names.push(part);
    else throw new UnsupportedPath(given);
  }
  return { kind: "names", names };
}

// ---- filter expressions --------------------------------------------------------------------------------------

type Token = { t: "op" | "name" | "str" | "num" | "at" | "atprop"; v: string };

function tokenize(src: string, given: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const op = ["===", "!==", "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", ".", ","].find((o) => src.startsWith(o, i));
    if (c === "@") {
      const rest = /^@([A-Za-z]*)/.exec(src.slice(i))![1]!;
      if (rest === "") out.push({ t: "at", v: "@" });
      else if (rest === "property") out.push({ t: "atprop", v: "@property" });
      else throw new UnsupportedPath(given);
      i += 1 + rest.length;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let v = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\") throw new UnsupportedPath(given);
        v += src[j++];
      }
      if (j >= src.length) throw new UnsupportedPath(given);
      out.push({ t: "str", v });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const num = /^\d+(\.\d+)?/.exec(src.slice(i))![0];
      out.push({ t: "num", v: num });
      i += num.length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const name = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i))![0];
      out.push({ t: "name", v: name });
      i += name.length;
    } else if (op) {
      out.push({ t: "op", v: op });
      i += op.length;
    } else throw new UnsupportedPath(given);
  }
  return out;
}

function parseExpression(src: string, given: string): Eval {
  const toks = tokenize(src, given);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => toks[p]?.t === "op" && toks[p]!.v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new UnsupportedPath(given);
    p++;
  };
  const binary = (next: () => Eval, ops: string[], apply: (op: string, a: Eval, b: Eval) => Eval) => (): Eval => {
    let left = next();
    while (toks[p]?.t === "op" && ops.includes(toks[p]!.v)) {
      const op = toks[p++]!.v;
      left = apply(op, left, next());
    }
    return left;
  };
  const primary = (): Eval => {
    const tok = toks[p++];
    if (!tok) throw new UnsupportedPath(given);
    if (tok.t === "at") return (v) => v;
    if (tok.t === "atprop") return (_v, k) => k;
    if (tok.t === "str") return () => tok.v;
    if (tok.t === "num") return () => Number(tok.v);
    if (tok.t === "name") {
      if (tok.v === "null") return () => null;
      if (tok.v === "true") return () => true;
      if (tok.v === "false") return () => false;
      if (tok.v === "undefined") return () => undefined;
      if (tok.v === "void" && peek()?.t === "num") {
        p++;
        return () => undefined;
      }
      throw new UnsupportedPath(given);
    }
    if (tok.v === "(") {
      const e = or();
      expect(")");
      return e;
    }
    throw new UnsupportedPath(given);
  };
  const postfix = (): Eval => {
    let e = primary();
    for (;;) {
      if (isOp(".")) {
        p++;
        const name = toks[p++];
        if (name?.t !== "name") throw new UnsupportedPath(given);
        if (name.v === "includes" && isOp("(")) {
          p++;
          const arg = or();
          expect(")");
          const target = e;
          e = (v, k) => {
            const t = target(v, k);
            return typeof t === "string" || Array.isArray(t) ? t.includes(arg(v, k) as string) : fail("includes is not a function");
          };
        } else e = member(e, () => name.v);
      } else if (isOp("[")) {
        p++;
        const key = or();
        expect("]");
        e = member(e, key);
      } else return e;
    }
  };
  const unary = (): Eval => {
    if (isOp("!")) {
      p++;
      const inner = unary();
      return (v, k) => !inner(v, k);
    }
    return postfix();
  };
  const rel = binary(unary, ["<", "<=", ">", ">="], (op, a, b) => (v, k) => {
    const x = a(v, k) as number;
    const y = b(v, k) as number;
    return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
  });
  const eq = binary(rel, ["===", "!==", "==", "!="], (op, a, b) => (v, k) => {
    const x = a(v, k);
    const y = b(v, k);
    return op === "===" ? x === y : op === "!==" ? x !== y : op === "==" ? x == y : x != y;
  });
  const and = binary(eq, ["&&"], (_op, a, b) => (v, k) => a(v, k) && b(v, k));
  const or: () => Eval = binary(and, ["||"], (_op, a, b) => (v, k) => a(v, k) || b(v, k));
  const e = or();
  if (p !== toks.length) throw new UnsupportedPath(given);
  return e;
}

const fail = (message: string): never => {
  throw new TypeError(message);
};

/** Member access with JavaScript's semantics (a filter reading a property of null fails the run, as in Spectral). */
function member(target: Eval, key: Eval): Eval {
  return (v, k) => {
    const t = target(v, k);
    const name = key(v, k) as string;
    if (t === null || t === undefined) return fail(`Cannot read properties of ${String(t)} (reading '${name}')`);
    return (t as Record<string, unknown>)[name];
  };
}

// ---- evaluation ------------------------------------------------------------------------------------------------

type Test = (value: Value, key: string | number) => boolean;
const testOf = (sel: Selector): Test => {
  if (sel.kind === "any") return () => true;
  if (sel.kind === "filter") return (v, k) => Boolean(sel.test(v, k));
  const names = new Set(sel.names.map(String));
  return (_v, k) => names.has(typeof k === "number" ? String(k) : k);
};

/** One `given` being evaluated: its steps, what it has matched, and the objects it has already walked. */
class Evaluation {
  readonly matches: Match[] = [];
  private readonly emittedObjects = new WeakSet<object>();
  private readonly emittedKeys = new WeakMap<object, Set<string | number>>();
  private readonly descended: Array<WeakSet<object>>;
  readonly tests: Test[];

  constructor(
    readonly steps: Step[],
    private readonly path: Array<string | number>,
  ) {
    this.descended = steps.map(() => new WeakSet<object>());
    this.tests = steps.map((s) => testOf(s.select));
  }

  private emit(value: Value, parent: object | null, key: string | number): void {
    if (isObjectLike(value)) {
      if (this.emittedObjects.has(value)) return;
      this.emittedObjects.add(value);
    } else if (parent) {
      let keys = this.emittedKeys.get(parent);
      if (!keys) this.emittedKeys.set(parent, (keys = new Set()));
      if (keys.has(key)) return;
      keys.add(key);
    }
    this.matches.push({ value, path: [...this.path] });
  }

  private visit(node: object, value: Value, key: string | number, i: number, descending: boolean): void {
    this.path.push(key);
    if (this.tests[i]!(value, key)) this.step(value, node, key, i + 1);
    if (descending && isObjectLike(value)) this.descend(value, i);
    this.path.pop();
  }

  /** Goes on from `value` (found at `key` of `parent`, the current path) with step `i`. */
  step(value: Value, parent: object | null, key: string | number, i: number): void {
    if (i === this.steps.length) return this.emit(value, parent, key);
    if (!isObjectLike(value)) return;
    const s = this.steps[i]!;
    if (s.descend) return this.descend(value, i);
    if (s.select.kind === "names" && !Array.isArray(value)) {
      for (const n of s.select.names) {
        if (!Object.prototype.hasOwnProperty.call(value, n)) continue;
        this.path.push(n);
        this.step((value as Record<string, unknown>)[n as string], value, n, i + 1);
        this.path.pop();
      }
      return;
    }
    if (Array.isArray(value)) for (let k = 0; k < value.length; k++) this.visit(value, value[k], k, i, false);
    else for (const k in value) this.visit(value, (value as Record<string, unknown>)[k], k, i, false);
  }

  private descend(node: object, i: number): void {
    if (this.descended[i]!.has(node)) return;
    this.descended[i]!.add(node);
    if (Array.isArray(node)) for (let k = 0; k < node.length; k++) this.visit(node, node[k], k, i, true);
    else for (const k in node) this.visit(node, (node as Record<string, unknown>)[k], k, i, true);
  }
}

/**
 * Every match of each compiled `given` over a document, each object once per `given`. The ones that start with `..`
 * (most of a ruleset's cost: they visit every object) share one walk of the document.
 */
export function evaluateAll(givens: Step[][], root: Value): Match[][] {
  const path: Array<string | number> = [];
  const evaluations = givens.map((steps) => new Evaluation(steps, path));
  const shared = evaluations.filter((e) => e.steps[0]?.descend);
  for (const e of evaluations) if (!shared.includes(e)) e.step(root, null, "", 0);
  if (shared.length > 0 && isObjectLike(root)) {
    const walked = new WeakSet<object>();
    const walk = (node: object) => {
      if (walked.has(node)) return;
      walked.add(node);
      const visit = (value: Value, key: string | number) => {
        path.push(key);
        for (const e of shared) if (e.tests[0]!(value, key)) e.step(value, node, key, 1);
        if (isObjectLike(value)) walk(value);
        path.pop();
      };
      if (Array.isArray(node)) for (let k = 0; k < node.length; k++) visit(node[k], k);
      else for (const k in node) visit((node as Record<string, unknown>)[k], k);
    };
    walk(root);
  }
  return evaluations.map((e) => e.matches);
}
