/**
 * Metadata schemas: validating a schema when it is written, validating entities' custom properties
 * against the schemas assigned to their kind (as the service does: required ones must be present,
 * unknown ones are refused, values must match), and the merged schema `exportMetadataSchema` returns.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { StoredResource } from "./store.js";

type Entity = "api" | "environment" | "deployment";

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false, validateFormats: true }));
const compiled = new Map<string, ValidateFunction>();

function compile(schemaText: string): ValidateFunction {
  let fn = compiled.get(schemaText);
  if (!fn) {
    fn = ajv.compile(JSON.parse(schemaText) as object);
    if (compiled.size > 500) compiled.clear();
    compiled.set(schemaText, fn);
  }
  return fn;
}

/** Why a metadata schema's `schema` text is unusable, or null when it is a valid JSON Schema. */
export function schemaProblem(schemaText: string): string | null {
  try {
    JSON.parse(schemaText);
  } catch (e) {
    return `properties.schema is not valid JSON (${(e as Error).message}); pass a JSON Schema as a string, e.g. "{\\"type\\":\\"string\\"}"`;
  }
  try {
    compile(schemaText);
    return null;
  } catch (e) {
    return `properties.schema is not a valid JSON Schema: ${(e as Error).message}`;
  }
}

interface Assigned {
  name: string;
  schema: string;
  required: boolean;
}

function assignedTo(entity: Entity, schemas: StoredResource[]): Assigned[] {
  const out: Assigned[] = [];
  for (const s of schemas) {
    const assignments = (s.doc.properties.assignedTo as Array<Record<string, unknown>> | undefined) ?? [];
    const mine = assignments.filter((a) => String(a.entity).toLowerCase() === entity);
    if (mine.length === 0) continue;
    out.push({
      name: s.name,
      schema: s.doc.properties.schema as string,
      required: mine.some((a) => a.required === true && a.deprecated !== true),
    });
  }
  return out;
}

/** Why `customProperties` of an entity is refused, or null when it passes its schemas. */
export function customPropertiesProblem(
  entity: Entity,
  customProperties: Record<string, unknown> | undefined,
  schemas: StoredResource[],
): string | null {
  const values = customProperties ?? {};
  const assigned = assignedTo(entity, schemas);
  const byName = new Map(assigned.map((a) => [a.name.toLowerCase(), a]));
  for (const a of assigned) {
    if (a.required && !Object.keys(values).some((k) => k.toLowerCase() === a.name.toLowerCase())) {
      return `customProperties.${a.name} is required for every ${entity} (metadata schema '${a.name}' is assigned as required); set it`;
    }
  }
  for (const [key, value] of Object.entries(values)) {
    const a = byName.get(key.toLowerCase());
    if (!a) {
      return `customProperties.${key} is not defined for ${entity} entities: create a metadata schema named '${key}' assigned to '${entity}', or remove the property`;
    }
    const validate = compile(a.schema);
    if (!validate(value)) {
      const why = (validate.errors ?? []).map((e) => `${e.instancePath || "value"} ${e.message}`).join("; ");
      return `customProperties.${key} does not match metadata schema '${a.name}': ${why}`;
    }
  }
  return null;
}

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
const BASE_FIELDS: Record<Entity, Record<string, unknown>> = {
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
export function exportedSchema(entity: Entity, schemas: StoredResource[]): string {
  const assigned = assignedTo(entity, schemas);
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
