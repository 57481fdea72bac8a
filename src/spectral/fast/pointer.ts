/**
 * JSON pointers and paths exactly as Spectral spells them (ports of @stoplight/json and @stoplight/spectral-runtime):
 * the fast engine maps results back through $refs with Spectral's own string rules, quirks included, so that a
 * finding lands on the same path and line as it would under Spectral.
 */
export type Segment = string | number;
export type JsonPath = Segment[];

const replaceAll = (s: string, find: string, repl: string) => (s.includes(find) ? s.split(find).join(repl) : s);

export const encodePointerFragment = (s: Segment): Segment => (typeof s === "number" ? s : replaceAll(replaceAll(s, "~", "~0"), "/", "~1"));
export const decodePointerFragment = (s: string): string => replaceAll(replaceAll(s, "~1", "/"), "~0", "~");

// Verbatim from @stoplight/json, en dashes included: the class reads "A–Z" and "0–9" literally, so every other
// character outside it is percent-encoded (letters and digits come back unchanged from encodeURIComponent).
const ENCODABLE_CHAR = /[^a-zA–Z0–9_.!~*'()/\-\u{D800}-\u{DFFF}]/gu;
const encodePointerUriFragment = (s: Segment): Segment => {
  const t = encodePointerFragment(s);
  return typeof t === "number" ? t : t.replace(ENCODABLE_CHAR, encodeURIComponent);
};

export const pathToPointer = (path: JsonPath): string => (path.length === 0 ? "#" : `#/${path.map(encodePointerUriFragment).join("/")}`);
export const encodeUriSegment = (s: Segment): string => String(encodePointerUriFragment(s));

const safeDecodeURIComponent = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
const decodePointer = (s: string): string => {
  let t: string;
  try {
    t = decodeURIComponent(s);
  } catch {
    t = s.replace(/%[0-9a-f]+/gi, safeDecodeURIComponent);
  }
  return decodePointerFragment(t);
};
export { decodePointer };

/** '#/a/b' to ['a', 'b']; throws on what is not a '#'-pointer, as Spectral does. */
export function pointerToPath(pointer: string): string[] {
  if (pointer.length === 0 || pointer[0] !== "#") throw new URIError("Invalid JSON Pointer syntax; URI fragment identifiers must begin with a hash.");
  if (pointer.length === 1) return [];
  if (pointer[1] !== "/") throw new URIError("Invalid JSON Pointer syntax.");
  return pointer.slice(2).split("/").map(decodePointer);
}

export const isObjectLike = (v: unknown): v is Record<string, unknown> => v !== null && (typeof v === "object" || typeof v === "function");
export const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === null || proto === Object.prototype || typeof (v as { constructor?: unknown }).constructor !== "function";
};

/** The longest prefix of `path` that exists in `data` (Spectral's getClosestJsonPath). */
export function closestPath(data: unknown, path: JsonPath): JsonPath {
  const out: JsonPath = [];
  if (!isObjectLike(data)) return out;
  let piece: unknown = data;
  for (const segment of path) {
    if (!isObjectLike(piece) || !(segment in piece)) break;
    out.push(segment);
    piece = (piece as Record<string, unknown>)[segment as string];
  }
  return out;
}

export function getPath(data: unknown, path: JsonPath): unknown {
  let piece = data;
  for (const segment of path) {
    if (piece === null || piece === undefined) return undefined;
    piece = (piece as Record<string, unknown>)[segment as string];
  }
  return piece;
}

const isNumeric = (s: Segment) => typeof s === "number" || !Number.isNaN(Number(s));
const dotSegment = (s: Segment): string | null => {
  if (typeof s === "number") return `[${s}]`;
  if (s.length === 0) return "['']";
  if (/\s/.test(s)) return `['${s}']`;
  if (isNumeric(s)) return `[${s}]`;
  return null;
};

/** Spectral's printPath in its Dot style. */
export const printDotPath = (path: JsonPath): string =>
  decodePointerFragment(path.reduce<string>((out, s, i) => `${out}${dotSegment(s) ?? `${i === 0 ? "" : "."}${s}`}`, ""));
