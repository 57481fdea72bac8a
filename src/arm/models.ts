/**
 * The Microsoft.ApiCenter 2024-03-01 payloads as zod schemas: the one source of model truth for the
 * client (typing what it sends and receives) and the local API Center (validating what it accepts).
 * test/arm/models.test.ts checks them against the swagger's definitions.
 */
import { z } from "zod";
import type { ResourceKind } from "./resource-types.js";

export const LIFECYCLE_STAGES = ["design", "development", "testing", "preview", "production", "deprecated", "retired"] as const;
/** `mcp` is accepted by the live service (registered MCP servers) though no stored swagger lists it yet. */
export const API_KINDS = ["rest", "graphql", "grpc", "soap", "webhook", "websocket", "mcp"] as const;
export const ENVIRONMENT_KINDS = ["development", "testing", "staging", "production"] as const;
export const ENVIRONMENT_SERVER_TYPES = [
  "Azure API Management",
  "Azure compute service",
  "Apigee API Management",
  "AWS API Gateway",
  "Kong API Gateway",
  "Kubernetes",
  "MuleSoft API Management",
] as const;
export const DEPLOYMENT_STATES = ["active", "inactive"] as const;
export const METADATA_ENTITIES = ["api", "environment", "deployment"] as const;
export const IMPORT_FORMATS = ["inline", "link"] as const;

/**
 * The service's enums are extensible strings (x-ms-enum modelAsString) that it matches without regard
 * to case and stores as given: APIs imported from API Management come back with kind "REST".
 */
function ciEnum<const T extends readonly string[]>(values: T) {
  const lower = values.map((v) => v.toLowerCase());
  return z.string().refine((v) => lower.includes(v.toLowerCase()), {
    message: `must be one of ${values.map((v) => `'${v}'`).join(", ")}`,
  }) as unknown as z.ZodType<T[number]>;
}

export const LifecycleStage = ciEnum(LIFECYCLE_STAGES);
export const ApiKind = ciEnum(API_KINDS);
export const EnvironmentKind = ciEnum(ENVIRONMENT_KINDS);
export const MetadataEntity = ciEnum(METADATA_ENTITIES);
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export type ApiKind = (typeof API_KINDS)[number];
export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];
export type MetadataEntity = (typeof METADATA_ENTITIES)[number];

/** The limits the swagger states, in characters (items for lists). */
export const STATED_LIMITS = {
  title: 50,
  summary: 200,
  apiDescription: 1000,
  deploymentDescription: 500,
  contactName: 100,
  email: 100,
  url: 200,
  licenseName: 100,
  licenseIdentifier: 50,
  docsTitle: 50,
  docsDescription: 500,
  externalDocs: 20,
} as const;
const S = STATED_LIMITS;

const title = z.string().min(1).max(S.title);
/** Live Azure stores URLs as given (recordings send `example.com`), so `format: uri` is not enforced. */
const url = (max: number) => z.string().max(max);

export const Contact = z.object({
  name: z.string().max(S.contactName).optional(),
  url: url(S.url).optional(),
  email: z.string().max(S.email).optional(),
});
export const License = z.object({
  name: z.string().max(S.licenseName).optional(),
  url: url(S.url).optional(),
  identifier: z.string().max(S.licenseIdentifier).optional(),
});
export const ExternalDocumentation = z.object({
  title: z.string().max(S.docsTitle).optional(),
  description: z.string().max(S.docsDescription).optional(),
  url: url(S.url),
});
export const TermsOfService = z.object({ url: url(S.url) });
export const CustomProperties = z.record(z.string(), z.unknown());

export const ServiceProperties = z.object({
  // Succeeded, Failed or Canceled when done; the swagger models it as an open string, and a service
  // being created says so (Provisioning, Updating...): one such service must not fail a whole list.
  provisioningState: z.string().optional(),
  dataApiHostname: z.string().optional(),
});
const IDENTITY_TYPES = ["none", "systemassigned", "userassigned", "systemassigned,userassigned"];
export const ManagedServiceIdentity = z.object({
  /** ARM reads the type without regard to case or spaces ("SystemAssigned, UserAssigned" is common). */
  type: z.string().refine((t) => IDENTITY_TYPES.includes(t.replace(/\s+/g, "").toLowerCase()), {
    message: "must be one of None, SystemAssigned, UserAssigned, 'SystemAssigned,UserAssigned'",
  }),
  principalId: z.string().optional(),
  tenantId: z.string().optional(),
  userAssignedIdentities: z.record(z.string(), z.object({}).passthrough().nullable()).optional(),
});
/** ARM's limits on tags: 50 per resource, names up to 512 characters, values up to 256. */
const Tags = z.record(z.string().max(512), z.string().max(256)).refine((t) => Object.keys(t).length <= 50, { message: "at most 50 tags" });
export const ServicePayload = z.object({
  location: z.string().min(1).max(100),
  tags: Tags.optional(),
  identity: ManagedServiceIdentity.optional(),
  sku: z.object({ name: z.string() }).passthrough().optional(),
  properties: ServiceProperties.optional(),
});
export const ServiceUpdatePayload = z.object({
  tags: Tags.optional(),
  identity: ManagedServiceIdentity.optional(),
  sku: z.object({ name: z.string() }).passthrough().optional(),
});

