/** Tools for metadata schemas (the custom properties of APIs, environments and deployments), services and workspaces. */
import { z } from "zod";
import { METADATA_ENTITIES } from "../../domain/vocabulary.js";
import { READ, WRITE, defineTool, dryRunField, nameField, planFields, planOutput, serviceField, where, writeText } from "../define-tool.js";

const assignment = z.object({
  entity: z.enum(METADATA_ENTITIES).describe("Which kind of entity carries the property"),
  required: z.boolean().default(false).describe("Whether every such entity must set it"),
  deprecated: z.boolean().optional().describe("Kept for old values but no longer offered"),
});

export const defineMetadata = defineTool({
  name: "define_metadata",
  title: "Define a metadata schema",
  description:
    "Creates or updates a metadata schema: a custom property (its JSON Schema: type, enum, pattern...) and which entities carry it (api / environment / deployment, required or optional). " +
    "Entities then set it under customProperties with this schema's name, and the service checks their values. Returns the schema, and on dryRun the ARM call.",
  toolset: "metadata",
  input: z.object({
    metadataSchemaName: nameField("Metadata schema").describe("The property's name (3-90 letters, digits or hyphens), e.g. owner-team"),
    schema: z
      .union([z.record(z.string(), z.unknown()), z.string()])
      .describe("The JSON Schema of the value, as an object (or its JSON text), e.g. {\"type\":\"string\",\"enum\":[\"payments\",\"orders\"]}"),
    assignedTo: z.array(assignment).min(1).describe("Where the property applies"),
    dryRun: dryRunField,
    service: serviceField,
  }),
  output: z.object({ metadataSchemaName: z.string(), assignedTo: z.array(z.object({ entity: z.string(), required: z.boolean() })), ...planFields }),
  annotations: WRITE,
  async handler(args, ctx) {
    const plan = await ctx.curation.defineMetadata(where(args), args.metadataSchemaName, args.schema, args.assignedTo, { dryRun: args.dryRun });
    const to = args.assignedTo.map((a) => `${a.entity}${a.required ? " (required)" : ""}`).join(", ");
    return {
      structured: { metadataSchemaName: args.metadataSchemaName, assignedTo: args.assignedTo.map((a) => ({ entity: a.entity, required: a.required })), ...planOutput(plan) },
      text: writeText(plan, `Metadata schema ${args.metadataSchemaName} applies to ${to}.`, `define ${args.metadataSchemaName} for ${to}`),
    };
  },
});

export const listMetadataSchemas = defineTool({
  name: "list_metadata_schemas",
  title: "List metadata schemas",
  description:
    "Lists the custom properties defined for the inventory: each schema's name, its JSON Schema, and which entities carry it (required or not). Use it before setting customProperties or filtering list_apis by them.",
  toolset: "metadata",
  input: z.object({ service: serviceField }),
  output: z.object({
    metadataSchemas: z.array(z.object({ name: z.string(), schema: z.unknown(), assignedTo: z.array(z.object({ entity: z.string(), required: z.boolean(), deprecated: z.boolean().optional() })) })),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const metadataSchemas = await ctx.inventory.listMetadataSchemas(where(args));
    return { structured: { metadataSchemas }, text: `${metadataSchemas.length} metadata schema(s)${metadataSchemas.length ? `: ${metadataSchemas.map((m) => m.name).join(", ")}` : ""}.` };
  },
});

export const listServices = defineTool({
  name: "list_services",
  title: "List API Center services",
  description:
    "Lists the API Center services in the configured subscription (or one resource group), with their resource group and region. Use it when an organization has more than one; other tools take a service override.",
  toolset: "services",
  input: z.object({ service: serviceField }),
  output: z.object({ services: z.array(z.object({ name: z.string(), resourceGroup: z.string(), subscriptionId: z.string(), location: z.string() })), configured: z.string() }),
  annotations: READ,
  async handler(args, ctx) {
    const services = await ctx.inventory.listServices(args.service);
    const configured = ctx.inventory.gateway.defaultService.serviceName;
    return { structured: { services, configured }, text: `${services.length} service(s): ${services.map((s) => `${s.name} (${s.resourceGroup})`).join(", ")}; configured: ${configured}.` };
  },
});

export const listWorkspaces = defineTool({
  name: "list_workspaces",
  title: "List workspaces",
  description: "Lists the workspaces of the API Center service (today every service has one, 'default'). Other tools take workspaceName.",
  toolset: "services",
  input: z.object({ service: serviceField }),
  output: z.object({ workspaces: z.array(z.object({ name: z.string(), title: z.string() })) }),
  annotations: READ,
  async handler(args, ctx) {
    const workspaces = await ctx.inventory.listWorkspaces(where(args));
    return { structured: { workspaces }, text: `${workspaces.length} workspace(s): ${workspaces.map((w) => w.name).join(", ")}.` };
  },
});
