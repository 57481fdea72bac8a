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
