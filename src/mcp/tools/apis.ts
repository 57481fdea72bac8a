/** Tools for APIs and their versions. */
import { z } from "zod";
import { API_KINDS, LIFECYCLE_STAGES } from "../../domain/vocabulary.js";
import { deploymentOutput, specificationOutput } from "../schemas.js";
import { READ, WRITE, defineTool, nameField, planFields, planOutput, serviceField, where, workspaceField, writeFields, writeText } from "../define-tool.js";


const contact = z.object({
  name: z.string().optional().describe("Contact name"),
  email: z.string().optional().describe("Contact email"),
  url: z.string().optional().describe("Contact URL"),
});

const apiRow = z.object({
  name: z.string(),
  title: z.string(),
  kind: z.string(),
  lifecycleStage: z.string().optional(),
  summary: z.string().optional(),
  versionCount: z.number(),
  hasDefinition: z.boolean(),
  contacts: z.array(contact),
});

export const listApis = defineTool({
  name: "list_apis",
  title: "List APIs",
  description:
    "Lists the APIs in the inventory, filtered by kind, lifecycle stage, words in the title/summary/description, custom property values, or an environment they are deployed to. " +
    "Use it to answer inventory questions and find API names; use get_api for one API in depth. " +
    "Returns one page of rows (name, title, kind, lifecycle, version count, whether any definition exists, contacts) and a cursor for the next page.",
  toolset: "apis",
  input: z.object({
    kind: z.enum(API_KINDS).optional().describe("Only APIs of this kind"),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).optional().describe("Only APIs at this lifecycle stage (derived from their latest version)"),
    text: z.string().optional().describe("Words that must all appear in the name, title, summary or description"),
    customProperties: z.record(z.string(), z.unknown()).optional().describe("Custom property values to match exactly, e.g. {\"team\": \"payments\"}"),
    environmentName: z.string().optional().describe("Only APIs with a deployment in this environment"),
    limit: z.number().int().min(1).max(200).default(50).describe("Rows per page"),
    cursor: z.string().optional().describe("nextCursor from the previous page"),
    workspaceName: workspaceField,
    service: serviceField,
  }),
  output: z.object({
    apis: z.array(apiRow),
    total: z.number().describe("APIs matching the filters, across all pages"),
    nextCursor: z.string().optional(),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const page = await ctx.inventory.listApis({
      ...where(args),
      ...(args.kind ? { kind: args.kind } : {}),
      ...(args.lifecycleStage ? { lifecycleStage: args.lifecycleStage } : {}),
      ...(args.text ? { text: args.text } : {}),
      ...(args.customProperties ? { customProperties: args.customProperties } : {}),
      ...(args.environmentName ? { environment: args.environmentName } : {}),
      limit: args.limit,
      ...(args.cursor ? { cursor: args.cursor } : {}),
    });
    const shown = page.apis.map((a) => a.name).join(", ");
    return {
      structured: page,
      text: `${page.total} API(s) match; this page has ${page.apis.length}${page.apis.length ? `: ${shown}` : ""}.${page.nextCursor ? " More with nextCursor." : ""}`,
    };
  },
});

