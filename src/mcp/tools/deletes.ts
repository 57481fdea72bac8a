/**
 * The delete tools, one per resource kind, built by one function: each says what the deletion takes
 * with it, asks the user (elicitation) or requires confirm: true, and supports dryRun.
 */
import { z } from "zod";
import type { Kind, Path } from "../../domain/gateway.js";
import { DELETE, callsOutput, confirmField, defineTool, dryRunField, nameField, planOutput, serviceField, where, workspaceField, writeText, type Toolset } from "../define-tool.js";

interface DeleteSpec {
  kind: Kind;
  tool: string;
  label: string;
  toolset: Toolset;
  /** Tool arguments naming the resource, in path order: [argument, path key, label]. */
  names: Array<[string, keyof Path, string]>;
  note: string;
}

function deleteTool(spec: DeleteSpec) {
  const shape: Record<string, z.ZodType> = {};
  for (const [arg, , label] of spec.names) shape[arg] = nameField(label);
  const input = z.object({
    ...shape,
    confirm: confirmField,
    dryRun: dryRunField,
    ...(spec.kind === "metadataSchema" ? {} : { workspaceName: workspaceField }),
    service: serviceField,
  });
  const article = /^[aeiou]/i.test(spec.label) ? "an" : "a";
  return defineTool({
    name: spec.tool,
    title: `Delete ${article} ${spec.label}`,
    description: `Deletes ${article} ${spec.label}${spec.note}. Destructive: the user is asked to confirm (or confirm: true is required when the client cannot ask). Returns what was deleted, or on dryRun the ARM call.`,
    toolset: spec.toolset,
    input,
    output: z.object({ deleted: z.boolean(), what: z.string(), dryRun: z.boolean(), calls: callsOutput }),
    annotations: DELETE,
    async handler(rawArgs, ctx) {
      const args = rawArgs as Record<string, unknown> & { confirm?: boolean; dryRun: boolean; workspaceName?: string; service?: Path["service"] };
      const path: Path = spec.kind === "metadataSchema" ? (args.service ? { service: args.service } : {}) : { ...where(args) };
      for (const [arg, key] of spec.names) (path as Record<string, unknown>)[key] = args[arg];
      const what = await ctx.curation.deletionImpact(spec.kind, path);
      if (!args.dryRun) {
        const answer = await ctx.confirm(`Delete ${what}? This cannot be undone.`, args.confirm);
        if ("inputRequired" in answer) return answer;
        if (!answer.confirmed) return { structured: { deleted: false, what, dryRun: false }, text: `Not deleted: ${answer.reason}.` };
      }
      const plan = await ctx.curation.delete(spec.kind, path, { dryRun: args.dryRun });
      return { structured: { deleted: !plan.dryRun, what, ...planOutput(plan) }, text: writeText(plan, `Deleted ${what}.`, `delete ${what}`) };
    },
  });
}

export const deleteApi = deleteTool({
  kind: "api",
  tool: "delete_api",
  label: "API",
  toolset: "apis",
  names: [["apiName", "api", "API"]],
  note: " with everything in it: versions, definitions, specs and deployments",
});
export const deleteVersion = deleteTool({
  kind: "version",
  tool: "delete_version",
  label: "API version",
  toolset: "apis",
  names: [
    ["apiName", "api", "API"],
    ["versionName", "version", "Version"],
  ],
  note: " with its definitions and specs",
});
export const deleteDefinition = deleteTool({
  kind: "definition",
  tool: "delete_definition",
  label: "API definition",
  toolset: "specs",
  names: [
    ["apiName", "api", "API"],
    ["versionName", "version", "Version"],
    ["definitionName", "definition", "Definition"],
  ],
  note: " with its imported spec",
});
export const deleteEnvironment = deleteTool({
  kind: "environment",
  tool: "delete_environment",
  label: "environment",
  toolset: "deployments",
  names: [["environmentName", "environment", "Environment"]],
  note: "; deployments that point at it are left dangling",
});
export const deleteDeployment = deleteTool({
  kind: "deployment",
  tool: "delete_deployment",
  label: "deployment",
  toolset: "deployments",
  names: [
    ["apiName", "api", "API"],
    ["deploymentName", "deployment", "Deployment"],
  ],
  note: " of an API",
});
export const deleteMetadataSchema = deleteTool({
  kind: "metadataSchema",
  tool: "delete_metadata_schema",
  label: "metadata schema",
  toolset: "metadata",
  names: [["metadataSchemaName", "metadataSchema", "Metadata schema"]],
  note: "; values already set on entities are kept but no longer checked",
});
