/** The emulator's HTTP-agnostic request/response shapes and the ARM-style answers it builds. */
import { randomUUID } from "node:crypto";
import { armError } from "../arm/errors.js";
import { SUPPORTED_VERSIONS_HEADER } from "../arm/api-versions.js";

export interface EmulatorRequest {
  method: string;
  /** Absolute URL; its origin is used to build `nextLink` and `Location`. */
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body?: string;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

const baseHeaders = (): Record<string, string> => ({
  "api-supported-versions": SUPPORTED_VERSIONS_HEADER,
  "x-ms-request-id": randomUUID(),
  "x-ms-correlation-request-id": randomUUID(),
});

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: { ...baseHeaders(), "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

export function empty(status: number, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: { ...baseHeaders(), ...headers } };
}

/** An error in the standard ARM envelope. */
export function fail(status: number, code: string, message: string): EmulatorResponse {
  return json(status, armError(code, message));
}

export function methodNotAllowed(method: string): EmulatorResponse {
  return fail(405, "MethodNotAllowed", `The HTTP method '${method}' is not supported for this resource.`);
}

export function newEtag(): string {
  // Live Azure's etags look like `c1000259-0000-0100-0000-67063c230000`.
  const hex = randomUUID().replace(/-/g, "");
  return `${hex.slice(0, 8)}-0000-0100-0000-${hex.slice(8, 20)}`;
}

/** Parses a JSON request body; a string is an error message naming the fix. */
export function parseBody(body: string | undefined): Record<string, unknown> | string {
  if (!body || body.trim() === "") return "the request body is empty: send a JSON object";
  try {
    const parsed: unknown = JSON.parse(body);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return "the request body must be a JSON object";
    return parsed as Record<string, unknown>;
  } catch (e) {
    return `the request body is not valid JSON: ${(e as Error).message}`;
  }
}
