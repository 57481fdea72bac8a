/**
 * Ranked free-text search over the indexed inventory: each API is one document made of its name,
 * title, summary, description, contacts, custom property values, and its specs' own content
 * (operation ids, paths, tags, summaries). Scored with BM25 over weighted fields; words are split
 * on camelCase and punctuation and reduced to a simple stem, so "refunds" finds `POST /refunds` and
 * `createRefund`.
 *
 * Questions come phrased ("which APIs expose a /users endpoint?"): grammar words are dropped, and the
 * words every API question uses ("API", "endpoint", "expose", "service") count for little and never
 * make a hit on their own, so the content words decide. A path in the question (`/users`,
 * `/users/{id}`) is matched against the operations' paths and ranks the APIs that have it first.
 */
import { apiKey, type IndexedApi, type Snapshot } from "./inventory-index.js";

const STOP = new Set(
  "a an and any all are as at be by can could do does each every for from how i if in into is it its me my of on or our should so some that the their them then there these they this those to us was we were what when where which who whose why will with would you your".split(" "),
);

/** Words of how an API question is asked rather than what it is about. */
const FILLER = new Set(
  (
    "about allow allows api apis available call calls data endpoint endpoints exist exists expose exposed exposes exposing find give gives handle handled handles handling has have having info information know let lets like list lists " +
    "method methods need offer offered offers operation operations path paths please provide provided provides providing request requests resource resources response responses rest route routes service services " +
    "show support supported supports tell use used uses using want"
  ).split(" "),
);
const FILLER_WEIGHT = 0.15;

/** Lower-case words of a text, camelCase and snake_case split, grammar words dropped. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP.has(w));
}

/** Lower-case stems of the words in a text, camelCase and snake_case split. */
export function terms(text: string): string[] {
  return words(text).map(stem);
}

/** A light suffix stripper: plurals and -ing/-ed forms meet their base word. */
export function stem(w: string): string {
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && /(ss|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) return w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith("ed")) return w.slice(0, -2);
  return w;
}

/** Path segments compared without parameter names or plural endings: /Users/{userId} is /user/{}. */
function pathSegments(path: string): string[] {
  return path
    .split("?")[0]!
    .split("/")
    .filter(Boolean)
    .map((seg) => (/^\{.*\}$/.test(seg) || /^:/.test(seg) ? "{}" : stem(seg.toLowerCase())));
}

/** How well an operation path answers a path asked for: the path itself, under a prefix, or a sub-path. */
function pathMatch(asked: string[], op: string[]): number {
  const at = (i: number) => asked.every((seg, j) => op[i + j] === seg || (seg === "{}" && op[i + j] !== undefined));
  if (op.length === asked.length && at(0)) return 1;
  // A version or base-path prefix (/api/v2/users) is still the path; a parent resource (/orgs/{org}/users) is not.
  const prefix = op.length - asked.length;
  if (prefix > 0 && at(prefix) && !op.slice(0, prefix).includes("{}")) return 0.9;
  if (op.length > asked.length && at(0)) return 0.7;
  for (let i = 1; i + asked.length <= op.length; i++) if (at(i)) return 0.5;
  return 0;
}

