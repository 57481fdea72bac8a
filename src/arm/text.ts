/** Echoing caller input in messages without handing a megabyte back. */

/** A value echoed in a message, cut so a megabyte of input never comes back whole; the length says how much there was. */
export function clip(value: string, max = 100): string {
  if (value.length <= max) return value;
  // Never split a surrogate pair: a lone half is not valid UTF-8 on the way out.
  const end = /[\uD800-\uDBFF]/.test(value[max - 1] ?? "") ? max - 1 : max;
  return `${value.slice(0, end)}… (${value.length} characters)`;
}
