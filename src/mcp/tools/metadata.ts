/** Tools for metadata schemas (the custom properties of APIs, environments and deployments), and services with their workspaces. */
import { z } from "zod";
import { METADATA_ENTITIES } from "../../domain/vocabulary.js";
import { LIMITS, READ, WRITE, arg, defineTool, dryRunField, given, jsonObject, nameField, upTo, planFields, planOutput, serviceField, where, writeSummary } from "../define-tool.js";

const assignment = z.strictObject({
  entity: z.enum(METADATA_ENTITIES).describe("Which entities carry it"),
  required: z.boolean().default(false).describe("Whether each must set it"),
  deprecated: z.boolean().optional().describe("No longer offered"),
});

export const defineMetadata = defineTool({
  name: "define_metadata",
  title: "Define a metadata schema",
  description:
    "Creates or updates a custom property: its JSON Schema and the entities carrying it, required or not. Entities set it in customProperties; the service checks values.",
  toolset: "metadata",
  input: z.object({
    metadataSchemaName: nameField("Property").describe("Property name, e.g. owner-team"),
    schema: z.union([jsonObject(), arg(LIMITS.json)]).describe("JSON Schema of the value, e.g. {\"type\":\"string\"}"),
    assignedTo: upTo(assignment, 3, 1).describe("Where it applies"),
    dryRun: dryRunField,
    service: serviceField,
  }),
  output: z.object(planFields),
  annotations: WRITE,
  async handler(args, ctx) {
    const plan = await ctx.curation.defineMetadata(where(args), args.metadataSchemaName, args.schema, args.assignedTo, { dryRun: args.dryRun });
    const to = args.assignedTo.map((a) => `${a.entity}${a.required ? " (required)" : ""}`).join(", ");
    return { structured: planOutput(plan), summary: writeSummary(plan, `Metadata schema ${args.metadataSchemaName} applies to ${to}.`, `define ${args.metadataSchemaName} for ${to}`) };
  },
});

export const listMetadataSchemas = defineTool({
  name: "list_metadata_schemas",
  title: "List metadata schemas",
  description: "Lists the custom properties: each one's JSON Schema and the entities carrying it.",
  toolset: "metadata",
  input: z.object({ service: serviceField }),
  output: z.object({
    metadataSchemas: z.array(z.object({ name: z.string(), schema: z.unknown(), assignedTo: z.array(z.object({ entity: z.string(), required: z.boolean(), deprecated: z.boolean().optional() })) })),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const metadataSchemas = await ctx.inventory.listMetadataSchemas(where(args));
    return { structured: { metadataSchemas }, summary: `${metadataSchemas.length} metadata schema(s).` };
  },
});

export const listServices = defineTool({
  name: "list_services",
  title: "List services and workspaces",
  description: "Lists the API Center services of the subscription or a resource group, and the configured one's workspaces. Other tools take service: an ARM id or group/name[/workspace].",
  toolset: "services",
  input: z.object({
    subscriptionId: arg(LIMITS.name).optional().describe("Another subscription"),
    resourceGroup: arg(LIMITS.name).optional().describe("Only this resource group"),
  }),
  output: z.object({
    services: z.array(z.object({ name: z.string(), resourceGroup: z.string(), subscriptionId: z.string(), location: z.string() })),
    configured: z.string(),
    workspaces: z.array(z.string()),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const [services, workspaces] = await Promise.all([
      ctx.inventory.listServices(given({ subscriptionId: args.subscriptionId, resourceGroup: args.resourceGroup })),
      ctx.inventory.listWorkspaces({}),
    ]);
    const configured = ctx.inventory.gateway.defaultService;
    return {
      structured: { services, configured: `${configured.resourceGroup}/${configured.serviceName}`, workspaces: workspaces.map((w) => w.name) },
      summary: `${services.length} service(s); the configured one has ${workspaces.length} workspace(s).`,
    };
  },
});