export const MetadataAssignment = z.object({
  entity: MetadataEntity.optional(),
  required: z.boolean().optional(),
  deprecated: z.boolean().optional(),
});
export const MetadataSchemaProperties = z.object({
  schema: z.string().min(1),
  assignedTo: z.array(MetadataAssignment).optional(),
});

export const WorkspaceProperties = z.object({ title, description: z.string().optional() });

export const ApiProperties = z.object({
  title,
  kind: ApiKind,
  description: z.string().max(S.apiDescription).optional(),
  summary: z.string().max(S.summary).optional(),
  lifecycleStage: LifecycleStage.optional(),
  termsOfService: TermsOfService.optional(),
  externalDocumentation: z.array(ExternalDocumentation).max(S.externalDocs).optional(),
  contacts: z.array(Contact).optional(),
  license: License.optional(),
  customProperties: CustomProperties.optional(),
});

export const ApiVersionProperties = z.object({ title, lifecycleStage: LifecycleStage });

export const SpecificationRef = z.object({ name: z.string().optional(), version: z.string().optional() });
export const ApiDefinitionProperties = z.object({
  title,
  description: z.string().optional(),
  specification: SpecificationRef.optional(),
});

export const DeploymentProperties = z.object({
  title: title.optional(),
  description: z.string().max(S.deploymentDescription).optional(),
  environmentId: z.string().optional(),
  definitionId: z.string().optional(),
  state: ciEnum(DEPLOYMENT_STATES).optional(),
  server: z.object({ runtimeUri: z.array(url(S.url)).optional() }).optional(),
  customProperties: CustomProperties.optional(),
  recommended: z.boolean().optional(),
});

export const EnvironmentProperties = z.object({
  title,
  description: z.string().optional(),
  kind: EnvironmentKind,
  server: z
    .object({
      type: ciEnum(ENVIRONMENT_SERVER_TYPES).optional(),
      managementPortalUri: z.array(z.string()).max(1).optional(),
    })
    .optional(),
  onboarding: z
    .object({
      instructions: z.string().optional(),
      developerPortalUri: z.array(z.string()).max(1).optional(),
    })
    .optional(),
  customProperties: CustomProperties.optional(),
});

export const IMPORT_SPECIFICATION_OPTIONS = ["never", "ondemand", "always"] as const;
export const LINK_STATES = ["initializing", "syncing", "error", "deleting"] as const;
export const ImportSpecificationOption = ciEnum(IMPORT_SPECIFICATION_OPTIONS);
export type ImportSpecificationOption = (typeof IMPORT_SPECIFICATION_OPTIONS)[number];

export const AzureApiManagementSource = z.object({ resourceId: z.string().min(1), msiResourceId: z.string().optional() });

/**
 * ApiSourceProperties (2024-06-01-preview). Live Azure also answers `apiSourceType`,
 * `sourceLifecycleStage` and the source under its earlier name `apimSource` (accepted on PUT too, as
 * the early TypeSpec examples send it), and takes Amazon API Gateway sources.
 */
export const ApiSourceProperties = z.object({
  importSpecification: ImportSpecificationOption.optional(),
  azureApiManagementSource: AzureApiManagementSource.optional(),
  targetEnvironmentId: z.string().optional(),
  targetLifecycleStage: LifecycleStage.optional(),
  linkState: z.object({ state: ciEnum(LINK_STATES).optional(), message: z.string().optional(), lastUpdatedOn: z.string() }).optional(),
  apiSourceType: z.string().optional(),
  apimSource: AzureApiManagementSource.optional(),
  sourceLifecycleStage: LifecycleStage.optional(),
  amazonApiGatewaySource: z.object({}).loose().optional(),
});

/**
 * Limits the swagger does not state. The service stores what it is given and every later answer
 * carries it, so requests are capped here: the local API Center refuses more, the client sends no
 * more, the tools take no more. Answers are read without them, since live Azure may hold longer values.
 */
export const UNSTATED_LIMITS = {
  /** Workspace, definition and environment descriptions: the API description's limit. */
  description: 1000,
  /** An environment's onboarding instructions (markdown). */
  instructions: 4000,
  /** Portal URLs (the swagger's other URLs take 200). */
  portalUri: 2000,
  /** A specification's type name or version ("openapi", "3.1.0"). */
  specification: 50,
  /** A deployment's environment or definition id. */
  resourceId: 1000,
  /** Contacts of one API (external documentation takes 20). */
  contacts: 20,
  /** Runtime URLs of one deployment. */
  runtimeUris: 20,
  /** A metadata schema, or all custom properties of one entity, as JSON text. */
  json: 64 * 1024,
} as const;
const U = UNSTATED_LIMITS;

const capped = (max: number) => z.string().max(max);
const cappedJson = CustomProperties.refine((v) => JSON.stringify(v).length <= U.json, { message: `must be at most ${U.json} characters as JSON` });
const CappedSpecificationRef = z.object({ name: capped(U.specification).optional(), version: capped(U.specification).optional() });

