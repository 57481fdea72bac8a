/**
 * Where paths sit in a JSON text, found in one pass over the text for all the paths a lint reported (Spectral's
 * JSON parser builds a node with a range for every value of the document instead, a second on a 13 MB spec).
 * Same answers as Spectral's getLocationForJsonPath(closest): the position of the deepest existing value on the
 * path, the first of duplicated keys; and the same "Duplicate key" diagnostics.
 */
import type { JsonPath } from "./pointer.js";

export interface Position {
  line: number;
  character: number;
}

export interface DuplicateKey {
  path: JsonPath;
  key: string;
  at: Position;
}

interface Trie {
  next?: Map<string, Trie>;
  at?: Position;
}

/** @stoplight/json's findNodeAtPath reads an integer-looking segment as a number: an array index, or the object key it prints as. */
const norm = (s: string | number): string => (Number.isInteger(Number(s)) ? String(Number(s)) : String(s));

export function locateInJson(text: string, paths: JsonPath[]): { positions: Position[]; duplicates: DuplicateKey[] } {
  const root: Trie = {};
  for (const p of paths) {
    let node = root;
    for (const s of p) {
      node.next ??= new Map();
      const k = norm(s);
      let child = node.next.get(k);
      if (!child) node.next.set(k, (child = {}));
      node = child;
    }
  }

  const duplicates: DuplicateKey[] = [];
  const stack: Array<string | number> = [];
  let i = 0;
  let line = 0;
  let lineStart = 0;
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) i++;
      else if (c === 10) {
        i++;
        line++;
        lineStart = i;
      } else if (c === 13) {
        i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
        line++;
        lineStart = i;
      } else return;
    }
  };
  const stringEnd = (start: number): number => {
    let j = start + 1;
    for (;;) {
      const c = text.charCodeAt(j);
      if (c === 34) return j + 1;
      j += c === 92 ? 2 : 1;
    }
  };
  const value = (node: Trie | undefined): void => {
    ws();
    if (node) node.at = { line, character: i - lineStart };
    const c = text.charCodeAt(i);
    if (c === 123) {
      i++;
      const seen = new Set<string>();
      for (;;) {
        ws();
        if (text.charCodeAt(i) === 125) {
          i++;
          return;
        }
        const keyAt = { line, character: i - lineStart };
        const end = stringEnd(i);
        const raw = text.slice(i + 1, end - 1);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end)) as string) : raw;
        i = end;
        ws();
        i++; // the colon
        const duplicate = seen.has(key);
        seen.add(key);
        stack.push(key);
        if (duplicate) duplicates.push({ path: [...stack], key, at: keyAt });
        value(duplicate ? undefined : node?.next?.get(key));
        stack.pop();
        ws();
        if (text.charCodeAt(i) === 44) i++;
      }
    } else if (c === 91) {
      i++;
      for (let index = 0; ; index++) {
        ws();
        if (text.charCodeAt(i) === 93) {
          i++;
          return;
        }
        stack.push(index);
        value(node?.next?.get(String(index)));
        stack.pop();
        ws();
        if (text.charCodeAt(i) === 44) i++;
      }
    } else if (c === 34) i = stringEnd(i);
    else {
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === 44 || d === 125 || d === 93 || d === 32 || d === 9 || d === 10 || d === 13) break;
        i++;
      }
    }
  };
  value(root);

  const positions = paths.map((p) => {
    let node = root;
    let at = root.at ?? { line: 0, character: 0 };
    for (const s of p) {
      const child = node.next?.get(norm(s));
      if (!child?.at) break;
      node = child;
      at = child.at;
    }
    return at;
  });
  return { positions, duplicates };
}
