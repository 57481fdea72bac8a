/**
 * Ranked free-text search over the indexed inventory: each API is one document made of its name,
 * title, summary, description, contacts, custom property values, and its specs' own content
 * (operation ids, paths, tags, summaries). Scored with BM25 over weighted fields; words are split
 * on camelCase and punctuation and reduced to a simple stem, so "refunds" finds `POST /refunds` and
 * `createRefund`.
 */
import type { IndexedApi, Snapshot } from "./inventory-index.js";

const STOP = new Set(
  "a an and any api apis are as at be by can do does find for from handle handles how i in into is it me my of on or our service services that the their them there these this to we what which who with".split(" "),
);

/** Lower-case stems of the words in a text, camelCase and snake_case split. */
export function terms(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map(stem);
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
  api: string;
  /** term -> weighted frequency */
  tf: Map<string, number>;
  length: number;
  /** Operations by the terms they contain, to say what matched. */
  operationTerms: Array<{ label: string; terms: Set<string> }>;
}

export interface SearchHit {
  api: string;
  score: number;
  /** What matched: fields and, for spec content, the operations. */
  matched: string[];
}

function fieldTexts(entry: IndexedApi): Record<Field, string> & { ops: Array<{ label: string; text: string }> } {
  const p = entry.resource.properties;
  const contacts = Array.isArray(p.contacts) ? (p.contacts as Array<Record<string, unknown>>).map((c) => `${c.name ?? ""} ${c.email ?? ""}`).join(" ") : "";
  const custom = Object.values((p.customProperties ?? {}) as Record<string, unknown>).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" ");
  const ops: Array<{ label: string; text: string }> = [];
  const specText: string[] = [];
  for (const v of entry.versions) {
    for (const d of v.definitions) {
      if (!d.digest) continue;
      specText.push(d.digest.title ?? "", d.digest.description ?? "");
      for (const o of d.digest.operations) {
        ops.push({ label: `${o.method} ${o.path}${o.operationId ? ` (${o.operationId})` : ""}`, text: [o.operationId, o.path, o.summary, ...(o.tags ?? [])].filter(Boolean).join(" ") });
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

/** The searchable form of a snapshot: built once, then kept up to date one API at a time. */
export class SearchIndex {
  private readonly docs = new Map<string, Doc>();
  private readonly df = new Map<string, number>();
  private totalLength = 0;
  private readonly fieldTerms = new Map<string, Map<Field, Set<string>>>();

  constructor(snapshot: Snapshot) {
    for (const entry of snapshot.apis.values()) this.put(entry);
  }

  /** Adds an API's document, replacing the one it had. */
  put(entry: IndexedApi): void {
    this.remove(entry.resource.name);
    const texts = fieldTexts(entry);
    const tf = new Map<string, number>();
    const byField = new Map<Field, Set<string>>();
    let length = 0;
    for (const field of Object.keys(FIELDS) as Field[]) {
      const ts = terms(texts[field]);
      byField.set(field, new Set(ts));
      for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + FIELDS[field]);
      length += ts.length;
    }
    for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.totalLength += length;
    this.fieldTerms.set(entry.resource.name, byField);
    this.docs.set(entry.resource.name, { api: entry.resource.name, tf, length, operationTerms: texts.ops.map((o) => ({ label: o.label, terms: new Set(terms(o.text)) })) });
  }

  remove(api: string): void {
    const doc = this.docs.get(api);
    if (!doc) return;
    for (const t of doc.tf.keys()) {
      const n = (this.df.get(t) ?? 1) - 1;
      if (n > 0) this.df.set(t, n);
      else this.df.delete(t);
    }
    this.totalLength -= doc.length;
    this.docs.delete(api);
    this.fieldTerms.delete(api);
  }

  /** The best `limit` hits for the query among the APIs `allowed` keeps. */
  search(query: string, opts: { limit: number; allowed?: (api: string) => boolean }): SearchHit[] {
    const q = [...new Set(terms(query))];
    if (q.length === 0) return [];
    const n = this.docs.size;
    const avgLength = n ? this.totalLength / n : 1;
    const k1 = 1.2;
    const b = 0.75;
    const hits: SearchHit[] = [];
    for (const doc of this.docs.values()) {
      if (opts.allowed && !opts.allowed(doc.api)) continue;
      let score = 0;
      const found: string[] = [];
      for (const t of q) {
        const f = doc.tf.get(t);
        if (!f) continue;
        const df = this.df.get(t) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.length) / avgLength));
        found.push(t);
      }
      if (score <= 0) continue;
      // Every query word present counts for more than many hits of one.
      score *= found.length / q.length;
      const byField = this.fieldTerms.get(doc.api)!;
      const matched = (Object.keys(FIELDS) as Field[]).filter((f) => f !== "operations" && found.some((t) => byField.get(f)!.has(t)));
      const ops = doc.operationTerms.filter((o) => found.some((t) => o.terms.has(t))).slice(0, 5).map((o) => `operation ${o.label}`);
      hits.push({ api: doc.api, score: Math.round(score * 1000) / 1000, matched: [...matched, ...ops] });
    }
    return hits.sort((x, y) => y.score - x.score || x.api.localeCompare(y.api)).slice(0, opts.limit);
  }
}
