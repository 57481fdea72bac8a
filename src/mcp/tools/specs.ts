/** Tools for definitions and their specification content. */
import { z } from "zod";
import { DomainError } from "../../domain/errors.js";
import { specificationOf } from "../../domain/summaries.js";
import { definitionUsedOutput } from "../schemas.js";
import { LIMITS, READ, WRITE, arg, defineTool, given, nameField, text, planFields, planOutput, specFields, specSource, where, whereFields, writeFields, writeSummary } from "../define-tool.js";
import { specUri } from "../uris.js";

/** The definition a spec tool reads: the API, and optionally the version and definition (the latest version's only one when omitted). */
export const definitionFields = {
  apiName: nameField("API"),
  versionName: nameField("Version").optional().describe("Version; the latest"),
  definitionName: nameField("Definition").optional().describe("Definition; its only one"),
};

export const importSpec = defineTool({
  name: "import_spec",
  title: "Import a specification",
  description:
    "Imports a spec (OpenAPI, AsyncAPI, GraphQL, WSDL, proto...) into a version's definition, created if missing; the type is detected; URL imports report progress.",
  toolset: "specs",
  input: z.object({
    apiName: nameField("API"),
    versionName: nameField("Version"),
    definitionName: nameField("Definition").optional().describe("Definition; the spec type"),
    definitionTitle: text(LIMITS.title).optional().describe("New definition's title"),
    ...specFields,
    ...writeFields,
  }),
  output: z.object({ definitionName: z.string(), createdDefinition: z.boolean(), specification: z.string().optional(), resourceUri: z.string(), ...planFields }),
  annotations: WRITE,
  async handler(args, ctx) {
    const spec = specSource(args);
    if (!spec) throw new DomainError("invalid_input", "give the spec: specContent (its text) or specUrl (a public URL)");
    const w = where(args);
    const r = await ctx.curation.importSpec(
      w,
      { api: args.apiName, version: args.versionName, ...given({ definition: args.definitionName, definitionTitle: args.definitionTitle }) },
      spec,
      { dryRun: args.dryRun, onProgress: (m) => void ctx.progress(m), signal: ctx.signal },
    );
    const uri = specUri(args.apiName, args.versionName, r.definitionName);
    const specification = r.dryRun ? undefined : specificationOf(await ctx.inventory.getDefinition(w, args.apiName, args.versionName, r.definitionName));
    const detected = specification ?? "an unknown type";
    const into = `${args.apiName}/${args.versionName}/${r.definitionName}`;
    return {
      structured: { definitionName: r.definitionName, createdDefinition: r.createdDefinition, ...given({ specification }), resourceUri: uri, ...planOutput(r) },
      summary: writeSummary(r, `Imported ${detected} into ${into}${r.createdDefinition ? " (new definition)" : ""}.`, `import the spec into ${into}`),
    };
  },
});

export const exportSpec = defineTool({
  name: "export_spec",
  title: "Export a specification",
  description:
    "A spec's content: mode operation (by operationId or method+path), pointer (a JSON pointer's value) or whole (refused over maxBytes, never cut). analyze_spec gives an overview.",
  toolset: "specs",
  input: z.object({
    ...definitionFields,
    mode: z.enum(["operation", "pointer", "whole"]).describe("How much"),
    operationId: arg().optional().describe("operation: its operationId"),
    method: arg().optional().describe("operation: HTTP method"),
    path: arg().optional().describe("operation: path"),
    pointer: arg().optional().describe("pointer: e.g. /components/schemas/Order"),
    maxBytes: z.number().int().min(1000).max(20_000_000).default(200_000).describe("Largest answer accepted"),
    ...whereFields,
  }),
  output: z.object({
    ...definitionUsedOutput,
    bytes: z.number(),
    specification: z.string().optional(),
    resourceUri: z.string(),
    content: z.string().optional(),
    slice: z.unknown().optional(),
  }),
  annotations: READ,
  async handler(args, ctx) {
    if (args.mode === "operation" && !args.operationId && !(args.method && args.path)) {
      throw new DomainError("invalid_input", "mode 'operation' needs operationId, or method and path");
    }
    if (args.mode === "pointer" && args.pointer === undefined) throw new DomainError("invalid_input", "mode 'pointer' needs pointer, e.g. /components/schemas/Order");
    const w = where(args);
    const { ref, defaulted } = await ctx.inventory.resolveDefinition(w, { api: args.apiName, ...given({ version: args.versionName, definition: args.definitionName }) });
    const { mode, ...out } = await ctx.inventory.exportSpec(w, ref, {
      mode: args.mode,
      maxBytes: args.maxBytes,
      ...given({ operationId: args.operationId, method: args.method, path: args.path, pointer: args.pointer }),
    });
    const uri = specUri(ref.api, ref.version, ref.definition);
    const what = mode === "whole" ? `The whole ${out.bytes}-byte spec: the JSON line below, then the spec as it is` : `The requested ${mode} of a ${out.bytes}-byte spec`;
    return {
      structured: { versionName: ref.version, definitionName: ref.definition, ...out, resourceUri: uri },
      summary: `${what}${defaulted ? ` (${defaulted})` : ""}.`,
      verbatim: "content",
      links: [{ uri, name: `${ref.api}/${ref.version}/${ref.definition} spec` }],
    };
  },
});
