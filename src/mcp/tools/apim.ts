/**
 * API Management in one tool: bring APIs in, once or kept in sync as an API source. list_environments
 * shows the API sources (as the portal shows integrations under environments) and delete_resource
 * removes them: every tool's schema is paid for in every tools/list.
 */
import { z } from "zod";
import type { ApiSourceView } from "../../domain/apim/api-management.js";
import { IMPORT_SPECIFICATION_OPTIONS } from "../../domain/vocabulary.js";
import { WRITE, arg, defineTool, upTo, given, nameField, planFields, planOutput, where, writeFields, writeSummary } from "../define-tool.js";

/** How a source's link is doing, in a few words: "syncing", "initializing", "error: <why>". */
export const linkLine = (s: ApiSourceView) => (s.linkState === "error" ? `error: ${s.message ?? "unknown"}` : s.linkState ?? "created");

export const importFromApim = defineTool({
  name: "import_from_apim",
  title: "Import from API Management",
  description:
    "Imports API Management APIs (all or apiIds) with specs and deployments to its gateway; apiSourceName keeps them in sync.",
  toolset: "apim",
  input: z.object({
    apimService: arg().describe("ARM id, group/name or name"),
    apiIds: upTo(arg(), 1000).optional().describe("Its API ids"),
    apiSourceName: nameField("API source").optional().describe("Sync as this API source"),
    importSpecification: z.enum(IMPORT_SPECIFICATION_OPTIONS).optional().describe("Source: specs"),
    ...writeFields,
  }),
  output: z.object({
    apimService: z.string(),
    apis: z.array(z.string()).optional(),
    link: z.string().optional(),
    ...planFields,
  }),
  annotations: { ...WRITE, openWorldHint: true },
  async handler(args, ctx) {
    const opts = { dryRun: args.dryRun, onProgress: (m: string) => void ctx.progress(m) };
    if (args.apiSourceName) {
      const r = await ctx.apim.createApiSource(
        where(args),
        {
          name: args.apiSourceName,
          apimService: args.apimService,
          ...given({ importSpecification: args.importSpecification }),
        },
        opts,
      );
      const link = linkLine(r);
      return {
        structured: { apimService: r.apimService, ...(r.dryRun ? {} : { link }), ...planOutput(r) },
        summary: writeSummary(r, `API source ${r.name}: ${link}.`, `link ${r.apimService} as API source ${r.name}`),
      };
    }
    const r = await ctx.apim.importApis(where(args), { apimService: args.apimService, ...given({ apiIds: args.apiIds }) }, opts);
    const names = r.apis.map((a) => (a.apiName ? `${a.title} (${a.apiName})` : a.title)).join(", ");
    return {
      structured: { apimService: r.apimService, apis: r.apis.map((a) => (a.apiName ? `${a.apiId}=${a.apiName}` : a.apiId)), ...planOutput(r) },
      summary: writeSummary(r, `Imported ${r.apis.length} API(s): ${names}.`, `import ${r.apis.length} API(s): ${names}`),
    };
  },
});
