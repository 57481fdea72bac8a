/**
 * Conditional writes (If-Match / If-None-Match). Not a pipeline step: the condition is on the row
 * the write replaces, so a handler checks it inside its write transaction, after its own 400s
 * (name, body) and, for PATCH, its 404, which is the order ARM answers in.
 */
import { fail, type EmulatorRequest, type EmulatorResponse } from "./wire.js";

const stripQuotes = (etag: string): string => etag.replace(/^W\//, "").replace(/^"|"$/g, "");

/** The 412 the request's conditions call for against `existing` (undefined: no such resource), or null. */
export function preconditionFailed(req: EmulatorRequest, existing: { etag: string } | undefined): EmulatorResponse | null {
  const ifMatch = req.headers["if-match"];
  if (ifMatch && ifMatch !== "*" && (!existing || stripQuotes(ifMatch) !== existing.etag)) {
    return fail(412, "PreconditionFailed", "The resource's etag does not match If-Match: read it again and retry with the current etag.");
  }
  if (ifMatch === "*" && !existing) return fail(412, "PreconditionFailed", "If-Match: * was sent but the resource does not exist.");
  if (req.headers["if-none-match"] === "*" && existing) {
    return fail(412, "PreconditionFailed", "If-None-Match: * was sent but the resource already exists.");
  }
  return null;
}
