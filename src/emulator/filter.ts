/**
 * The OData `$filter` subset ARM list operations take, compiled to a SQLite condition over the
 * resources table: comparisons `eq`/`ne` (and `gt`/`ge`/`lt`/`le`), `and`, `or`, `not`, parentheses,
 * and `contains`/`startswith`/`endswith`. Fields are `name` or a property path (`kind`,
 * `properties/kind`, `customProperties/team`, `lifecycleStage`).
 */
import { clip } from "../arm/text.js";

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

export class FilterError extends Error {}

type Token =
  | { t: "str"; v: string }
  | { t: "num"; v: number }
  | { t: "word"; v: string }
  | { t: "("; v: "(" }
  | { t: ")"; v: ")" }
  | { t: ","; v: "," };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ t: c, v: c } as Token);
      i++;
    } else if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterError("unterminated string literal");
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += input[i++];
      }
      tokens.push({ t: "str", v: s });
    } else {
      const m = /^[-\w./]+/.exec(input.slice(i));
      if (!m) throw new FilterError(`unexpected character '${c}' at position ${i}`);
      const word = m[0];
      tokens.push(/^-?\d+(\.\d+)?$/.test(word) ? { t: "num", v: Number(word) } : { t: "word", v: word });
      i += word.length;
    }
  }
  return tokens;
}

const COMPARISONS: Record<string, string> = { eq: "=", ne: "<>", gt: ">", ge: ">=", lt: "<", le: "<=" };
const FUNCTIONS = new Set(["contains", "startswith", "endswith"]);

function fieldSql(path: string): { sql: string; params: unknown[] } {
  if (path.toLowerCase() === "name") return { sql: "name", params: [] };
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "properties") parts.shift();
  if (parts.length === 0 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new FilterError(`'${clip(path)}' is not a field: use name or a property such as kind, lifecycleStage or customProperties/<name>`);
  }
  return { sql: "json_extract(doc, ?)", params: [`$.properties.${parts.map((p) => `"${p}"`).join(".")}`] };
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): SqlCondition {
    const cond = this.or();
    if (this.pos < this.tokens.length) throw new FilterError(`unexpected '${clip(String(this.tokens[this.pos]!.v))}'`);
    return cond;
  }

  private peekWord(word: string): boolean {
    const t = this.tokens[this.pos];
    return t?.t === "word" && t.v.toLowerCase() === word;
  }

  private expect(t: Token["t"]): Token {
    const tok = this.tokens[this.pos++];
    if (!tok || tok.t !== t) throw new FilterError(`expected '${t}'${tok ? ` but found '${clip(String(tok.v))}'` : " at the end"}`);
    return tok;
  }

  private or(): SqlCondition {
    let left = this.and();
    while (this.peekWord("or")) {
      this.pos++;
      const right = this.and();
      left = { sql: `(${left.sql} OR ${right.sql})`, params: [...left.params, ...right.params] };
    }
    return left;
  }

  private and(): SqlCondition {
    let left = this.unary();
    while (this.peekWord("and")) {
      this.pos++;
      const right = this.unary();
      left = { sql: `(${left.sql} AND ${right.sql})`, params: [...left.params, ...right.params] };
    }
    return left;
  }

  private unary(): SqlCondition {
    if (this.peekWord("not")) {
      this.pos++;
      const inner = this.unary();
      return { sql: `(NOT ${inner.sql})`, params: inner.params };
    }
    if (this.tokens[this.pos]?.t === "(") {
      this.pos++;
      const inner = this.or();
      this.expect(")");
      return inner;
    }
    return this.comparison();
  }

  private literal(): unknown {
    const tok = this.tokens[this.pos++];
    if (!tok) throw new FilterError("expected a value at the end");
    if (tok.t === "str" || tok.t === "num") return tok.v;
    if (tok.t === "word" && ["true", "false"].includes(tok.v)) return tok.v === "true" ? 1 : 0;
    if (tok.t === "word" && tok.v === "null") return null;
    throw new FilterError(`expected a value but found '${clip(String(tok.v))}'`);
  }

  private comparison(): SqlCondition {
    const head = this.expect("word") as { t: "word"; v: string };
    const fn = head.v.toLowerCase();
    if (FUNCTIONS.has(fn) && this.tokens[this.pos]?.t === "(") {
      this.pos++;
      const field = fieldSql((this.expect("word") as { v: string }).v);
      this.expect(",");
      const value = this.literal();
      this.expect(")");
      if (typeof value !== "string") throw new FilterError(`${fn} takes a string value`);
      const pattern = fn === "contains" ? `%${value}%` : fn === "startswith" ? `${value}%` : `%${value}`;
      return { sql: `(${field.sql} LIKE ? ESCAPE '\\')`, params: [...field.params, escapeLike(pattern, value)] };
    }
    const field = fieldSql(head.v);
    const opTok = this.expect("word") as { v: string };
    const op = COMPARISONS[opTok.v.toLowerCase()];
    if (!op) throw new FilterError(`'${clip(String(opTok.v))}' is not a comparison: use eq, ne, gt, ge, lt or le`);
    const value = this.literal();
    if (value === null) {
      return { sql: `(${field.sql} IS ${op === "=" ? "" : "NOT "}NULL)`, params: field.params };
    }
    // ARM compares names and enum values without regard to case.
    const collate = typeof value === "string" ? " COLLATE NOCASE" : "";
    return { sql: `(${field.sql}${collate} ${op} ?)`, params: [...field.params, value] };
  }
}

function escapeLike(pattern: string, value: string): string {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return pattern.replace(value, escaped);
}

export function compileFilter(filter: string): SqlCondition {
  const tokens = tokenize(filter);
  if (tokens.length === 0) throw new FilterError("the filter is empty");
  return new Parser(tokens).parse();
}
