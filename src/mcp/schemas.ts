/** Output shapes more than one tool answers with: one definition each, so a row means the same everywhere. */
import { z } from "zod";
import type { Freshness } from "../domain/intelligence/inventory-index.js";

export const contactOutput = z.object({ name: z.string().optional(), email: z.string().optional(), url: z.string().optional() });

/** What the next call about an API needs: its latest version and that version's definitions. */
export const latestVersionOutput = z.object({
  name: z.string(),
  definitions: z.array(z.object({ name: z.string(), specification: z.string().optional() })),
});

/** An API as list and search rows show it. */
export const apiRowOutput = z.object({
  name: z.string(),
  title: z.string(),
  kind: z.string(),
  lifecycleStage: z.string().optional(),
  summary: z.string().optional(),
  latestVersion: latestVersionOutput.optional(),
});

export const deploymentOutput = z.object({
  name: z.string(),
  title: z.string().optional(),
  environment: z.string().optional(),
  version: z.string().optional(),
  definition: z.string().optional(),
  runtimeUris: z.array(z.string()),
  state: z.string().optional(),
});

export const operationOutput = z.object({
  method: z.string(),
  path: z.string(),
  operationId: z.string().optional(),
  summary: z.string().optional(),
  tags: z.array(z.string()).optional(),
  deprecated: z.boolean().optional(),
});

export const specSummaryOutput = z.object({
  title: z.string().optional(),
  version: z.string().optional(),
  specVersion: z.string().optional(),
  servers: z.array(z.string()),
  operationCount: z.number(),
  byMethod: z.record(z.string(), z.number()),
  byTag: z.record(z.string(), z.number()),
  securitySchemes: z.array(z.string()),
  schemaCount: z.number(),
});

/** The definition a spec tool read, named in full (it may have filled in the version and definition). */
export const definitionUsedOutput = { versionName: z.string(), definitionName: z.string() };

/** How fresh the inventory index behind an answer is. */
export const freshnessOutput = z.object({ apis: z.number(), ageSeconds: z.number() });

export const freshnessView = (f: Freshness): z.infer<typeof freshnessOutput> => ({ apis: f.apis, ageSeconds: f.ageSeconds });

/** What is not usual about the index behind an answer, as a sentence for its summary ("" when nothing is). */
export function freshnessNote(f: Freshness): string {
  const notes = [
    ...(f.fromSaved ? ["saved by an earlier session"] : []),
    ...(f.revalidating ? ["being revalidated"] : []),
    ...(f.missing ? [`${f.missing.count} API(s) not read, shown as last read and read again later: ${f.missing.apis.join(", ")}${f.missing.count > f.missing.apis.length ? ", ..." : ""}`] : []),
  ];
  return notes.length ? ` The index is ${notes.join("; ")}.` : "";
}
