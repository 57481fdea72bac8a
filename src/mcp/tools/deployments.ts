/** Tools for environments and deployments. */
import { z } from "zod";
import { DEPLOYMENT_STATES, ENVIRONMENT_KINDS, ENVIRONMENT_SERVER_TYPES } from "../../domain/vocabulary.js";
import { deploymentOutput } from "../schemas.js";
import { READ, WRITE, defineTool, nameField, planFields, planOutput, serviceField, where, workspaceField, writeFields, writeText } from "../define-tool.js";


const environmentRow = z.object({
  name: z.string(),
  title: z.string(),
  kind: z.string(),
  description: z.string().optional(),
  serverType: z.string().optional(),
  customProperties: z.record(z.string(), z.unknown()).optional(),
});

export const listEnvironments = defineTool({
  name: "list_environments",
  title: "List environments",
  description:
    "Lists the environments APIs are deployed to (name, title, kind such as production, server type). Use it to find environment names for create_deployment or list_apis' environment filter.",
  toolset: "deployments",
  input: z.object({ workspaceName: workspaceField, service: serviceField }),
  output: z.object({ environments: z.array(environmentRow) }),
  annotations: READ,
  async handler(args, ctx) {
    const environments = await ctx.inventory.listEnvironments(where(args));
    return {
      structured: { environments },
      text: `${environments.length} environment(s)${environments.length ? `: ${environments.map((e) => `${e.name} (${e.kind})`).join(", ")}` : ""}.`,
    };
  },
});

export const createEnvironment = defineTool({
  name: "create_environment",
  title: "Create an environment",
  description:
    "Creates or updates an environment (a place APIs run: a gateway, a cluster...) with its kind, server type, portals and onboarding instructions. Use create_deployment afterwards to record an API deployed there.",
  toolset: "deployments",
  input: z.object({
    environmentName: nameField("Environment"),
    title: z.string().max(50).optional().describe("Display title; the name when omitted"),
    kind: z.enum(ENVIRONMENT_KINDS).describe("Environment kind"),
    description: z.string().optional().describe("Description"),
    serverType: z.enum(ENVIRONMENT_SERVER_TYPES).optional().describe("What serves the APIs there"),
    managementPortalUri: z.string().optional().describe("Management portal URL"),
    developerPortalUri: z.string().optional().describe("Developer portal URL"),
    onboardingInstructions: z.string().optional().describe("How to get access (markdown)"),
    customProperties: z.record(z.string(), z.unknown()).optional().describe("Values for the metadata schemas assigned to environments"),
    ...writeFields,
  }),
  output: z.object({ environmentName: z.string(), kind: z.string(), ...planFields }),
  annotations: WRITE,
  async handler(args, ctx) {
    const server = Object.fromEntries(
      Object.entries({ type: args.serverType, managementPortalUri: args.managementPortalUri ? [args.managementPortalUri] : undefined }).filter(([, v]) => v !== undefined),
    );
    const onboarding = Object.fromEntries(
      Object.entries({ instructions: args.onboardingInstructions, developerPortalUri: args.developerPortalUri ? [args.developerPortalUri] : undefined }).filter(([, v]) => v !== undefined),
    );
    const properties = Object.fromEntries(
      Object.entries({
        title: args.title ?? args.environmentName,
        kind: args.kind,
        description: args.description,
        server: Object.keys(server).length ? server : undefined,
        onboarding: Object.keys(onboarding).length ? onboarding : undefined,
        customProperties: args.customProperties,
      }).filter(([, v]) => v !== undefined),
    );
    const plan = await ctx.curation.createEnvironment(where(args), args.environmentName, properties, { dryRun: args.dryRun });
    return {
      structured: { environmentName: args.environmentName, kind: args.kind, ...planOutput(plan) },
      text: writeText(plan, `Environment ${args.environmentName} (${args.kind}) saved.`, `save environment ${args.environmentName}`),
    };
  },
});

const deploymentRow = deploymentOutput.extend({ api: z.string() });

export const listDeployments = defineTool({
  name: "list_deployments",
  title: "List deployments",
  description:
    "Lists where APIs are deployed: for one API, or for every API when apiName is omitted; each row names the environment, the version and definition deployed, and the runtime URLs. Use get_api for one API with its versions too.",
  toolset: "deployments",
  input: z.object({ apiName: nameField("API").optional().describe("Only this API's deployments"), workspaceName: workspaceField, service: serviceField }),
  output: z.object({ deployments: z.array(deploymentRow) }),
  annotations: READ,
  async handler(args, ctx) {
    const deployments = await ctx.inventory.listDeployments(where(args), args.apiName);
    return {
      structured: { deployments },
      text: `${deployments.length} deployment(s)${deployments.length ? `: ${deployments.slice(0, 10).map((d) => `${d.api}@${d.environment ?? "?"}`).join(", ")}${deployments.length > 10 ? ", ..." : ""}` : ""}.`,
    };
  },
});

export const createDeployment = defineTool({
  name: "create_deployment",
  title: "Create a deployment",
  description:
    "Records that a definition of an API runs in an environment at the given runtime URLs. Takes names (API, version, definition, environment) and builds the workspace-relative ids itself; " +
    "the environment and the definition must exist (create_environment, import_spec). Returns the ids used, and on dryRun the ARM call.",
  toolset: "deployments",
  input: z.object({
    apiName: nameField("API"),
    deploymentName: nameField("Deployment"),
    environmentName: nameField("Environment"),
    versionName: nameField("Version"),
    definitionName: nameField("Definition"),
    runtimeUris: z.array(z.string()).min(1).describe("Base URLs where the API answers"),
    title: z.string().max(50).optional().describe("Display title; '<api> in <environment>' when omitted"),
    description: z.string().max(500).optional().describe("Description"),
    state: z.enum(DEPLOYMENT_STATES).default("active").describe("Whether it is live"),
    customProperties: z.record(z.string(), z.unknown()).optional().describe("Values for the metadata schemas assigned to deployments"),
    ...writeFields,
  }),
  output: z.object({ deploymentName: z.string(), environmentId: z.string(), definitionId: z.string(), ...planFields }),
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
        ...Object.fromEntries(Object.entries({ title: args.title, description: args.description, customProperties: args.customProperties }).filter(([, v]) => v !== undefined)),
      },
      { dryRun: args.dryRun },
    );
    return {
      structured: { deploymentName: args.deploymentName, environmentId: r.environmentId, definitionId: r.definitionId, ...planOutput(r) },
      text: writeText(r, `${args.apiName} ${args.versionName} is deployed to ${args.environmentName} at ${args.runtimeUris.join(", ")}.`, `deploy ${args.apiName} to ${args.environmentName}`),
    };
  },
});
