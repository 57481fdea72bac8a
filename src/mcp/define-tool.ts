/**
 * One record per tool: name, title, description, toolset, zod input and output, annotations, handler.
 * Registration, read-only and toolset filtering, error mapping, the tools/list snapshot and the
 * README table all derive from these records; nothing lists tools a second time.
 */
import type { InputRequiredResult } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { Curation } from "../domain/curation.js";
import type { Intelligence } from "../domain/intelligence/intelligence.js";
import type { Inventory } from "../domain/inventory.js";
import type { Where } from "../domain/scope.js";

export const TOOLSETS = {
  apis: "APIs and their versions",
  specs: "definitions and specification content",
  deployments: "environments and deployments",
  metadata: "metadata schemas (custom properties)",
  services: "services and workspaces",
  intelligence: "search, audit, spec analysis, lint and diff across the inventory",
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
  /** Progress for long operations, when the client asked for it. */
  progress(message: string): Promise<void>;
  /** Asks the user through elicitation (either era), when the client supports it. */
  confirm(question: string, confirmedByArgument: boolean | undefined): Promise<Confirmation>;
}

export interface ToolResult<O> {
  structured: O;
  /** One to three lines for the model. */
  text: string;
  /** Links to resources holding what was too big to inline. */
  links?: Array<{ uri: string; name: string; mimeType?: string; description?: string }>;
}

export interface ToolDef<I extends z.ZodObject, O extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  toolset: Toolset;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  handler(args: z.output<I>, ctx: ToolContext): Promise<ToolResult<z.output<O>> | { inputRequired: InputRequiredResult }>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds tools of every shape
export type AnyTool = ToolDef<any, any>;

export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(def: ToolDef<I, O>): ToolDef<I, O> => def;

/** Annotation presets: reads touch nothing; writes create or replace (idempotent PUTs); deletes destroy. */
export const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const DELETE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };

// ---- fields shared by many tools ----

export const serviceField = z
  .object({
    subscriptionId: z.string().optional().describe("Azure subscription id"),
    resourceGroup: z.string().optional().describe("Resource group of the API Center service"),
    serviceName: z.string().optional().describe("API Center service name"),
  })
  .optional()
  .describe("Another API Center service than the configured one (rarely needed)");

export const workspaceField = z.string().default("default").describe("Workspace name; API Center has one, 'default'");

export const dryRunField = z.boolean().default(false).describe("Return the ARM calls this would make without applying anything");

export const confirmField = z
  .boolean()
  .optional()
  .describe("Set true only after the user agreed to the deletion; needed when the client cannot ask the user itself");

export const nameField = (what: string) => z.string().describe(`${what} name: 3-90 letters, digits or hyphens`);

/** The fields every write tool takes after its own. */
export const writeFields = { dryRun: dryRunField, workspaceName: workspaceField, service: serviceField };

export const callsOutput = z
  .array(z.object({ method: z.string(), url: z.string(), body: z.unknown().optional() }))
  .optional()
  .describe("On a dry run: the ARM calls that would be made");

/** The fields every write tool answers after its own. */
export const planFields = { dryRun: z.boolean(), calls: callsOutput };

export function where(args: { workspaceName?: string; service?: Where["service"] }): Where {
  return { workspace: args.workspaceName ?? "default", ...(args.service ? { service: args.service } : {}) };
}

/** The text for a write: what happened, or on a dry run what would have. */
export function writeText(plan: { dryRun: boolean; calls: unknown[] }, done: string, would: string): string {
  return plan.dryRun ? `Dry run, nothing applied: ${plan.calls.length} ARM call(s) would ${would}.` : done;
}

/** The plan part of a write's structured output. */
export function planOutput(plan: { dryRun: boolean; calls: Array<{ method: string; url: string; body?: unknown }> }) {
  return { dryRun: plan.dryRun, ...(plan.dryRun ? { calls: plan.calls } : {}) };
}
