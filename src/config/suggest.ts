/** "Did you mean" for mistyped flags and commands. */

/** Edit distance counting a swap of two neighbours as one edit (so `prot` is one edit from `port`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate the user most likely meant: one a few edits away (a third of the word, at least one),
 * or one the word starts (`--read` for `--read-only`). Undefined when nothing is close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const budget = Math.max(1, Math.floor(w.length / 3));
  let best: { name: string; score: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(w, name.toLowerCase());
    const score = distance <= budget ? distance : w.length >= 3 && name.startsWith(w) ? budget + 1 : Infinity;
    if (score < (best?.score ?? Infinity)) best = { name, score };
  }
  return best?.name;
}