/** The question split: the paths it names, its content words, and its filler words. */
function parseQuery(query: string): { paths: string[][]; content: string[]; filler: string[] } {
  const paths: string[][] = [];
  const rest = query.replace(/(?:^|[\s`'"(])(\/[^\s`'"),;]*)/g, (m, p: string) => {
    const segs = pathSegments(p.replace(/[.?!:]+$/, ""));
    if (segs.length) paths.push(segs);
    // The path's words count as words too; its parameter names do not.
    return ` ${m.replace(/\{[^}]*\}/g, " ")} `;
  });
  const content: string[] = [];
  const filler: string[] = [];
  for (const w of words(rest)) (FILLER.has(w) ? filler : content).push(stem(w));
  return { paths, content: [...new Set(content)], filler: [...new Set(filler)].filter((f) => !content.includes(f)) };
}

const FIELDS = {
  name: 3,
  title: 3,
  summary: 2,
  description: 1,
  contacts: 1,
  custom: 1.5,
  operations: 2,
  specText: 1,
} as const;
type Field = keyof typeof FIELDS;

interface Doc {
  /** The API's key in the index (apiKey). */
  api: string;
  /** term -> weighted frequency */
  tf: Map<string, number>;
  length: number;
  /** The terms of each field, to say which fields matched. */
  fieldTerms: Map<Field, Set<string>>;
  /** Operations by the terms they contain, to say what matched. */
  operationTerms: Array<{ label: string; terms: Set<string>; segments: string[] }>;
}

export interface SearchHit {
  /** The API's key in the index (apiKey). */
  api: string;
  score: number;
  /** What matched: fields and, for spec content, the operations. */
  matched: string[];
}

function fieldTexts(entry: IndexedApi): Record<Field, string> & { ops: Array<{ label: string; text: string; path: string }> } {
  const p = entry.resource.properties;
  const contacts = Array.isArray(p.contacts) ? (p.contacts as Array<Record<string, unknown>>).map((c) => `${c.name ?? ""} ${c.email ?? ""}`).join(" ") : "";
  const custom = Object.values((p.customProperties ?? {}) as Record<string, unknown>).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" ");
  const ops: Array<{ label: string; text: string; path: string }> = [];
  const specText: string[] = [];
  for (const v of entry.versions) {
    for (const d of v.definitions) {
      if (!d.digest) continue;
      specText.push(d.digest.title ?? "", d.digest.description ?? "");
      for (const o of d.digest.operations) {
        ops.push({ label: `${o.method} ${o.path}${o.operationId ? ` (${o.operationId})` : ""}`, text: [o.operationId, o.path, o.summary, ...(o.tags ?? [])].filter(Boolean).join(" "), path: o.path });
      }
    }
  }
  return {
    name: entry.resource.name,
    title: String(p.title ?? ""),
    summary: String(p.summary ?? ""),
    description: String(p.description ?? ""),
    contacts,
    custom,
    operations: ops.map((o) => o.text).join(" "),
    specText: specText.join(" "),
    ops,
  };
}

/**
 * The searchable form of a snapshot: built once, then kept up to date one API at a time. Each term
 * keeps the documents that hold it, so a question of words looks only at the APIs that have one of
 * them; a question naming a path is matched against every API's operations.
 */
export class SearchIndex {
  private readonly docs = new Map<string, Doc>();
  private readonly postings = new Map<string, Set<Doc>>();
  private totalLength = 0;

  constructor(snapshot: Snapshot) {
    for (const entry of snapshot.apis.values()) this.put(entry);
  }

