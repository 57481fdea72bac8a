/**
 * The Microsoft.ApiManagement 2022-08-01 payloads an API Center import needs, as zod schemas: the
 * service (with its long-running create), APIs, their operations and schemas, the export result, and
 * the status an operationResults poll answers. One source of model truth for the APIM client and the
 * local API Management; test/arm/apim-models.test.ts checks them against the swagger's definitions.
 */
import { z } from "zod";

export const APIM_PROVIDER = "Microsoft.ApiManagement";
export const APIM_API_VERSION = "2022-08-01";

export const APIM_SKUS = ["Developer", "Standard", "Premium", "Basic", "Consumption", "Isolated"] as const;
export const APIM_API_TYPES = ["http", "soap", "websocket", "graphql"] as const;
/** What an API's create accepts as `format` to import a description along with it. */
export const APIM_IMPORT_FORMATS = [
  "wadl-xml",
  "wadl-link-json",
  "swagger-json",
  "swagger-link-json",
  "wsdl",
  "wsdl-link",
  "openapi",
  "openapi+json",
  "openapi-link",
  "openapi+json-link",
  "graphql-link",
] as const;
/** What `?export=true&format=` accepts: in 2022-08-01 only links to a blob. */
export const APIM_EXPORT_FORMATS = ["swagger-link", "wadl-link", "wsdl-link", "openapi-link", "openapi+json-link"] as const;
/** What an export answers as its `format`, by the format asked for. */
export const APIM_EXPORT_RESULT_FORMAT: Record<(typeof APIM_EXPORT_FORMATS)[number], string> = {
  "swagger-link": "swagger-link-json",
  "wadl-link": "wadl-link-json",
  "wsdl-link": "wsdl-link+xml",
  "openapi-link": "openapi-link",
  "openapi+json-link": "openapi-link",
};

/** APIM enums are extensible strings matched without regard to case. */
function ciEnum<const T extends readonly string[]>(values: T) {
  const lower = values.map((v) => v.toLowerCase());
  return z.string().refine((v) => lower.includes(v.toLowerCase()), {
    message: `must be one of ${values.map((v) => `'${v}'`).join(", ")}`,
  }) as unknown as z.ZodType<T[number]>;
}

// ---- the service ----

export const ApimSku = z.object({ name: ciEnum(APIM_SKUS), capacity: z.number().int().min(0) });

export const HostnameConfiguration = z
  .object({
    type: ciEnum(["Proxy", "Portal", "Management", "Scm", "DeveloperPortal"]),
    hostName: z.string(),
    keyVaultId: z.string().nullish(),
    identityClientId: z.string().nullish(),
    encodedCertificate: z.string().nullish(),
    certificatePassword: z.string().nullish(),
    defaultSslBinding: z.boolean().optional(),
    negotiateClientCertificate: z.boolean().optional(),
    certificate: z.object({}).loose().nullish(),
    certificateSource: z.string().nullish(),
    certificateStatus: z.string().nullish(),
  })
  .loose();

/**
 * ApiManagementServiceBaseProperties + ApiManagementServiceProperties. Read-only fields are listed
 * (the swagger has them, a GET answers them) but a PUT's values for them are ignored.
 */
export const ApimServiceProperties = z.object({
  publisherEmail: z.string().min(1).max(100),
  publisherName: z.string().min(1).max(100),
  notificationSenderEmail: z.string().max(100).nullish(),
  provisioningState: z.string().optional(),
  targetProvisioningState: z.string().optional(),
  createdAtUtc: z.string().optional(),
  gatewayUrl: z.string().nullish(),
  gatewayRegionalUrl: z.string().nullish(),
  portalUrl: z.string().nullish(),
  managementApiUrl: z.string().nullish(),
  scmUrl: z.string().nullish(),
  developerPortalUrl: z.string().nullish(),
  hostnameConfigurations: z.array(HostnameConfiguration).nullish(),
  publicIPAddresses: z.array(z.string()).nullish(),
  privateIPAddresses: z.array(z.string()).nullish(),
  publicIpAddressId: z.string().nullish(),
  publicNetworkAccess: ciEnum(["Enabled", "Disabled"]).nullish(),
  virtualNetworkConfiguration: z.object({}).loose().nullish(),
  additionalLocations: z.array(z.object({}).loose()).nullish(),
  customProperties: z.record(z.string(), z.string()).nullish(),
  certificates: z.array(z.object({}).loose()).nullish(),
  enableClientCertificate: z.boolean().nullish(),
  natGatewayState: ciEnum(["Enabled", "Disabled"]).nullish(),
  outboundPublicIPAddresses: z.array(z.string()).nullish(),
  disableGateway: z.boolean().nullish(),
  virtualNetworkType: ciEnum(["None", "External", "Internal"]).nullish(),
  apiVersionConstraint: z.object({ minApiVersion: z.string().nullish() }).nullish(),
  restore: z.boolean().nullish(),
  privateEndpointConnections: z.array(z.object({}).loose()).nullish(),
  platformVersion: z.string().optional(),
});
export type ApimServiceProperties = z.infer<typeof ApimServiceProperties>;

