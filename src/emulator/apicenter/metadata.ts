/**
 * The merged JSON Schema `exportMetadataSchema` returns for an entity kind: the built-in fields live
 * Azure answers with, plus the custom properties assigned to that kind (rules in arm/custom-properties).
 */
import { assignedTo, type MetadataEntityName, type MetadataSchemaRecord } from "../../arm/custom-properties.js";
import type { StoredResource } from "../store.js";

/** The emulator's stored schemas in the form the wire contract's rules read. */
export const schemaRecords = (schemas: StoredResource[]): MetadataSchemaRecord[] =>
  schemas.map((s) => ({
    name: s.name,
    schema: s.doc.properties.schema as string,
    assignedTo: (s.doc.properties.assignedTo as MetadataSchemaRecord["assignedTo"] | undefined) ?? [],
  }));

const str = { type: "string" };
const dateTime = { type: "string", format: "date-time" };
const nameOnly = { type: "object", additionalProperties: false, properties: { Name: str } };
const uri = (description: string, maxLength: number) => ({ description, type: "string", maxLength, format: "uri" });

/** The service-wide fields every exported schema ends with (as live Azure answers). */
const CATALOG_FIELDS = {
  CatalogNameTypeSafe: nameOnly,
  CatalogName: str,
  SubscriptionId: str,
  SubscriptionIdTypeSafe: str,
  ResourceGroupName: str,
  ResourceGroupNameTypeSafe: nameOnly,
  ETag: str,
  Created: dateTime,
  Updated: dateTime,
  CreatedBy: str,
  UpdatedBy: str,
};

/** The built-in part of each entity's exported schema, as recorded from live Azure. */
const BASE_FIELDS: Record<MetadataEntityName, Record<string, unknown>> = {
  api: {
    Name: str,
    WorkspaceName: str,
    Title: str,
    Summary: str,
    Description: str,
    Kind: str,
    LifecycleStage: { type: "string", enum: ["design", "development", "testing", "preview", "production", "deprecated", "retired"] },
    TermsOfService: { type: "object", properties: { url: uri("URL pointing to the terms of service.", 200) } },
    License: {
      type: "object",
      properties: {
        name: { description: "Name of the license.", type: "string", maxLength: 50 },
        url: uri("URL pointing to the license details. The URL field is mutually exclusive of the identifier field.", 200),
        identifier: uri("SPDX license information for the API. The identifier field is mutually exclusive of the URL field.", 200),
      },
    },
    ExternalDocumentation: {
      type: "array",
      items: {
        type: "object",
        properties: {
          title: { description: "Title of the documentation.", type: "string", maxLength: 50 },
          description: { description: "Description of the documentation.", type: "string", maxLength: 1000 },
          url: uri("URL pointing to the documentation.", 200),
        },
      },
    },
    Contacts: {
      type: "array",
      items: {
        type: "object",
        properties: {
          name: { description: "Name of the contact.", type: "string", maxLength: 100 },
          url: uri("URL for the contact.", 200),
          email: { description: "Email address for the contact.", type: "string", maxLength: 100, format: "email" },
        },
      },
    },
    CustomPropertiesData: {},
    ApiSourceName: str,
    ...CATALOG_FIELDS,
  },
  environment: {
    Id: str,
    WorkspaceName: str,
    Name: str,
    title: { description: "The name of the environment.", type: "string", maxLength: 50 },
    kind: { description: "Kind of deployment environment.", type: "string" },
    description: { description: "Description of the environment.", type: "string", maxLength: 1000 },
    server: {
      description: "Server information of the environment.",
      type: "object",
      properties: {
        type: { description: "Type of the server that represents the environment.", type: "string" },
        managementPortalUri: { description: "URIs of the server's management portal.", type: "array", items: str, maxItems: 200 },
      },
    },
    onboarding: {
      description: "Onboarding information for this environment.",
      type: "object",
      properties: {
        instructions: { description: "Instructions how to onboard to the environment.", type: "string", maxLength: 1000 },
        developerPortalUri: { description: "Developer portal URIs of the environment.", type: "array", items: str, maxItems: 200 },
      },
    },
  },
  deployment: {
    Id: str,
    WorkspaceName: str,
    ApiName: str,
    Name: str,
    Title: str,
    Description: str,
    EnvironmentId: str,
    DefinitionId: str,
    Server: {
      type: "object",
      properties: {
        runtimeUri: { description: "Base runtime URIs for this deployment.", type: "array", items: str, maxItems: 200 },
      },
      required: ["runtimeUri"],
    },
    CustomPropertiesData: {},
    Recommended: { type: "boolean" },
    ApiSourceName: str,
    ...CATALOG_FIELDS,
  },
};

/** The JSON Schema `exportMetadataSchema` answers for an entity: built-in fields plus the assigned custom ones. */
export function exportedSchema(entity: MetadataEntityName, schemas: StoredResource[]): string {
  const assigned = assignedTo(entity, schemaRecords(schemas));
  const customProperties = {
    type: "object",
    properties: Object.fromEntries(assigned.map((a) => [a.name, JSON.parse(a.schema) as unknown])),
    unevaluatedProperties: false,
    required: assigned.filter((a) => a.required).map((a) => a.name),
  };
  // Live Azure places customProperties before the service-wide fields for environments only.
  const doc =
    entity === "environment"
      ? {
          type: "object",
          properties: { ...BASE_FIELDS.environment, customProperties, apiSourceName: { description: "The Id of the API Source, in case the Deployment linked.", type: "string" }, ...CATALOG_FIELDS },
          required: ["title", "kind"],
        }
      : { type: "object", properties: { ...BASE_FIELDS[entity], customProperties } };
  return JSON.stringify(doc);
}