export const getApi = defineTool({
  name: "get_api",
  title: "Get an API",
  description:
    "Returns one API with its versions, each version's definitions (with their specification type), and its deployments, in one call. " +
    "Use it for 'who owns X and where is it deployed'; use list_apis to find names and export_spec for the spec itself.",
  toolset: "apis",
  input: z.object({ apiName: nameField("API"), workspaceName: workspaceField, service: serviceField }),
  output: z.object({
    name: z.string(),
    title: z.string(),
    kind: z.string(),
    lifecycleStage: z.string().optional(),
    summary: z.string().optional(),
    description: z.unknown().optional(),
    contacts: z.array(contact),
    license: z.unknown().optional(),
    termsOfService: z.unknown().optional(),
    externalDocumentation: z.unknown().optional(),
    customProperties: z.record(z.string(), z.unknown()).optional(),
    versions: z.array(
      z.object({
        name: z.string(),
        title: z.string(),
        lifecycleStage: z.string(),
        definitions: z.array(z.object({ name: z.string(), title: z.string(), specification: specificationOutput.optional() })),
      }),
    ),
    deployments: z.array(deploymentOutput),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const api = await ctx.inventory.getApi(where(args), args.apiName);
    const owners = api.contacts.map((c) => c.name ?? c.email).filter(Boolean).join(", ") || "no contacts";
    const envs = [...new Set(api.deployments.map((d) => d.environment).filter(Boolean))].join(", ") || "not deployed";
    return {
      structured: api,
      text: `${api.title} (${api.name}, ${api.kind}${api.lifecycleStage ? `, ${api.lifecycleStage}` : ""}): ${api.versions.length} version(s); contacts: ${owners}; deployed to: ${envs}.`,
    };
  },
});

export const registerApi = defineTool({
  name: "register_api",
  title: "Register an API",
  description:
    "Creates or updates an API (title, kind, summary, description, contacts, license, terms of service, external docs, custom properties), optionally with its first version, a definition and the spec in the same call, " +
    "like `az apic api register`: given spec content, the title, name, description, contacts, license and version come from the spec's info block unless you give them. " +
    "Use create_version / import_spec to add to an API that exists. Returns the names used, what was taken from the spec, and on dryRun the ARM calls.",
  toolset: "apis",
  input: z.object({
    apiName: nameField("API").optional().describe("API name (3-90 letters, digits, hyphens); made from the title when omitted"),
    title: z.string().max(50).optional().describe("Display title; from the spec when omitted"),
    kind: z.enum(API_KINDS).optional().describe("API kind; from the spec type when omitted (rest for OpenAPI)"),
    summary: z.string().max(200).optional().describe("One-line summary"),
    description: z.string().optional().describe("Description (the service keeps 1000 characters)"),
    contacts: z.array(contact).optional().describe("Owners to contact"),
    license: z.object({ name: z.string().optional(), url: z.string().optional(), identifier: z.string().optional() }).optional().describe("License"),
    termsOfServiceUrl: z.string().optional().describe("Terms of service URL"),
    externalDocumentation: z.array(z.object({ url: z.string(), title: z.string().optional(), description: z.string().optional() })).optional().describe("Links to documentation"),
    customProperties: z.record(z.string(), z.unknown()).optional().describe("Values for the metadata schemas assigned to APIs"),
    version: z
      .object({
        name: z.string().optional().describe("Version name; from the spec's version when omitted"),
        title: z.string().optional().describe("Version title"),
        lifecycleStage: z.enum(LIFECYCLE_STAGES).default("design").describe("Lifecycle stage of the version"),
      })
      .optional()
      .describe("Also create this first version"),
    definitionName: z.string().optional().describe("Definition name; the spec type (e.g. openapi) when omitted"),
    specContent: z.string().optional().describe("The spec text (OpenAPI, AsyncAPI, GraphQL, WSDL, proto...): registers version, definition and spec too"),
    specUrl: z.string().optional().describe("A public URL the service fetches the spec from (instead of specContent)"),
    specificationName: z.string().optional().describe("Spec type, e.g. openapi; detected from the content when omitted"),
    specificationVersion: z.string().optional().describe("Spec type version, e.g. 3.0.1; detected when omitted"),
    ...writeFields,
  }),
  output: z.object({
    apiName: z.string(),
    versionName: z.string().optional(),
    definitionName: z.string().optional(),
    notes: z.array(z.string()).describe("What was derived from the spec or shortened"),
    ...planFields,
  }),
  annotations: WRITE,
  async handler(args, ctx) {
    const spec =
      args.specContent || args.specUrl
        ? {
            ...(args.specContent ? { content: args.specContent } : {}),
            ...(args.specUrl ? { url: args.specUrl } : {}),
            ...(args.specificationName ? { specificationName: args.specificationName } : {}),
            ...(args.specificationVersion ? { specificationVersion: args.specificationVersion } : {}),
          }
        : undefined;
    const r = await ctx.curation.registerApi(
      {
        ...where(args),
        ...Object.fromEntries(
          Object.entries({
            apiName: args.apiName,
            title: args.title,
            kind: args.kind,
            summary: args.summary,
            description: args.description,
            contacts: args.contacts,
            license: args.license,
            termsOfService: args.termsOfServiceUrl ? { url: args.termsOfServiceUrl } : undefined,
            externalDocumentation: args.externalDocumentation,
            customProperties: args.customProperties,
            version: args.version,
            definition: args.definitionName ? { name: args.definitionName } : undefined,
            spec,
          }).filter(([, v]) => v !== undefined),
        ),
      },
      { dryRun: args.dryRun, onProgress: (m) => void ctx.progress(m) },
    );
    const parts = [r.apiName, r.versionName, r.definitionName].filter(Boolean).join(" / ");
    return {
      structured: { apiName: r.apiName, ...(r.versionName ? { versionName: r.versionName } : {}), ...(r.definitionName ? { definitionName: r.definitionName } : {}), notes: r.notes, ...planOutput(r) },
      text: `${writeText(r, `Registered ${parts}${spec ? " with its spec" : ""}.`, `register ${parts}`)}${r.notes.length ? `\nNotes: ${r.notes.join("; ")}.` : ""}`,
    };
  },
});

export const createVersion = defineTool({
  name: "create_version",
  title: "Create an API version",
  description:
    "Creates or updates a version of an existing API with its lifecycle stage (the API's own stage follows its latest version). " +
    "Use register_api for a new API; use import_spec to add a spec to the version. Returns the version, and on dryRun the ARM call.",
  toolset: "apis",
  input: z.object({
    apiName: nameField("API"),
    versionName: nameField("Version"),
    title: z.string().max(50).optional().describe("Version title, e.g. 2024-10-01 or v2.1; the name when omitted"),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).describe("Lifecycle stage"),
    ...writeFields,
  }),
  output: z.object({ apiName: z.string(), versionName: z.string(), lifecycleStage: z.string(), ...planFields }),
  annotations: WRITE,
  async handler(args, ctx) {
    const plan = await ctx.curation.createVersion(
      where(args),
      args.apiName,
      { name: args.versionName, lifecycleStage: args.lifecycleStage, ...(args.title ? { title: args.title } : {}) },
      { dryRun: args.dryRun },
    );
    return {
      structured: { apiName: args.apiName, versionName: args.versionName, lifecycleStage: args.lifecycleStage, ...planOutput(plan) },
      text: writeText(plan, `Version ${args.versionName} of ${args.apiName} is at ${args.lifecycleStage}.`, `set version ${args.versionName} of ${args.apiName}`),
    };
  },
});
