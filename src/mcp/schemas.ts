/** Output shapes more than one tool answers with. */
import { z } from "zod";

export const specificationOutput = z.object({ name: z.string().optional(), version: z.string().optional() });

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
