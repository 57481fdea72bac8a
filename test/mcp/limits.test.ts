/**
 * No tool argument is unbounded but the spec text itself: every string and list in every input
 * schema refuses a megabyte (or ten thousand items) at that argument, and the prose the service
 * stores (titles, summaries, descriptions) shows the service's limits in tools/list.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { STATED_LIMITS, UNSTATED_LIMITS } from "../../src/arm/models.js";
import { ALL_TOOLS } from "../../src/mcp/tools/index.js";

/** Spec text: bounded by the transport's message size and the service's largest specification. */
const SPEC_TEXT = new Set(["specContent", "content"]);

type Schema = { type?: string; enum?: unknown[]; anyOf?: Schema[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; minItems?: number; maxLength?: number; minimum?: number };

function minimal(s: Schema): unknown {
  if (s.enum) return s.enum[0];
  if (s.anyOf) return minimal(s.anyOf[0]!);
  if (s.type === "string") return "abc-name";
  if (s.type === "number" || s.type === "integer") return s.minimum ?? 1;
  if (s.type === "boolean") return false;
  if (s.type === "array") return Array.from({ length: s.minItems ?? 0 }, () => minimal(s.items ?? {}));
  if (s.type === "object") return Object.fromEntries((s.required ?? []).map((k) => [k, minimal(s.properties![k]!)]));
  return null;
}

/** Every path to a string or a list in the schema, with a value far past any limit. */
function oversized(s: Schema, path: string[], out: Array<{ path: string[]; value: unknown }>): void {
  for (const alt of s.anyOf ?? []) oversized(alt, path, out);
  if (s.type === "string" && !s.enum && !SPEC_TEXT.has(path[path.length - 1]!)) out.push({ path, value: "x".repeat(1024 * 1024) });
  if (s.type === "array") {
    out.push({ path, value: Array.from({ length: 10_000 }, () => minimal(s.items ?? {})) });
    if (s.items) oversized(s.items, [...path, "0"], out);
  }
  if (s.type === "object" && !s.properties) out.push({ path, value: { ["k".repeat(1024 * 1024)]: 1 } });
  for (const [k, p] of Object.entries(s.properties ?? {})) oversized(p, [...path, k], out);
}

function withValue(base: Record<string, unknown>, schema: Schema, path: string[], value: unknown): Record<string, unknown> {
  const root = structuredClone(base);
  let at: Record<string, unknown> = root;
  let s = schema;
  for (const key of path.slice(0, -1)) {
    s = (key === "0" ? s.items : s.properties?.[key] ?? s.anyOf?.find((a) => a.properties?.[path[path.length - 1]!]))!;
    at[key] ??= minimal(s) ?? {};
    if (Array.isArray(at[key]) && (at[key] as unknown[]).length === 0) (at[key] as unknown[]).push(minimal(s.items ?? {}));
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
  return root;
}

test("every string and list argument of every tool refuses what is far past its limit, at that argument", () => {
  const unbounded: string[] = [];
  for (const tool of ALL_TOOLS) {
    const schema = z.toJSONSchema(tool.input, { io: "input" }) as Schema;
    const base = minimal(schema) as Record<string, unknown>;
    const cases: Array<{ path: string[]; value: unknown }> = [];
    oversized(schema, [], cases);
    for (const c of cases) {
      const parsed = tool.input.safeParse(withValue(base, schema, c.path, c.value));
      const at = c.path.join(".");
      if (parsed.success || !parsed.error.issues.some((i: { path: PropertyKey[] }) => i.path.join(".").startsWith(c.path[0]!))) unbounded.push(`${tool.name}: ${at}`);
    }
  }
  assert.deepEqual(unbounded, []);
});

test("prose the service stores shows the service's limits in tools/list (other bounds stay out of it: tools/list has a budget)", () => {
  const field = (tool: string, path: string) => {
    let s = z.toJSONSchema(ALL_TOOLS.find((t) => t.name === tool)!.input, { io: "input" }) as Schema;
    for (const k of path.split(".")) s = (k === "[]" ? s.items : s.properties?.[k])!;
    return s;
  };
  assert.equal(field("register_api", "title").maxLength, STATED_LIMITS.title);
  assert.equal(field("register_api", "summary").maxLength, STATED_LIMITS.summary);
  assert.equal(field("register_api", "description").maxLength, STATED_LIMITS.apiDescription);
  assert.equal(field("create_environment", "onboardingInstructions").maxLength, UNSTATED_LIMITS.instructions);
  assert.equal(field("create_deployment", "description").maxLength, STATED_LIMITS.deploymentDescription);
  assert.equal(field("create_environment", "description").maxLength, UNSTATED_LIMITS.description);
});
