/**
 * The OData `$filter` API Management lists take, as far as clients use it on APIs: `eq`/`ne` and
 * `contains`, `startswith`, `endswith` on `name` and `properties/{field}`, joined by `and`; strings
 * compared without regard to case.
 */

type Row = Record<string, unknown>;
type Predicate = (row: Row) => boolean;

const FIELD = String.raw`(name|properties/[A-Za-z]+|[A-Za-z]+)`;
const VALUE = String.raw`('(?:[^']|'')*'|true|false|\d+)`;
const COMPARISON = new RegExp(String.raw`^${FIELD}\s+(eq|ne)\s+${VALUE}$`, "i");
const FUNCTION = new RegExp(String.raw`^(contains|startswith|endswith)\(\s*${FIELD}\s*,\s*${VALUE}\s*\)$`, "i");

function literal(v: string): unknown {
  if (v.startsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  return Number(v);
}

const read = (row: Row, field: string): unknown => row[field.replace(/^properties\//i, "")];
const text = (v: unknown) => String(v ?? "").toLowerCase();

/** A predicate for `filter`, or a message naming what is not understood. */
export function matchesFilter(filter: string): Predicate | string {
  const clauses = filter.split(/\s+and\s+/i).map((c) => c.trim());
  const predicates: Predicate[] = [];
  for (const clause of clauses) {
    const cmp = COMPARISON.exec(clause);
    if (cmp) {
      const [, field, op, raw] = cmp;
      const want = literal(raw!);
      const eq = (row: Row) => {
        const got = read(row, field!);
        return typeof want === "string" ? text(got) === want.toLowerCase() : got === want;
      };
      predicates.push(op!.toLowerCase() === "eq" ? eq : (row) => !eq(row));
      continue;
    }
    const fn = FUNCTION.exec(clause);
    if (fn) {
      const [, name, field, raw] = fn;
      const want = String(literal(raw!)).toLowerCase();
      const test = { contains: (s: string) => s.includes(want), startswith: (s: string) => s.startsWith(want), endswith: (s: string) => s.endsWith(want) }[name!.toLowerCase() as "contains"];
      predicates.push((row) => test(text(read(row, field!))));
      continue;
    }
    return `$filter clause '${clause}' is not understood: use name or properties/<field> with eq, ne, contains(), startswith() or endswith(), joined by 'and'`;
  }
  return (row) => predicates.every((p) => p(row));
}
