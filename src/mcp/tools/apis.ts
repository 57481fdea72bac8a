/** Tools for APIs and their versions. */
import { z } from "zod";
import { API_KINDS, LIFECYCLE_STAGES } from "../../domain/vocabulary.js";
import { apiRowOutput, contactOutput, deploymentOutput } from "../schemas.js";
import { LIMITS, READ, WRITE, arg, defineTool, given, jsonObject, nameField, text, upTo, planFields, planOutput, specFields, specSource, where, whereFields, writeFields, writeSummary } from "../define-tool.js";

const contact = z.strictObject({ name: arg(LIMITS.contactName).optional(), email: arg(LIMITS.email).optional(), url: arg(LIMITS.url).optional() });

export const listApis = defineTool({
  name: "list_apis",
  title: "List APIs",
  description:
    "Lists APIs matching exact filters (kind, stage, words, custom properties, environment); search_apis ranks by words. " +
    "Rows carry contacts and the latest version's definitions; paged.",
  toolset: "apis",
  input: z.object({
    kind: z.enum(API_KINDS).optional().describe("Only this kind"),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).optional().describe("Only this stage"),
    text: arg().optional().describe("Words all in name, title, summary or description"),
    customProperties: jsonObject().optional().describe("Values to match, e.g. {\"team\":\"payments\"}"),
    environmentName: nameField("Environment").optional().describe("Only APIs deployed there"),
    limit: z.number().int().min(1).max(200).default(50).describe("Rows per page"),
    cursor: arg().optional().describe("nextCursor of the previous page"),
    ...whereFields,
  }),
  output: z.object({
    apis: z.array(apiRowOutput.extend({ versionCount: z.number(), contacts: z.array(contactOutput) })),
    total: z.number(),
    nextCursor: z.string().optional(),
    indexAgeSeconds: z.number(),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const page = await ctx.inventory.listApis({
      ...where(args),
      ...given({ kind: args.kind, lifecycleStage: args.lifecycleStage, text: args.text, customProperties: args.customProperties, environment: args.environmentName, cursor: args.cursor }),
      limit: args.limit,
    });
    return {
      structured: { apis: page.apis, total: page.total, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), indexAgeSeconds: page.freshness.ageSeconds },
      summary: `${page.total} API(s) match; ${page.apis.length} on this page${page.nextCursor ? ", more with nextCursor" : ""}.`,
    };
  },
});

