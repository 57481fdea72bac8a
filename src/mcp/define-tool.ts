/**
 * One record per tool: name, title, description, toolset(s), zod input and output, annotations, handler.
 * Registration, read-only and toolset filtering, argument checking, error mapping, the text that carries
 * the answer, the tools/list snapshot and the README table all derive from these records; nothing lists
 * tools a second time.
 */
import type { InputRequiredResult } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { ApiManagement } from "../domain/apim/api-management.js";
import type { Curation } from "../domain/curation.js";
import type { Intelligence } from "../domain/intelligence/intelligence.js";
import type { Inventory } from "../domain/inventory.js";
import { parseTarget, type Where } from "../domain/scope.js";
import { NAME_LENGTH, NAME_PATTERN, STATED_LIMITS, UNSTATED_LIMITS } from "../domain/vocabulary.js";

export const TOOLSETS = {
  apis: "APIs and their versions",
  specs: "definitions and specification content",
  deployments: "environments and deployments",
  metadata: "metadata schemas (custom properties)",
  services: "services and workspaces",
  intelligence: "search, audit, spec analysis, lint and diff across the inventory",
  apim: "API Management: imports and API sources",
} as const;
export type Toolset = keyof typeof TOOLSETS;

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** The outcome of asking the user to confirm a destructive call. */
export type Confirmation = { confirmed: true } | { confirmed: false; reason: string } | { inputRequired: InputRequiredResult };

export interface ToolContext {
  inventory: Inventory;
  curation: Curation;
  intelligence: Intelligence;
  apim: ApiManagement;
  /** Progress for long operations, when the client asked for it. */
  progress(message: string): Promise<void>;
  /** Asks the user through elicitation (either era), when the client supports it. */
  confirm(question: string, confirmedByArgument: boolean | undefined): Promise<Confirmation>;
  /** Fires when the client cancels the call. */
  signal: AbortSignal;
}

export interface ToolResult<O> {
  structured: O;
  /** One line for the model; the registry follows it with the whole of `structured` in the text. */
  summary: string;
  /** A string field of `structured` that goes into the text as it is, after the JSON, instead of inside it (a spec asked for whole). */
  verbatim?: keyof O & string;
  /** Links to resources holding what was too big to inline. */
  links?: Array<{ uri: string; name: string; mimeType?: string; description?: string }>;
}

export interface ToolDef<I extends z.ZodObject, O extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** The toolset(s) that expose it: a tool serving several areas (delete_resource) lists each. */
  toolset: Toolset | readonly Toolset[];
  input: I;
  output: O;
  annotations: ToolAnnotations;
  handler(args: z.output<I>, ctx: ToolContext): Promise<ToolResult<z.output<O>> | { inputRequired: InputRequiredResult }>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds tools of every shape
export type AnyTool = ToolDef<any, any>;

export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(def: ToolDef<I, O>): ToolDef<I, O> => def;

export const toolsetsOf = (t: AnyTool): readonly Toolset[] => (typeof t.toolset === "string" ? [t.toolset] : t.toolset);

/** Annotation presets: reads touch nothing; writes create or replace (idempotent PUTs); deletes destroy. */
export const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const DELETE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };

// ---- fields shared by many tools: one name, one meaning ----

/**
 * The longest value each kind of argument takes. What the service stores is capped at its limits
 * (stated by the swagger or, where it states none, by the wire contract); what only steers a call
 * (queries, cursors, pointers, URLs) at bounds of its own. No string argument is unbounded but spec text.
 */
export const LIMITS = {
  ...STATED_LIMITS,
  ...UNSTATED_LIMITS,
  name: NAME_LENGTH.max,
  /** Search words, filters, cursors, JSON pointers, operation ids, paths, the service string. */
  text: 1000,
  /** A URL the service fetches a spec from. */
  link: 2048,
} as const;

/** Prose the service stores (titles, summaries, descriptions): its limit shows in the schema, so a model can write within it. */
export const text = (max: number) => z.string().max(max);

/**
 * Any other string (an address, a URL, a query, a cursor, a pointer): bounded all the same, without
 * spending tokens in tools/list on saying so (a refinement; tools/list has a budget).
 */
