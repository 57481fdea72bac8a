/** Echoing caller input in messages without handing a megabyte back or letting it forge lines. */

// C0/C1 controls and bidirectional overrides: echoed raw, they could forge a log line or reorder what a reader sees.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A value echoed in a message: unprintable characters escaped, cut so a megabyte of input never comes
 * back whole; the length says how much there was.
 */
export function clip(value: string, max = 100): string {
  const cut = value.length > max;
  // Never split a surrogate pair: a lone half is not valid UTF-8 on the way out.
  const end = cut && /[\uD800-\uDBFF]/.test(value[max - 1] ?? "") ? max - 1 : max;
  const shown = (cut ? value.slice(0, end) : value).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return cut ? `${shown}… (${value.length} characters)` : shown;
}
