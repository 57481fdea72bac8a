/**
 * "Every property the reference shows": a recursive subset comparison. Objects match when each key of
 * the expected one matches in the actual one (extra keys are allowed); arrays match element by element
 * and must have the same length; scalars must be equal. Keys in `ignore` (ids, timestamps, generated
 * principals) are skipped wherever they appear.
 */
export function mismatches(expected: unknown, actual: unknown, ignore: ReadonlySet<string>, path = "$"): string[] {
  if (expected === null || typeof expected !== "object") {
    return Object.is(expected, actual) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (expected.length !== actual.length) return [`${path}: expected ${expected.length} items, got ${actual.length}`];
    return expected.flatMap((e, i) => mismatches(e, actual[i], ignore, `${path}[${i}]`));
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
    return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
  }
  const a = actual as Record<string, unknown>;
  return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) =>
    ignore.has(k) ? [] : mismatches(v, a[k], ignore, `${path}.${k}`),
  );
}

/** The caller's or the service's generated values: never compared. */
export const GENERATED = new Set(["id", "systemData", "principalId", "tenantId", "clientId", "etag"]);
