/** ARM list paging: `$top`, and a `nextLink` carrying `$skipToken` while more rows follow. */
import { fail, json, type EmulatorResponse } from "./wire.js";
import { clip } from "../arm/text.js";

const MAX_TOP = 1000;

/**
 * One page of a list. Keyset paging on the store's rowid (creation order): the token is the last
 * rowid shown, so rows written between pages neither repeat nor shift the next page.
 */
export function listPage<T extends { rowid: number }>(
  url: URL,
  defaultSize: number,
  fetch: (afterRowid: number, limit: number) => T[],
  render: (row: T) => unknown,
): EmulatorResponse {
  const topParam = url.searchParams.get("$top");
  const top = topParam === null ? defaultSize : Number(topParam);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    return fail(400, "InvalidParameter", `$top must be a whole number from 1 to ${MAX_TOP}, not '${clip(topParam ?? "")}'`);
  }
  const token = url.searchParams.get("$skipToken");
  const after = token === null ? 0 : Number(token);
  if (!Number.isInteger(after) || after < 0) return fail(400, "InvalidParameter", `$skipToken '${clip(token ?? "")}' is not one this service issued`);
  const rows = fetch(after, top + 1);
  const pageRows = rows.slice(0, top);
  const body: Record<string, unknown> = { value: pageRows.map(render) };
  if (rows.length > top) {
    const next = new URL(url);
    next.searchParams.set("$skipToken", String(pageRows[pageRows.length - 1]!.rowid));
    body.nextLink = next.toString();
  }
  return json(200, body);
}
