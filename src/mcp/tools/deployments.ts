/** Tools for environments and deployments. */
import { z } from "zod";
import { DEPLOYMENT_STATES, ENVIRONMENT_KINDS, ENVIRONMENT_SERVER_TYPES } from "../../domain/vocabulary.js";
import { deploymentOutput } from "../schemas.js";
import { linkLine } from "./apim.js";
import { LIMITS, READ, WRITE, arg, defineTool, given, jsonObject, nameField, text, upTo, planFields, planOutput, where, whereFields, writeFields, writeSummary } from "../define-tool.js";

export const listEnvironments = defineTool({
  name: "list_environments",
  title: "List environments",
  description: "Lists the environments APIs run in, with kind (e.g. production) and server type, and the API sources (linked API Management services) syncing into them.",
  toolset: "deployments",
  input: z.object(whereFields),
  output: z.object({
    environments: z.array(
      z.object({
        name: z.string(),
        title: z.string(),
        kind: z.string(),
        description: z.string().optional(),
        serverType: z.string().optional(),
        customProperties: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
    apiSources: z.array(z.string()).optional(),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const [environments, sources] = await Promise.all([ctx.inventory.listEnvironments(where(args)), ctx.apim.listApiSources(where(args))]);
    // As the portal shows integrations under environments: one line per API source, naming where it syncs and how it is doing.
    const apiSources = sources.map((s) => `${s.name}: ${s.apimService} -> environment ${s.environment ?? "?"}, specs ${s.importSpecification}, ${linkLine(s)}`);
    return {
      structured: { environments, ...(apiSources.length ? { apiSources } : {}) },
      summary: `${environments.length} environment(s)${apiSources.length ? `, ${apiSources.length} API source(s)` : ""}.`,
    };
  },
});

export const createEnvironment = defineTool({
  name: "create_environment",
  title: "Create an environment",
  description: "Creates or updates an environment (where APIs run: a gateway, a cluster...) with kind, server type, portals and onboarding.",
  toolset: "deployments",
  input: z.object({
    environmentName: nameField("Environment"),
    title: text(LIMITS.title).optional().describe("Title"),
    kind: z.enum(ENVIRONMENT_KINDS).describe("Kind"),
    description: text(LIMITS.description).optional().describe("Description"),
    serverType: z.enum(ENVIRONMENT_SERVER_TYPES).optional().describe("What serves the APIs"),
    managementPortalUri: arg(LIMITS.portalUri).optional().describe("Management portal URL"),
    developerPortalUri: arg(LIMITS.portalUri).optional().describe("Developer portal URL"),
    onboardingInstructions: text(LIMITS.instructions).optional().describe("How to get access (markdown)"),
    customProperties: jsonObject().optional().describe("Custom property values"),
    ...writeFields,
  }),
  output: z.object(planFields),
  annotations: WRITE,
  async handler(args, ctx) {
    const server = given({ type: args.serverType, managementPortalUri: args.managementPortalUri === undefined ? undefined : [args.managementPortalUri] });
    const onboarding = given({ instructions: args.onboardingInstructions, developerPortalUri: args.developerPortalUri === undefined ? undefined : [args.developerPortalUri] });
    const properties = given({
      title: args.title ?? args.environmentName,
      kind: args.kind,
      description: args.description,
      server: Object.keys(server).length ? server : undefined,
      onboarding: Object.keys(onboarding).length ? onboarding : undefined,
      customProperties: args.customProperties,
    });
    const plan = await ctx.curation.createEnvironment(where(args), args.environmentName, properties, { dryRun: args.dryRun });
    return { structured: planOutput(plan), summary: writeSummary(plan, `Environment ${args.environmentName} (${args.kind}) saved.`, `save environment ${args.environmentName}`) };
  },
});

export const listDeployments = defineTool({
  name: "list_deployments",
  title: "List deployments",
  description: "Lists where APIs run, for one API or all: environment, version and definition deployed, runtime URLs.",
  toolset: "deployments",
  input: z.object({ apiName: nameField("API").optional().describe("Only this API's"), ...whereFields }),
  output: z.object({ deployments: z.array(deploymentOutput.extend({ api: z.string() })) }),
  annotations: READ,
  async handler(args, ctx) {
    const deployments = await ctx.inventory.listDeployments(where(args), args.apiName);
    return { structured: { deployments }, summary: `${deployments.length} deployment(s).` };
  },
});

export const createDeployment = defineTool({
  name: "create_deployment",
  title: "Create a deployment",
  description:
    "Records that an API's definition runs in an environment at the given URLs; both must exist (create_environment, import_spec).",
  toolset: "deployments",
  input: z.object({
    apiName: nameField("API"),
    deploymentName: nameField("Deployment"),
    environmentName: nameField("Environment"),
    versionName: nameField("Version"),
    definitionName: nameField("Definition"),
    runtimeUris: upTo(arg(LIMITS.url), LIMITS.runtimeUris, 1).describe("Base URLs where it answers"),
    title: text(LIMITS.title).optional().describe("Title"),
    description: text(LIMITS.deploymentDescription).optional().describe("Description"),
    state: z.enum(DEPLOYMENT_STATES).default("active").describe("Whether it is live"),
    customProperties: jsonObject().optional().describe("Custom property values"),
    ...writeFields,
  }),
  output: z.object(planFields),
  annotations: WRITE,
  async handler(args, ctx) {
    const r = await ctx.curation.createDeployment(
      where(args),
      {
        api: args.apiName,
        deployment: args.deploymentName,
        environment: args.environmentName,
        version: args.versionName,
        definition: args.definitionName,
        runtimeUris: args.runtimeUris,
        state: args.state,
        ...given({ title: args.title, description: args.description, customProperties: args.customProperties }),
      },
      { dryRun: args.dryRun },
    );
    return {
      structured: planOutput(r),
      summary: writeSummary(r, `${args.apiName} ${args.versionName} is deployed to ${args.environmentName} at ${args.runtimeUris.join(", ")}.`, `deploy ${args.apiName} to ${args.environmentName}`),
    };
  },
});
