/**
 * Params a method refuses are -32602, Invalid params, on every transport. The SDK checks a spec
 * method's params against its schema and, on failure, throws a plain Error whose message is the
 * schema's issues: the protocol layer then answers -32603, Internal error, with a pretty-printed
 * issue list. Each server's transport is wrapped so that answer goes out as -32602 with the issues on
 * one line; nothing else it sends is touched.
 */
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/server";
import { clip } from "../domain/errors.js";

const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

type Issue = { path: unknown[]; message?: string };
const isParamsIssue = (i: unknown): i is Issue => !!i && typeof i === "object" && Array.isArray((i as Issue).path) && (i as Issue).path[0] === "params";

export function asInvalidParams(message: JSONRPCMessage): JSONRPCMessage {
  const error = (message as { error?: { code?: number; message?: unknown } }).error;
  if (error?.code !== INTERNAL_ERROR || typeof error.message !== "string" || !error.message.startsWith("[")) return message;
  let issues: unknown;
  try {
    issues = JSON.parse(error.message);
  } catch {
    return message;
  }
  if (!Array.isArray(issues) || issues.length === 0 || !issues.every(isParamsIssue)) return message;
  const said = issues.map((i) => `${i.path.join(".")}: ${i.message ?? "invalid"}`).join("; ");
  return { ...message, error: { code: INVALID_PARAMS, message: `Invalid params: ${clip(said, 500)}` } } as JSONRPCMessage;
}

/** The transport, its answers passed through asInvalidParams; everything else reaches it unchanged. */
export function answeringInvalidParams<T extends Transport>(transport: T): T {
  return new Proxy(transport, {
    get(target, prop) {
      if (prop === "send") return (message: JSONRPCMessage, options?: unknown) => target.send(asInvalidParams(message), options as never);
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
