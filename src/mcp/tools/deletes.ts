/**
 * One destructive tool for every kind of resource: the question to the user says what the deletion
 * takes with it; the user is asked (elicitation) or confirm: true is required; dryRun shows the call.
 * Read-only mode hides it.
 */
import { z } from "zod";
import { DomainError } from "../../domain/errors.js";
import type { Kind, Path } from "../../domain/gateway.js";
import { DELETE, confirmField, defineTool, nameField, dryRunField, planFields, planOutput, where, whereFields, writeSummary } from "../define-tool.js";

/** The arguments naming each kind, in path order: [argument, path key]. */
const KINDS = {
  api: [["apiName", "api"]],
  version: [["apiName", "api"], ["versionName", "version"]],
  definition: [["apiName", "api"], ["versionName", "version"], ["definitionName", "definition"]],
  environment: [["environmentName", "environment"]],
  deployment: [["apiName", "api"], ["deploymentName", "deployment"]],
  metadataSchema: [["metadataSchemaName", "metadataSchema"]],
  apiSource: [["apiSourceName", "apiSource"]],
} as const satisfies Record<Exclude<Kind, "workspace">, ReadonlyArray<readonly [string, keyof Path]>>;

type DeletableKind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as [DeletableKind, ...DeletableKind[]];

const optionalName = (what: string) => nameField(what).optional().describe(`${what} name`);

export const deleteResource = defineTool({
  name: "delete_resource",
  title: "Delete a resource",
  description:
    "Deletes an API (with all in it), version, definition, environment, deployment, metadata schema or API source, named as elsewhere. The user is asked first; confirm: true only if the client cannot ask.",
  toolset: ["apis", "specs", "deployments", "metadata", "apim"],
  input: z.object({
    kind: z.enum(KIND_NAMES).describe("What to delete"),
    apiName: optionalName("API"),
    versionName: optionalName("Version"),
    definitionName: optionalName("Definition"),
    environmentName: optionalName("Environment"),
    deploymentName: optionalName("Deployment"),
    metadataSchemaName: optionalName("Metadata schema"),
    apiSourceName: optionalName("API source"),
    confirm: confirmField,
    dryRun: dryRunField,
    ...whereFields,
  }),
  output: z.object({ deleted: z.boolean(), what: z.string(), ...planFields }),
  annotations: DELETE,
  async handler(args, ctx) {
    const names = KINDS[args.kind];
    const needed = names.map(([arg]) => arg as string);
    const missing = needed.filter((arg) => !(args as Record<string, unknown>)[arg]);
    if (missing.length) throw new DomainError("invalid_input", `kind '${args.kind}' needs ${needed.join(" and ")}: give ${missing.join(" and ")}`);
    const allNames = ["apiName", "versionName", "definitionName", "environmentName", "deploymentName", "metadataSchemaName", "apiSourceName"];
    const extra = allNames.filter((arg) => !needed.includes(arg) && (args as Record<string, unknown>)[arg] !== undefined);
    if (extra.length) throw new DomainError("invalid_input", `kind '${args.kind}' is named by ${needed.join(" and ")} only; leave out ${extra.join(", ")} (or choose the kind they name)`);
    const scope = where(args);
    // Metadata schemas belong to the service, not to a workspace.
    const path: Path = args.kind === "metadataSchema" ? (scope.service ? { service: scope.service } : {}) : { ...scope };
    for (const [arg, key] of names) (path as Record<string, unknown>)[key] = (args as Record<string, unknown>)[arg];
    const what = await ctx.curation.deletionImpact(args.kind, path);
    if (!args.dryRun) {
      const answer = await ctx.confirm(`Delete ${what}? This cannot be undone.`, args.confirm);
      if ("inputRequired" in answer) return answer;
      if (!answer.confirmed) return { structured: { deleted: false, what, dryRun: false }, summary: `Not deleted: ${answer.reason}.` };
    }
    const plan = await ctx.curation.delete(args.kind, path, { dryRun: args.dryRun });
    return { structured: { deleted: !plan.dryRun, what, ...planOutput(plan) }, summary: writeSummary(plan, `Deleted ${what}.`, `delete ${what}`) };
  },
});