export const arg = (max: number = LIMITS.text) => z.string().refine((v) => v.length <= max, { message: `must be at most ${max} characters` });

/** A list of `min` (shown) to `max` items (bounded the same quiet way). */
export const upTo = <T extends z.ZodType>(item: T, max: number, min = 0) =>
  (min > 0 ? z.array(item).min(min) : z.array(item)).refine((a) => a.length <= max, { message: `must have at most ${max} items` });

/**
 * The service's name rule (length included), checked before the handler runs so the refusal names the
 * argument, even one a call would leave unused (a refinement: it costs no tokens in tools/list).
 */
const nameRule = () => z.string().refine((v) => NAME_PATTERN.test(v), { message: `must be ${NAME_LENGTH.min} to ${NAME_LENGTH.max} letters, digits or hyphens` });

/** A JSON object argument keyed by names (custom properties, a schema), at most LIMITS.json characters as JSON. */
export const jsonObject = () =>
  z.record(arg(LIMITS.name), z.unknown()).refine((v) => JSON.stringify(v).length <= LIMITS.json, { message: `must be at most ${LIMITS.json} characters as JSON` });

/**
 * Where a tool acts when not in the configured service's default workspace: one short string, since
 * every tool takes it (a service has one workspace today).
 */
export const serviceField = arg().optional().describe("Another service: ARM id or group/name");

export const dryRunField = z.boolean().default(false).describe("Only show the ARM calls");

export const confirmField = z.boolean().optional().describe("true once the user agreed");

export const nameField = (what: string) => nameRule().describe(`${what} name`);

/** Where a tool acts. */
export const whereFields = { service: serviceField };

/** The fields every write tool takes after its own. */
export const writeFields = { dryRun: dryRunField, ...whereFields };

/** The spec of a definition, under the same names wherever one is given. */
export const specFields = {
  specContent: z.string().optional().describe("Spec text"),
  specUrl: arg(LIMITS.link).optional().describe("Or a public URL to fetch it from"),
  specificationName: arg(LIMITS.specification).optional().describe("Spec type, e.g. openapi; detected"),
  specificationVersion: arg(LIMITS.specification).optional().describe("Its version, e.g. 3.0.1; detected"),
};

/** The spec source a tool's spec fields describe, or undefined when none was given. */
export function specSource(args: { specContent?: string; specUrl?: string; specificationName?: string; specificationVersion?: string }) {
  if (args.specContent === undefined && args.specUrl === undefined) return undefined;
  return Object.fromEntries(
    Object.entries({ content: args.specContent, url: args.specUrl, specificationName: args.specificationName, specificationVersion: args.specificationVersion }).filter(([, v]) => v !== undefined),
  ) as { content?: string; url?: string; specificationName?: string; specificationVersion?: string };
}

/** What every write answers: whether it was a dry run, and then the ARM calls it would make. */
export const planFields = {
  dryRun: z.boolean(),
  calls: z.array(z.object({ method: z.string(), url: z.string(), body: z.unknown().optional() })).optional(),
};

export function where(args: { service?: string }): Where {
  return args.service === undefined ? { workspace: "default" } : { workspace: "default", ...parseTarget(args.service) };
}

/**
 * The summary of a write: what happened, said to be complete, or on a dry run what would have. (A
 * write that fails is an error saying what was undone and what was left.)
 */
export function writeSummary(plan: { dryRun: boolean; calls: unknown[]; applied: number }, done: string, would: string): string {
  return plan.dryRun
    ? `Dry run, nothing applied: ${plan.calls.length} ARM call(s) would ${would}.`
    : `${done} Complete: ${plan.applied === 1 ? "its write was" : `all ${plan.applied} of its writes were`} applied.`;
}

/** The plan part of a write's structured output. */
export function planOutput(plan: { dryRun: boolean; calls: Array<{ method: string; url: string; body?: unknown }> }) {
  return { dryRun: plan.dryRun, ...(plan.dryRun ? { calls: plan.calls } : {}) };
}

/** Drops the entries whose value is undefined, so optional arguments reach the domain only when given. */
export const given = <T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
