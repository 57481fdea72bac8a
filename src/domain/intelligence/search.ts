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

/** Stems already worked out: an inventory repeats its words, and indexing 20,000 APIs asks for millions. */
const stems = new Map<string, string>();

/** A light suffix stripper: plurals and -ing/-ed forms meet their base word. */
export function stem(w: string): string {
  let s = stems.get(w);
  if (s === undefined) {
    if (stems.size > 200_000) stems.clear();
    stems.set(w, (s = stripSuffix(w)));
  }
  return s;
}

function stripSuffix(w: string): string {
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

const FIELD_NAMES = Object.keys(FIELDS) as Field[];

/**
 * An API's searchable form, as saved with the index so that a new process does not work it out again
 * for every API: its length in terms, each distinct term with its weighted frequency and the fields it
 * is in (one bit per field of FIELD_NAMES), and its operations (label, terms, path segments).
 */
export interface SearchDocument {
  length: number;
  terms: Array<[term: string, tf: number, fields: number]>;
  ops: Array<[label: string, terms: string[], segments: string[]]>;
}

/** An API's document in the index: its search document as is (built or saved), 20,000 of them at every start. */
interface Doc {
  /** The API's key in the index (apiKey). */
  api: string;
  source: SearchDocument;
}

/** The documents holding a term, each with the term's weighted frequency there and the fields it is in (one bit per field of FIELD_NAMES). */
interface Posting {
  docs: Doc[];
  tf: number[];
  fields: number[];
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

const documents = new WeakMap<IndexedApi, SearchDocument>();

/** An API's searchable form, worked out once per entry of the index. */
export function searchDocument(entry: IndexedApi): SearchDocument {
  let doc = documents.get(entry);
  if (!doc) documents.set(entry, (doc = makeDocument(entry)));
  return doc;
}

function makeDocument(entry: IndexedApi): SearchDocument {
  const texts = fieldTexts(entry);
  const ops = texts.ops.map((o): [string, string[], string[]] => [o.label, terms(o.text), pathSegments(o.path)]);
  const tf = new Map<string, number>();
  const fields = new Map<string, number>();
  let length = 0;
  FIELD_NAMES.forEach((field, bit) => {
    const ts = field === "operations" ? ops.flatMap((o) => o[1]) : terms(texts[field]);
    for (const t of ts) {
      tf.set(t, (tf.get(t) ?? 0) + FIELDS[field]);
      fields.set(t, (fields.get(t) ?? 0) | (1 << bit));
    }
    length += ts.length;
  });
  return { length, terms: [...tf].map(([t, f]) => [t, f, fields.get(t)!]), ops };
}

/**
 * The searchable form of a snapshot: built once, then kept up to date one API at a time. Each term
 * keeps the documents that hold it, so a question of words looks only at the APIs that have one of
 * them; a question naming a path is matched against every API's operations.
 */
export class SearchIndex {
  private readonly docs = new Map<string, Doc>();
  private readonly postings = new Map<string, Posting>();
  private totalLength = 0;

  /** Built from the snapshot's APIs, or from their documents where the index saved them. */
  constructor(snapshot: Snapshot) {
    for (const key of snapshot.apis.keys()) {
      const saved = snapshot.searchDocuments?.get(key);
      if (saved) this.add(key, saved);
      else this.put(snapshot.apis.get(key)!);
    }
  }

  /** Adds an API's document, replacing the one it had. */
  put(entry: IndexedApi): void {
    this.add(apiKey(entry.resource.name), searchDocument(entry));
  }

  private add(key: string, saved: SearchDocument): void {
    this.remove(key);
    const doc: Doc = { api: key, source: saved };
    for (const [t, f, fields] of saved.terms) {
      const posting = this.postings.get(t);
      if (posting) {
        posting.docs.push(doc);
        posting.tf.push(f);
        posting.fields.push(fields);
      } else {
        this.postings.set(t, { docs: [doc], tf: [f], fields: [fields] });
      }
    }
    this.totalLength += saved.length;
    this.docs.set(key, doc);
  }

  /** Removes an API's document, by its key in the index. */
  remove(key: string): void {
    const doc = this.docs.get(key);
    if (!doc) return;
    for (const [t] of doc.source.terms) {
      const posting = this.postings.get(t)!;
      const at = posting.docs.indexOf(doc);
      if (at >= 0) {
        posting.docs.splice(at, 1);
        posting.tf.splice(at, 1);
        posting.fields.splice(at, 1);
      }
      if (posting.docs.length === 0) this.postings.delete(t);
    }
    this.totalLength -= doc.source.length;
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
    const bm25 = (f: number, df: number, doc: Doc) => {
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      return (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.source.length) / avgLength));
    };
    // What each document holds of the question, read off the postings of its words.
    interface Seen {
      found: string[];
      words: number;
      filler: number;
      /** The fields the matched terms are in. */
      fields: number;
      path: number;
      pathOps: string[];
    }
    const seen = new Map<Doc, Seen>();
    const at = (doc: Doc) => {
      let s = seen.get(doc);
      if (!s) seen.set(doc, (s = { found: [], words: 0, filler: 0, fields: 0, path: 0, pathOps: [] }));
      return s;
    };
    for (const t of content) {
      const p = this.postings.get(t);
      if (!p) continue;
      for (let i = 0; i < p.docs.length; i++) {
        const s = at(p.docs[i]!);
        s.found.push(t);
        s.words += bm25(p.tf[i]!, p.docs.length, p.docs[i]!);
        s.fields |= p.fields[i]!;
      }
    }
    // A path asked for is looked for in every document's operations.
    if (q.paths.length) {
      for (const doc of this.docs.values()) {
        let pathScore = 0;
        const pathOps: string[] = [];
        for (const asked of q.paths) {
          let best = 0;
          for (const [label, , segments] of doc.source.ops) {
            const m = pathMatch(asked, segments);
            if (m > 0 && m >= best) {
              if (m > best) pathOps.length = 0;
              best = m;
              pathOps.push(label);
            }
          }
          pathScore += best / q.paths.length;
        }
        if (pathScore > 0) Object.assign(at(doc), { path: pathScore, pathOps });
      }
    }
    // Filler words add a little to what matched already; alone they match nothing.
    for (const t of filler) {
      const p = this.postings.get(t);
      if (!p) continue;
      for (let i = 0; i < p.docs.length; i++) {
        const s = seen.get(p.docs[i]!);
        if (!s) continue;
        s.filler += bm25(p.tf[i]!, p.docs.length, p.docs[i]!);
        s.fields |= p.fields[i]!;
      }
    }
    const scored: Array<{ doc: Doc; words: number; path: number; found: string[]; fields: number; pathOps: string[] }> = [];
    for (const [doc, s] of seen) {
      if (opts.allowed && !opts.allowed(doc.api)) continue;
      // Every content word present counts for more than many hits of one.
      const words = (content.length ? (s.words * s.found.length) / content.length : s.words) + FILLER_WEIGHT * s.filler;
      scored.push({ doc, words, path: s.path, found: s.found, fields: s.fields, pathOps: s.pathOps });
    }
    // A path asked for outranks any number of words, and a closer match a looser one: path scores
    // differ by at least 0.1 / (paths asked), so this weight keeps their order whatever the words add.
    const pathWeight = 10 * Math.max(1, q.paths.length) * (1 + scored.reduce((max, s) => Math.max(max, s.words), 0));
    // The best `limit`, highest score first, ties in key order: picked in one pass rather than sorting
    // every match (a question over 20,000 APIs can match thousands, and tie most of them).
    type Ranked = (typeof scored)[number] & { score: number };
    const before = (x: Ranked, y: Ranked) => x.score > y.score || (x.score === y.score && x.doc.api < y.doc.api);
    const top: Ranked[] = [];
    for (const s of scored) {
      if (opts.limit <= 0) break;
      const r = s as Ranked;
      r.score = Math.round((s.words + s.path * pathWeight) * 1000) / 1000;
      if (top.length === opts.limit && !before(r, top[top.length - 1]!)) continue;
      let at = top.length === opts.limit ? top.length - 1 : top.length;
      while (at > 0 && before(r, top[at - 1]!)) {
        top[at] = top[at - 1]!;
        at--;
      }
      top[at] = r;
    }
    // What matched is said only for the hits returned.
    const hits = top.map(({ doc, score, found, fields, pathOps }) => {
      const ops = [...new Set([...pathOps, ...doc.source.ops.filter(([, terms]) => found.some((t) => terms.includes(t))).map(([label]) => label)])].slice(0, 5);
      const matched = FIELD_NAMES.filter((f, bit) => f !== "operations" && fields & (1 << bit));
      return { api: doc.api, score, matched: [...matched, ...ops.map((o) => `operation ${o}`)] };
    });
    return { total: scored.length, hits };
  }
}