export const ApimServiceIdentity = z.object({
  type: ciEnum(["SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned", "None"]),
  principalId: z.string().optional(),
  tenantId: z.string().optional(),
  userAssignedIdentities: z.record(z.string(), z.object({}).loose()).optional(),
});

/** ApiManagementServiceResource as a PUT sends it. */
export const ApimServicePayload = z.object({
  location: z.string().min(1),
  sku: ApimSku,
  properties: ApimServiceProperties,
  identity: ApimServiceIdentity.nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
  zones: z.array(z.string()).nullish(),
});
export type ApimServicePayload = z.input<typeof ApimServicePayload>;

const SystemData = z
  .object({
    createdBy: z.string().optional(),
    createdByType: z.string().optional(),
    createdAt: z.string().optional(),
    lastModifiedBy: z.string().optional(),
    lastModifiedByType: z.string().optional(),
    lastModifiedAt: z.string().optional(),
  })
  .loose();

/** The service as GET and PUT answer it; `location` comes back as its display name ("East US"). */
export const ApimServiceResource = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  location: z.string(),
  etag: z.string().optional(),
  sku: ApimSku,
  properties: ApimServiceProperties.loose(),
  identity: ApimServiceIdentity.nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
  zones: z.array(z.string()).nullish(),
  systemData: SystemData.optional(),
});
export type ApimServiceResource = z.infer<typeof ApimServiceResource>;

/** What `operationResults/{id}?asyncResponse` answers: 200 with the status, whether or not it is done. */
export const ApimAsyncStatus = z.object({
  status: z.string(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).loose().nullish(),
});

// ---- APIs ----

export const ApiContactInformation = z.object({ name: z.string().nullish(), url: z.string().nullish(), email: z.string().nullish() });
export const ApiLicenseInformation = z.object({ name: z.string().nullish(), url: z.string().nullish() });

/** ApiEntityBaseContract: what every API (and revision) carries. */
export const ApiEntityBase = z.object({
  description: z.string().nullish(),
  authenticationSettings: z
    .object({
      oAuth2: z.object({}).loose().nullish(),
      openid: z.object({}).loose().nullish(),
      oAuth2AuthenticationSettings: z.array(z.object({}).loose()).nullish(),
      openidAuthenticationSettings: z.array(z.object({}).loose()).nullish(),
    })
    .nullish(),
  subscriptionKeyParameterNames: z.object({ header: z.string().nullish(), query: z.string().nullish() }).nullish(),
  type: ciEnum(APIM_API_TYPES).nullish(),
  apiRevision: z.string().min(1).max(100).nullish(),
  apiVersion: z.string().max(100).nullish(),
  isCurrent: z.boolean().nullish(),
  isOnline: z.boolean().nullish(),
  apiRevisionDescription: z.string().max(256).nullish(),
  apiVersionDescription: z.string().max(256).nullish(),
  apiVersionSetId: z.string().nullish(),
  subscriptionRequired: z.boolean().nullish(),
  termsOfServiceUrl: z.string().nullish(),
  contact: ApiContactInformation.nullish(),
  license: ApiLicenseInformation.nullish(),
});

export const ApiVersionSetDetails = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  versioningScheme: ciEnum(["Segment", "Query", "Header"]).nullish(),
  versionQueryName: z.string().nullish(),
  versionHeaderName: z.string().nullish(),
});