  /** Adds an API's document, replacing the one it had. */
  put(entry: IndexedApi): void {
    const key = apiKey(entry.resource.name);
    this.remove(key);
    const texts = fieldTexts(entry);
    const tf = new Map<string, number>();
    const fieldTerms = new Map<Field, Set<string>>();
    let length = 0;
    for (const field of Object.keys(FIELDS) as Field[]) {
      const ts = terms(texts[field]);
      fieldTerms.set(field, new Set(ts));
      for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + FIELDS[field]);
      length += ts.length;
    }
    const doc: Doc = { api: key, tf, length, fieldTerms, operationTerms: texts.ops.map((o) => ({ label: o.label, terms: new Set(terms(o.text)), segments: pathSegments(o.path) })) };
    for (const t of tf.keys()) {
      const holders = this.postings.get(t);
      if (holders) holders.add(doc);
      else this.postings.set(t, new Set([doc]));
    }
    this.totalLength += length;
    this.docs.set(key, doc);
  }

  /** Removes an API's document, by its key in the index. */
  remove(key: string): void {
    const doc = this.docs.get(key);
    if (!doc) return;
    for (const t of doc.tf.keys()) {
      const holders = this.postings.get(t);
      holders?.delete(doc);
      if (holders?.size === 0) this.postings.delete(t);
    }
    this.totalLength -= doc.length;
    this.docs.delete(key);
  }

  /** The best `limit` hits for the query among the APIs `allowed` keeps (by key), and how many there are in all. */
  search(query: string, opts: { limit: number; allowed?: (api: string) => boolean }): { total: number; hits: SearchHit[] } {
    const q = parseQuery(query);
    // A question of nothing but filler ("list the APIs") is taken at its word.
    const content = q.content.length || q.paths.length ? q.content : q.filler;
    const filler = content === q.filler ? [] : q.filler;
    if (content.length === 0 && q.paths.length === 0) return { total: 0, hits: [] };
    const n = this.docs.size;
    const avgLength = n ? this.totalLength / n : 1;
    const k1 = 1.2;
    const b = 0.75;
    const bm25 = (doc: Doc, t: string) => {
      const f = doc.tf.get(t);
      if (!f) return 0;
      const df = this.postings.get(t)?.size ?? 0;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      return (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.length) / avgLength));
    };
    // Without a path asked for, only a document with a content word can be a hit.
    let candidates: Iterable<Doc> = this.docs.values();
    if (q.paths.length === 0) {
      const holding = new Set<Doc>();
      for (const t of content) for (const doc of this.postings.get(t) ?? []) holding.add(doc);
      candidates = holding;
    }
    const scored: Array<{ doc: Doc; words: number; path: number; found: string[]; pathOps: string[] }> = [];
    for (const doc of candidates) {
      if (opts.allowed && !opts.allowed(doc.api)) continue;
      const found = content.filter((t) => doc.tf.has(t));
      let pathScore = 0;
      const pathOps: string[] = [];
      for (const asked of q.paths) {
        let best = 0;
        for (const o of doc.operationTerms) {
          const m = pathMatch(asked, o.segments);
          if (m > 0 && m >= best) {
            if (m > best) pathOps.length = 0;
            best = m;
            pathOps.push(o.label);
          }
        }
        pathScore += best / q.paths.length;
      }
      if (found.length === 0 && pathScore === 0) continue;
      let words = found.reduce((sum, t) => sum + bm25(doc, t), 0);
      // Every content word present counts for more than many hits of one.
      if (content.length) words *= found.length / content.length;
      words += FILLER_WEIGHT * filler.reduce((sum, t) => sum + bm25(doc, t), 0);
      scored.push({ doc, words, path: pathScore, found, pathOps });
    }
    // A path asked for outranks any number of words, and a closer match a looser one: path scores
    // differ by at least 0.1 / (paths asked), so this weight keeps their order whatever the words add.
    const pathWeight = 10 * Math.max(1, q.paths.length) * (1 + scored.reduce((max, s) => Math.max(max, s.words), 0));
    const ranked = scored
      .map((s) => ({ ...s, score: Math.round((s.words + s.path * pathWeight) * 1000) / 1000 }))
      .sort((x, y) => y.score - x.score || x.doc.api.localeCompare(y.doc.api));
    // What matched is said only for the hits returned.
    const hits = ranked.slice(0, opts.limit).map(({ doc, score, found, pathOps }) => {
      const matchedTerms = [...found, ...filler.filter((t) => doc.tf.has(t))];
      const ops = [...new Set([...pathOps, ...doc.operationTerms.filter((o) => found.some((t) => o.terms.has(t))).map((o) => o.label)])].slice(0, 5);
      const matched = (Object.keys(FIELDS) as Field[]).filter((f) => f !== "operations" && matchedTerms.some((t) => doc.fieldTerms.get(f)!.has(t)));
      return { api: doc.api, score, matched: [...matched, ...ops.map((o) => `operation ${o}`)] };
    });
    return { total: ranked.length, hits };
  }
}