export const getApi = defineTool({
  name: "get_api",
  title: "Get an API",
  description:
    "One API in depth: owners, license, docs, custom properties, versions with definitions, deployments with runtime URLs. " +
    "For 'who owns X and where is it deployed'.",
  toolset: "apis",
  input: z.object({ apiName: nameField("API"), ...whereFields }),
  output: z.object({
    name: z.string(),
    title: z.string(),
    kind: z.string(),
    lifecycleStage: z.string().optional(),
    summary: z.string().optional(),
    description: z.unknown().optional(),
    contacts: z.array(contactOutput),
    license: z.unknown().optional(),
    termsOfService: z.unknown().optional(),
    externalDocumentation: z.unknown().optional(),
    customProperties: z.record(z.string(), z.unknown()).optional(),
    versions: z.array(
      z.object({
        name: z.string(),
        title: z.string().optional(),
        lifecycleStage: z.string(),
        definitions: z.array(z.object({ name: z.string(), title: z.string().optional(), specification: z.string().optional() })),
      }),
    ),
    deployments: z.array(deploymentOutput),
    origin: z.string().optional(),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const api = await ctx.inventory.getApi(where(args), args.apiName);
    return { structured: api, summary: `${api.title} (${api.name}): ${api.versions.length} version(s), ${api.deployments.length} deployment(s).` };
  },
});

export const registerApi = defineTool({
  name: "register_api",
  title: "Register an API",
  description:
    "Creates or updates an API; with specContent or specUrl also its first version, definition and spec, taking what you omit from the spec's info. Returns the names used.",
  toolset: "apis",
  input: z.object({
    apiName: nameField("API").optional().describe("API name; from the title"),
    title: text(LIMITS.title).optional().describe("Title"),
    kind: z.enum(API_KINDS).optional().describe("Kind; from the spec"),
    summary: text(LIMITS.summary).optional().describe("One-line summary"),
    description: text(LIMITS.apiDescription).optional().describe("Description"),
    contacts: upTo(contact, LIMITS.contacts).optional().describe("Owners to contact"),
    license: z.strictObject({ name: arg(LIMITS.licenseName).optional(), url: arg(LIMITS.url).optional(), identifier: arg(LIMITS.licenseIdentifier).optional() }).optional().describe("License"),
    termsOfServiceUrl: arg(LIMITS.url).optional().describe("Terms of service URL"),
    externalDocumentation: upTo(z.strictObject({ url: arg(LIMITS.url), title: arg(LIMITS.docsTitle).optional(), description: arg(LIMITS.docsDescription).optional() }), LIMITS.externalDocs)
      .optional()
      .describe("Documentation links"),
    customProperties: jsonObject().optional().describe("Custom property values"),
    versionName: nameField("Version").optional().describe("First version's name; from the spec"),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).optional().describe("First version's stage; design"),
    definitionName: nameField("Definition").optional().describe("Definition name; the spec type"),
    ...specFields,
    ...writeFields,
  }),
  output: z.object({ apiName: z.string(), versionName: z.string().optional(), definitionName: z.string().optional(), notes: z.array(z.string()), ...planFields }),
  annotations: WRITE,
  async handler(args, ctx) {
    const spec = specSource(args);
    const version = given({ name: args.versionName, lifecycleStage: args.lifecycleStage });
    const r = await ctx.curation.registerApi(
      {
        ...where(args),
        ...given({
          apiName: args.apiName,
          title: args.title,
          kind: args.kind,
          summary: args.summary,
          description: args.description,
          contacts: args.contacts,
          license: args.license,
          termsOfService: args.termsOfServiceUrl === undefined ? undefined : { url: args.termsOfServiceUrl },
          externalDocumentation: args.externalDocumentation,
          customProperties: args.customProperties,
          version: Object.keys(version).length ? version : undefined,
          definition: args.definitionName === undefined ? undefined : { name: args.definitionName },
          spec,
        }),
      },
      { dryRun: args.dryRun, onProgress: (m) => void ctx.progress(m), signal: ctx.signal },
    );
    const parts = [r.apiName, r.versionName, r.definitionName].filter(Boolean).join(" / ");
    return {
      structured: { apiName: r.apiName, ...given({ versionName: r.versionName, definitionName: r.definitionName }), notes: r.notes, ...planOutput(r) },
      summary: writeSummary(r, `Registered ${parts}${spec ? " with its spec" : ""}.`, `register ${parts}`),
    };
  },
});

export const createVersion = defineTool({
  name: "create_version",
  title: "Create an API version",
  description:
    "Creates or updates a version of an API at a lifecycle stage (the API's stage follows its latest version). A new API: register_api.",
  toolset: "apis",
  input: z.object({
    apiName: nameField("API"),
    versionName: nameField("Version"),
    title: text(LIMITS.title).optional().describe("Title, e.g. v2.1"),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).describe("Lifecycle stage"),
    ...writeFields,
  }),
  output: z.object(planFields),
  annotations: WRITE,
  async handler(args, ctx) {
    const plan = await ctx.curation.createVersion(
      where(args),
      args.apiName,
      { name: args.versionName, lifecycleStage: args.lifecycleStage, ...given({ title: args.title }) },
      { dryRun: args.dryRun },
    );
    return {
      structured: planOutput(plan),
      summary: writeSummary(plan, `Version ${args.versionName} of ${args.apiName} is at ${args.lifecycleStage}.`, `set version ${args.versionName} of ${args.apiName}`),
    };
  },
});
