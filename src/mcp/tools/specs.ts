/** Tools for definitions and their specification content. */
import { z } from "zod";
import { DomainError } from "../../domain/errors.js";
import { operationOutput, specSummaryOutput, specificationOutput } from "../schemas.js";
import { READ, WRITE, defineTool, nameField, planFields, planOutput, serviceField, where, workspaceField, writeFields, writeText } from "../define-tool.js";
import { specUri } from "../uris.js";

export const importSpec = defineTool({
  name: "import_spec",
  title: "Import a specification",
  description:
    "Imports a specification (OpenAPI, AsyncAPI, GraphQL, WSDL, gRPC proto...) into a definition of an API version, creating the definition when it is missing, from inline text or a public URL. " +
    "The spec type and version are detected from the content; a URL import is long-running and reports progress until it ends. " +
    "Use register_api to create the API and version in the same call. Returns the definition and the detected specification.",
  toolset: "specs",
  input: z.object({
    apiName: nameField("API"),
    versionName: nameField("Version"),
    definitionName: z.string().optional().describe("Definition name; the spec type (e.g. openapi) when omitted"),
    definitionTitle: z.string().max(50).optional().describe("Title for a new definition"),
    content: z.string().optional().describe("The spec text"),
    url: z.string().optional().describe("A public URL the service fetches the spec from (instead of content)"),
    specificationName: z.string().optional().describe("Spec type, e.g. openapi; detected when omitted"),
    specificationVersion: z.string().optional().describe("Spec type version, e.g. 3.0.1; detected when omitted"),
    ...writeFields,
  }),
  output: z.object({
    definitionName: z.string(),
    createdDefinition: z.boolean(),
    specification: specificationOutput.optional(),
    resourceUri: z.string().describe("Read the spec content here"),
    ...planFields,
  }),
  annotations: WRITE,
  async handler(args, ctx) {
    const w = where(args);
    const r = await ctx.curation.importSpec(
      w,
      {
        api: args.apiName,
        version: args.versionName,
        ...(args.definitionName ? { definition: args.definitionName } : {}),
        ...(args.definitionTitle ? { definitionTitle: args.definitionTitle } : {}),
      },
      {
        ...(args.content !== undefined ? { content: args.content } : {}),
        ...(args.url ? { url: args.url } : {}),
        ...(args.specificationName ? { specificationName: args.specificationName } : {}),
        ...(args.specificationVersion ? { specificationVersion: args.specificationVersion } : {}),
      },
      { dryRun: args.dryRun, onProgress: (m) => void ctx.progress(m) },
    );
    const uri = specUri(args.apiName, args.versionName, r.definitionName);
    const specification = r.dryRun
      ? undefined
      : ((await ctx.inventory.getDefinition(w, args.apiName, args.versionName, r.definitionName)).properties.specification as { name?: string; version?: string } | undefined);
    const detected = specification?.name ? `${specification.name}${specification.version ? ` ${specification.version}` : ""}` : "an unknown type";
    return {
      structured: { definitionName: r.definitionName, createdDefinition: r.createdDefinition, ...(specification ? { specification } : {}), resourceUri: uri, ...planOutput(r) },
      text: writeText(r, `Imported ${detected} into ${args.apiName}/${args.versionName}/${r.definitionName}${r.createdDefinition ? " (new definition)" : ""}; read it at ${uri}.`, `import the spec into ${args.apiName}/${args.versionName}/${r.definitionName}`),
    };
  },
});

export const exportSpec = defineTool({
  name: "export_spec",
  title: "Export a specification",
  description:
    "Returns a definition's spec in the size asked for: 'summary' (default: type, servers, counts by tag and method, auth schemes, a page of operations), 'operation' (one operation by operationId or method+path), " +
    "'pointer' (the value at a JSON pointer such as /components/schemas/Order) or 'whole' (the text, refused with the size when over maxBytes, never cut short). " +
    "Big specs are better read as the resource in resourceUri.",
  toolset: "specs",
  input: z.object({
    apiName: nameField("API"),
    versionName: nameField("Version"),
    definitionName: nameField("Definition"),
    mode: z.enum(["summary", "whole", "operation", "pointer"]).default("summary").describe("How much of the spec to return"),
    operationId: z.string().optional().describe("mode 'operation': the operationId"),
    method: z.string().optional().describe("mode 'operation': the HTTP method (with path)"),
    path: z.string().optional().describe("mode 'operation': the path, e.g. /orders/{id}"),
    pointer: z.string().optional().describe("mode 'pointer': an RFC 6901 JSON pointer"),
    maxBytes: z.number().int().min(1000).max(20_000_000).default(200_000).describe("Largest answer accepted, in bytes"),
    limit: z.number().int().min(1).max(1000).default(100).describe("mode 'summary': operations per page"),
    cursor: z.string().optional().describe("mode 'summary': nextCursor of the previous page"),
    workspaceName: workspaceField,
    service: serviceField,
  }),
  output: z.object({
    mode: z.string(),
    bytes: z.number().describe("Size of the whole spec"),
    specification: specificationOutput.optional(),
    resourceUri: z.string(),
    summary: specSummaryOutput.extend({ operations: z.array(operationOutput), nextCursor: z.string().optional() }).optional(),
    content: z.string().optional(),
    slice: z.unknown().optional(),
  }),
  annotations: READ,
  async handler(args, ctx) {
    if (args.mode === "operation" && !args.operationId && !(args.method && args.path)) {
      throw new DomainError("invalid_input", "mode 'operation' needs operationId, or method and path");
    }
    const out = await ctx.inventory.exportSpec(
      where(args),
      { api: args.apiName, version: args.versionName, definition: args.definitionName },
      {
        mode: args.mode,
        maxBytes: args.maxBytes,
        limit: args.limit,
        ...Object.fromEntries(Object.entries({ operationId: args.operationId, method: args.method, path: args.path, pointer: args.pointer, cursor: args.cursor }).filter(([, v]) => v !== undefined)),
      },
    );
    const uri = specUri(args.apiName, args.versionName, args.definitionName);
    const text =
      out.mode === "summary"
        ? `${out.summary?.title ?? args.definitionName}: ${out.summary?.operationCount} operation(s), ${out.summary?.schemaCount} schema(s), ${out.bytes} bytes; showing ${out.summary?.operations.length} operation(s).${out.summary?.nextCursor ? " More with nextCursor." : ""}`
        : out.mode === "whole"
          ? `The whole spec, ${out.bytes} bytes.`
          : `The requested ${out.mode} of a ${out.bytes}-byte spec.`;
    return { structured: { ...out, resourceUri: uri }, text, links: [{ uri, name: `${args.apiName}/${args.versionName}/${args.definitionName} spec` }] };
  },
});