/** ApiContractProperties: an API as the service holds it. */
export const ApiContractProperties = ApiEntityBase.extend({
  sourceApiId: z.string().nullish(),
  displayName: z.string().min(1).max(300).nullish(),
  serviceUrl: z.string().max(2000).nullish(),
  path: z.string().max(400),
  protocols: z.array(z.string()).nullish(),
  apiVersionSet: ApiVersionSetDetails.nullish(),
});
export type ApiContractProperties = z.infer<typeof ApiContractProperties>;

/** ApiCreateOrUpdateProperties: a PUT may also bring a description document to import. */
export const ApiCreateOrUpdateProperties = ApiContractProperties.extend({
  value: z.string().nullish(),
  format: ciEnum(APIM_IMPORT_FORMATS).nullish(),
  wsdlSelector: z.object({ wsdlServiceName: z.string().optional(), wsdlEndpointName: z.string().optional() }).nullish(),
  apiType: ciEnum(APIM_API_TYPES).nullish(),
  translateRequiredQueryParameters: ciEnum(["template", "query"]).nullish(),
});
export type ApiCreateOrUpdateProperties = z.input<typeof ApiCreateOrUpdateProperties>;

export const ApiResource = z.object({ id: z.string(), name: z.string(), type: z.string(), properties: ApiContractProperties.loose() });
export type ApiResource = z.infer<typeof ApiResource>;

// ---- operations ----

export const ParameterContract = z
  .object({
    name: z.string(),
    type: z.string(),
    description: z.string().nullish(),
    defaultValue: z.string().nullish(),
    required: z.boolean().nullish(),
    values: z.array(z.string()).nullish(),
    schemaId: z.string().nullish(),
    typeName: z.string().nullish(),
    examples: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
export const RepresentationContract = z
  .object({
    contentType: z.string(),
    schemaId: z.string().nullish(),
    typeName: z.string().nullish(),
    formParameters: z.array(ParameterContract).nullish(),
    examples: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
export const RequestContract = z.object({
  description: z.string().nullish(),
  queryParameters: z.array(ParameterContract).nullish(),
  headers: z.array(ParameterContract).nullish(),
  representations: z.array(RepresentationContract).nullish(),
});
export const ResponseContract = z.object({
  statusCode: z.number().int(),
  description: z.string().nullish(),
  representations: z.array(RepresentationContract).nullish(),
  headers: z.array(ParameterContract).nullish(),
});

/** OperationContractProperties (with OperationEntityBaseContract). */
export const OperationContractProperties = z.object({
  templateParameters: z.array(ParameterContract).nullish(),
  description: z.string().max(1000).nullish(),
  request: RequestContract.nullish(),
  responses: z.array(ResponseContract).nullish(),
  policies: z.string().nullish(),
  displayName: z.string().min(1).max(300),
  method: z.string().min(1),
  urlTemplate: z.string().min(1).max(1000),
});
export type OperationContractProperties = z.infer<typeof OperationContractProperties>;

export const OperationResource = z.object({ id: z.string(), name: z.string(), type: z.string(), properties: OperationContractProperties.loose() });
export type OperationResource = z.infer<typeof OperationResource>;

// ---- schemas ----

/** SchemaContractProperties: `document` is flattened in the swagger but nested on the wire. */
export const SchemaContractProperties = z.object({
  contentType: z.string().min(1),
  document: z.object({ value: z.string().nullish(), definitions: z.record(z.string(), z.unknown()).nullish(), components: z.record(z.string(), z.unknown()).nullish() }),
});
export type SchemaContractProperties = z.infer<typeof SchemaContractProperties>;

export const SchemaResource = z.object({ id: z.string(), name: z.string(), type: z.string(), properties: SchemaContractProperties.loose() });
export type SchemaResource = z.infer<typeof SchemaResource>;

/** The content type of a schema holding a GraphQL API's SDL. */
export const GRAPHQL_SCHEMA_CONTENT_TYPE = "application/vnd.ms-azure-apim.graphql.schema";

// ---- export ----

export const ApiExportResult = z.object({
  id: z.string().optional(),
  format: z.string().optional(),
  value: z.object({ link: z.string().optional() }).optional(),
});
export type ApiExportResult = z.infer<typeof ApiExportResult>;

/** `{"error": {...}}`, as every APIM failure answers. */
export const ApimErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string().optional(), details: z.array(z.object({}).loose()).nullish() }),
});