/** The `properties` each child resource kind accepts on PUT: the swagger's models with the unstated limits. */
export const PROPERTIES_SCHEMAS = {
  metadataSchema: MetadataSchemaProperties.extend({ schema: z.string().min(1).max(U.json) }),
  workspace: WorkspaceProperties.extend({ description: capped(U.description).optional() }),
  api: ApiProperties.extend({ contacts: z.array(Contact).max(U.contacts).optional(), customProperties: cappedJson.optional() }),
  version: ApiVersionProperties,
  definition: ApiDefinitionProperties.extend({ description: capped(U.description).optional(), specification: CappedSpecificationRef.optional() }),
  deployment: DeploymentProperties.extend({
    environmentId: capped(U.resourceId).optional(),
    definitionId: capped(U.resourceId).optional(),
    server: z.object({ runtimeUri: z.array(url(S.url)).max(U.runtimeUris).optional() }).optional(),
    customProperties: cappedJson.optional(),
  }),
  environment: EnvironmentProperties.extend({
    description: capped(U.description).optional(),
    server: z
      .object({
        type: ciEnum(ENVIRONMENT_SERVER_TYPES).optional(),
        managementPortalUri: z.array(capped(U.portalUri)).max(1).optional(),
      })
      .optional(),
    onboarding: z
      .object({
        instructions: capped(U.instructions).optional(),
        developerPortalUri: z.array(capped(U.portalUri)).max(1).optional(),
      })
      .optional(),
    customProperties: cappedJson.optional(),
  }),
  apiSource: ApiSourceProperties,
} satisfies Record<Exclude<ResourceKind, "service">, z.ZodType>;

export type PropertiesOf<K extends keyof typeof PROPERTIES_SCHEMAS> = z.infer<(typeof PROPERTIES_SCHEMAS)[K]>;

export const ApiSpecImportRequest = z.object({
  value: z.string().optional(),
  format: ciEnum(IMPORT_FORMATS).optional(),
  specification: CappedSpecificationRef.optional(),
});
export type ApiSpecImportRequest = z.infer<typeof ApiSpecImportRequest>;

export const ApiSpecExportResult = z.object({ format: z.string().optional(), value: z.string().optional() });
export type ApiSpecExportResult = z.infer<typeof ApiSpecExportResult>;

export const MetadataSchemaExportRequest = z.object({ assignedTo: MetadataEntity.optional() });
export const MetadataSchemaExportResult = z.object({ format: z.string().optional(), value: z.string().optional() });
export type MetadataSchemaExportResult = z.infer<typeof MetadataSchemaExportResult>;

/** Services_ImportFromApim (live at 2024-03-01 though the stable swagger lacks it): API Management API ids, or `.../apis/*`. */
export const ImportFromApimRequest = z.object({
  sourceResourceIds: z.array(z.string().min(1)).min(1, "give at least one API Management API id (…/service/{name}/apis/{api}, or …/apis/* for all)"),
});
export type ImportFromApimRequest = z.infer<typeof ImportFromApimRequest>;

export const SystemData = z.object({
  createdBy: z.string().optional(),
  createdByType: z.string().optional(),
  createdAt: z.string().optional(),
  lastModifiedBy: z.string().optional(),
  lastModifiedByType: z.string().optional(),
  lastModifiedAt: z.string().optional(),
});

/** The envelope every resource comes back in; `properties` is typed by kind. */
export function resourceEnvelope<P extends z.ZodType>(properties: P) {
  return z.object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    systemData: SystemData.optional(),
    properties,
  });
}

export const ServiceResource = resourceEnvelope(ServiceProperties).extend({
  location: z.string(),
  tags: z.record(z.string(), z.string()).optional(),
  identity: ManagedServiceIdentity.optional(),
  sku: z.object({ name: z.string() }).passthrough().optional(),
});
export type ServiceResource = z.infer<typeof ServiceResource>;

/** Responses carry what the service added (e.g. `recommended` on deployments), so they are loose. */
export const RESOURCE_SCHEMAS = {
  metadataSchema: resourceEnvelope(MetadataSchemaProperties.loose()),
  workspace: resourceEnvelope(WorkspaceProperties.loose()),
  api: resourceEnvelope(ApiProperties.loose()),
  version: resourceEnvelope(ApiVersionProperties.loose()),
  definition: resourceEnvelope(ApiDefinitionProperties.loose()),
  deployment: resourceEnvelope(DeploymentProperties.loose()),
  environment: resourceEnvelope(EnvironmentProperties.loose()),
  apiSource: resourceEnvelope(ApiSourceProperties.loose()),
} as const;

export type ChildKind = keyof typeof RESOURCE_SCHEMAS;
export type ResourceOf<K extends ChildKind> = z.infer<(typeof RESOURCE_SCHEMAS)[K]>;

export const OperationResult = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  status: z.string(),
  startTime: z.string().optional(),
  endTime: z.string().optional(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
});
export type OperationResult = z.infer<typeof OperationResult>;
