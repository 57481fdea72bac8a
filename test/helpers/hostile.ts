/**
 * Hostile inputs shared by the fuzz tests and the hostile-input benchmark: a tool call that breaks
 * exactly one argument of a valid one (wrong type, past its limit, a name or service string that would
 * step out of its ARM path segment), and what a refusal must say.
 */
import { z } from "zod";
import { ALL_TOOLS } from "../../src/mcp/tools/index.js";

type Schema = {
  type?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  minimum?: number;
  default?: unknown;
};

/** The smallest value a schema accepts. */
function minimal(s: Schema, key: string): unknown {
  if (s.enum) return s.enum[0];
  if (s.anyOf) return minimal(s.anyOf[0]!, key);
  switch (s.type) {
    case "string":
      return "fuzz-name";
    case "number":
    case "integer":
      return s.minimum ?? 1;
    case "boolean":
      return key === "confirm";
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, () => minimal(s.items ?? {}, key));
    case "object":
      return Object.fromEntries((s.required ?? []).map((k) => [k, minimal(s.properties![k]!, k)]));
    default:
      return null;
  }
}

/** A value of another JSON type than the schema's. */
function wrongType(s: Schema): unknown {
  const type = s.type ?? s.anyOf?.[0]?.type;
  return type === "string" ? 12345 : type === "array" ? { not: "a list" } : type === "object" ? [1, 2, 3] : "not-a-" + String(type);
}

/** The service string, broken in each of its segments. */
const SERVICE_BREAKERS = [
  "/subscriptions/../resourceGroups/rg/providers/Microsoft.ApiCenter/services/svc",
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg%2f..%2fx/providers/Microsoft.ApiCenter/services/svc",
  "rg/../../y",
  "rg/a b",
  "../x",
  "rg/svc-name/../../z",
];
/** What a tool's smallest arguments lack to be a valid call: each case then breaks exactly one argument. */
const VALID: Record<string, Record<string, unknown>> = { export_spec: { mode: "whole" }, delete_resource: { kind: "api", apiName: "fuzz-name" }, import_spec: { specContent: "{}" }, register_api: { apiName: "fuzz-name" } };
/** Spec text: bounded by the message size only. */
const SPEC_TEXT = new Set(["specContent", "content"]);

const NAME_BREAKERS = ["../../x", "a/b", "%2e%2e", "..%2f..", "x\ny", "\u202eevil", "ａｐｉ", "x?y=1"];

export interface Case {
  tool: (typeof ALL_TOOLS)[number];
  field: string;
  how: "type" | "oversize" | "name" | "service";
  args: Record<string, unknown>;
}

export function buildCase(toolIndex: number, fieldIndex: number, howIndex: number, size: number): Case {
  const tool = ALL_TOOLS[toolIndex % ALL_TOOLS.length]!;
  const schema = z.toJSONSchema(tool.input, { io: "input" }) as Schema;
  const args = { ...(minimal(schema, "") as Record<string, unknown>), ...VALID[tool.name] };
  if ("confirm" in schema.properties!) args.confirm = true;
  const keys = Object.keys(schema.properties!);
  const field = keys[fieldIndex % keys.length]!;
  const fs = schema.properties![field]!;
  const isName = fs.type === "string" && /^(?!specification)\w*Name$|^(fromVersion|toVersion|fromDefinition|toDefinition)$/.test(field);
  // Spec text has no limit of its own (the transport's message size bounds it), so it is broken by type only.
  const sized = (fs.type === "string" && !fs.enum && !SPEC_TEXT.has(field)) || fs.type === "array" || fs.anyOf !== undefined;
  const hows: Case["how"][] = field === "service" ? ["type", "service"] : ["type", ...(sized ? (["oversize"] as const) : []), ...(isName ? (["name"] as const) : [])];
  const how = hows[howIndex % hows.length]!;
  if (how === "type") args[field] = wrongType(fs);
  else if (how === "name") args[field] = NAME_BREAKERS[size % NAME_BREAKERS.length];
  else if (how === "service") args[field] = SERVICE_BREAKERS[size % SERVICE_BREAKERS.length];
  else {
    const target = fs.anyOf ? fs.anyOf.find((a) => a.type === "string") ?? fs.anyOf[0]! : fs;
    if (target.type === "array") args[field] = Array.from({ length: (target.maxItems ?? 1000) + 1 }, () => minimal(target.items ?? {}, field));
    else if (target.type === "object") args[field] = { note: "x".repeat(70_000 + size) };
    // Past the largest limit of any argument (JSON of 64 KiB) unless the schema states a smaller one.
    else args[field] = "x".repeat((target.maxLength ?? 64 * 1024) + 1 + (size % 3 === 0 ? 1024 * 1024 : size));
  }
  return { tool, field, how, args };
}

/** A refusal names `field` by the argument itself, or by its words ("apiName" -> "api name"). */
export function namesField(text: string, field: string): boolean {
  const lower = text.toLowerCase();
  const words = field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return lower.includes(field.toLowerCase()) || lower.includes(words);
}

