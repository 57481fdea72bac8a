/**
 * The tool records' zod schemas as the SDK takes them (Standard Schema with JSON Schema), with the
 * checks the edge owes every tool: an unknown argument is refused with the list of valid ones (a
 * misspelt filter must not be silently ignored), and "" is refused where a string is expected ("" is
 * not "omitted"). The JSON Schema is kept lean: every token of tools/list is paid for by every client.
 */
import type { StandardSchemaV1, StandardSchemaWithJSON } from "@modelcontextprotocol/server";
import { z } from "zod";

type Json = Record<string, unknown>;
type Issue = StandardSchemaV1.Issue;

const isPlainObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Drops what says nothing to a reader: the dialect (MCP's default, 2020-12), `propertyNames` of type
 * string (JSON keys are strings), `additionalProperties: {}` (anything, the default), and on outputs
 * `additionalProperties: false` (a reader of an answer gains nothing from it).
 */
function lean(node: unknown, io: "input" | "output"): unknown {
  if (Array.isArray(node)) return node.map((n) => lean(n, io));
  if (!isPlainObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$schema") continue;
    if (k === "propertyNames" && isPlainObject(v) && v.type === "string" && Object.keys(v).length === 1) continue;
    if (k === "additionalProperties" && ((isPlainObject(v) && Object.keys(v).length === 0) || (v === false && io === "output"))) continue;
    out[k] = lean(v, io);
  }
  return out;
}

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  return lean(z.toJSONSchema(schema, { target: "draft-2020-12", io }), io) as Json;
}

interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: ZodDef } })._zod.def;

/** The paths where a field declared as a string was given "". Free-form values (records, unknown) are not looked into. */
function emptyStrings(schema: z.ZodType, value: unknown, path: PropertyKey[], out: Map<string, PropertyKey[]>): void {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "default":
    case "nullable":
    case "readonly":
      return emptyStrings(def.innerType!, value, path, out);
    case "string":
      if (value === "") out.set(path.join("."), path);
      return;
    case "object":
      if (isPlainObject(value)) for (const [k, s] of Object.entries(def.shape!)) if (k in value) emptyStrings(s, value[k], [...path, k], out);
      return;
    case "array":
      if (Array.isArray(value)) value.forEach((v, i) => emptyStrings(def.element!, v, [...path, i], out));
      return;
    case "union":
      for (const option of def.options!) emptyStrings(option, value, path, out);
      return;
  }
}

/** The closest valid argument to a misspelt one: sharing a prefix, or one containing the other. */
function closest(name: string, valid: string[]): string | undefined {
  const n = name.toLowerCase();
  return valid.find((v) => v.toLowerCase().startsWith(n) || n.startsWith(v.toLowerCase()) || v.toLowerCase().includes(n));
}

/** A tool's input at the edge: zod validation after the unknown-argument and empty-string checks. */
export function edgeInput(tool: string, schema: z.ZodObject): StandardSchemaWithJSON {
  const valid = Object.keys(schema.shape);
  const json = { ...jsonSchemaOf(schema, "input"), additionalProperties: false };
  const std = schema["~standard"];
  return {
    "~standard": {
      version: 1,
      vendor: "apicenter-mcp",
      validate(value: unknown) {
        if (isPlainObject(value)) {
          const unknown = Object.keys(value).filter((k) => !valid.includes(k));
          if (unknown.length) {
            const issues: Issue[] = unknown.map((k) => {
              const near = closest(k, valid);
              return { path: [k], message: `not an argument of ${tool}${near ? ` (did you mean ${near}?)` : ""}; its arguments are ${valid.join(", ") || "none"}` };
            });
            return { issues };
          }
          const empty = new Map<string, PropertyKey[]>();
          emptyStrings(schema, value, [], empty);
          if (empty.size) return { issues: [...empty.values()].map((path) => ({ path, message: `is empty: give a value, or leave ${String(path[0])} out` })) };
        }
        return std.validate(value);
      },
      jsonSchema: { input: () => json, output: () => json },
    },
  } as StandardSchemaWithJSON;
}

/** A tool's output schema, validated by zod, listed lean. */
export function edgeOutput(schema: z.ZodObject): StandardSchemaWithJSON {
  const json = jsonSchemaOf(schema, "output");
  return {
    "~standard": { version: 1, vendor: "apicenter-mcp", validate: (value: unknown) => schema["~standard"].validate(value), jsonSchema: { input: () => json, output: () => json } },
  } as StandardSchemaWithJSON;
}
