/**
 * The Microsoft.ApiManagement 2022-08-01 calls this project makes, through the ARM client's one
 * request path (same pipeline, errors, polling): reading services and APIs and their export, for
 * imports and drift; creating them, for the local seed; and the role assignment that lets API
 * Center's identity read a service.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  APIM_API_VERSION,
  ApiExportResult,
  ApiResource,
  ApimServicePayload,
  ApimServiceResource,
  OperationResource,
  type ApiCreateOrUpdateProperties,
  type OperationContractProperties,
} from "../arm/apim/models.js";
import { apimApiIdProblem, apimChildIdProblem, apimServiceId, apimServiceNameProblem, formatApimId, type ApimRef, type ApimServiceRef } from "../arm/apim/resource-id.js";
import { APIM_READER_ROLE, AUTHORIZATION_PROVIDER, ROLE_ASSIGNMENTS_API_VERSION, ROLE_DEFINITIONS_API_VERSION } from "../arm/authorization.js";
import { DomainError } from "../domain/errors.js";
import type { ApiCenterArmClient, LroProgress } from "./arm-client.js";

function check(problem: string | null): void {
  if (problem) throw new DomainError("invalid_input", problem);
}

function checkRef(ref: ApimRef): void {
  check(apimServiceNameProblem(ref.serviceName));
  if (ref.apiId !== undefined) check(apimApiIdProblem(ref.apiId));
  if (ref.operationId !== undefined) check(apimChildIdProblem("operation", ref.operationId));
}

const parse = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new DomainError("upstream", `API Management answered an unexpected ${what}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
};

const serviceNotFound = (ref: ApimServiceRef) =>
  `API Management service '${ref.serviceName}' was not found in resource group '${ref.resourceGroupName}' of subscription '${ref.subscriptionId}': check its name, resource group and subscription`;

export class ApimArmClient {
  constructor(private readonly arm: ApiCenterArmClient) {}

  /** ApiManagementService_List(ByResourceGroup). */
  async listServices(subscriptionId: string, resourceGroupName?: string): Promise<ApimServiceResource[]> {
    const scope = resourceGroupName ? `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}` : `/subscriptions/${subscriptionId}`;
    const out: ApimServiceResource[] = [];
    for await (const s of this.arm.armList(`${scope}/providers/Microsoft.ApiManagement/service`, APIM_API_VERSION, ApimServiceResource, "API Management service list", `list the API Management services in ${scope}`)) {
      out.push(s);
    }
    return out;
  }

  /** ApiManagementService_Get. */
  async getService(ref: ApimServiceRef): Promise<ApimServiceResource> {
    checkRef(ref);
    const r = await this.arm.armRequest("GET", apimServiceId(ref), { apiVersion: APIM_API_VERSION, doing: `get API Management service '${ref.serviceName}'`, notFound: serviceNotFound(ref) });
    return parse(ApimServiceResource, r.body, "service");
  }

  /** ApiManagementService_CreateOrUpdate, polled until the service has activated. */
  async createOrUpdateService(ref: ApimServiceRef, payload: z.input<typeof ApimServicePayload>, onProgress?: (p: LroProgress) => void): Promise<ApimServiceResource> {
    checkRef(ref);
    const body = ApimServicePayload.safeParse(payload);
    if (!body.success) throw new DomainError("invalid_input", `the API Management service is invalid: ${body.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const doing = `create API Management service '${ref.serviceName}'`;
    const r = await this.arm.armRequest("PUT", apimServiceId(ref), { apiVersion: APIM_API_VERSION, doing, body: body.data });
    if (r.response.headers.get("azure-asyncoperation") || r.response.headers.get("location")) await this.arm.armPoll(r.response, doing, onProgress);
    return this.getService(ref);
  }

  /** Api_ListByService: the service's current APIs. */
  async listApis(ref: ApimServiceRef): Promise<ApiResource[]> {
    checkRef(ref);
    const out: ApiResource[] = [];
    for await (const a of this.arm.armList(`${apimServiceId(ref)}/apis`, APIM_API_VERSION, ApiResource, "API list", `list the APIs of API Management service '${ref.serviceName}'`, { notFound: serviceNotFound(ref) })) {
      out.push(a);
    }
    return out;
  }

  /** Api_CreateOrUpdate; an import from a link is long-running and polled to its end. */
  async createOrUpdateApi(ref: ApimRef & { apiId: string }, properties: ApiCreateOrUpdateProperties): Promise<ApiResource> {
    checkRef(ref);
    const doing = `create API '${ref.apiId}' in API Management service '${ref.serviceName}'`;
    const r = await this.arm.armRequest("PUT", formatApimId(ref), { apiVersion: APIM_API_VERSION, doing, body: { properties }, headers: { "if-match": "*" }, notFound: serviceNotFound(ref) });
    return parse(ApiResource, r.status === 202 ? await this.arm.armPoll(r.response, doing) : r.body, "API");
  }

  /** ApiOperation_CreateOrUpdate. */
  async createOrUpdateOperation(ref: ApimRef & { apiId: string; operationId: string }, properties: z.input<z.ZodType<OperationContractProperties>>): Promise<z.infer<typeof OperationResource>> {
    checkRef(ref);
    const r = await this.arm.armRequest("PUT", formatApimId(ref), {
      apiVersion: APIM_API_VERSION,
      doing: `create operation '${ref.operationId}' of API '${ref.apiId}'`,
      body: { properties },
      headers: { "if-match": "*" },
    });
    return parse(OperationResource, r.body, "operation");
  }

  /** ApiExport_Get as OpenAPI 3 JSON, read from the link it answers. */
  async exportOpenApi(ref: ApimRef & { apiId: string }): Promise<string> {
    checkRef(ref);
    const doing = `export API '${ref.apiId}' of API Management service '${ref.serviceName}'`;
    const r = await this.arm.armRequest("GET", formatApimId(ref), {
      apiVersion: APIM_API_VERSION,
      doing,
      query: { export: "true", format: "openapi+json-link" },
      notFound: `API '${ref.apiId}' was not found in API Management service '${ref.serviceName}'`,
    });
    const link = parse(ApiExportResult, r.body, "export").value?.link;
    if (!link) throw new DomainError("upstream", `Could not ${doing}: the answer carried no link`);
    return this.arm.fetchLink(link, doing);
  }

  /** Grants `principalId` the API Management Service Reader Role on the service (what `az role assignment create` does). */
  async assignReaderRole(ref: ApimServiceRef, principalId: string): Promise<void> {
    const scope = apimServiceId(ref);
    const roles = await this.arm.armRequest("GET", `${scope}/providers/${AUTHORIZATION_PROVIDER}/roleDefinitions`, {
      apiVersion: ROLE_DEFINITIONS_API_VERSION,
      doing: `look up the '${APIM_READER_ROLE}'`,
      query: { $filter: `roleName eq '${APIM_READER_ROLE}'` },
    });
    const role = (roles.body as { value?: Array<{ id: string }> }).value?.[0];
    if (!role) throw new DomainError("upstream", `the '${APIM_READER_ROLE}' was not found`);
    await this.arm.armRequest("PUT", `${scope}/providers/${AUTHORIZATION_PROVIDER}/roleAssignments/${randomUUID()}`, {
      apiVersion: ROLE_ASSIGNMENTS_API_VERSION,
      doing: `grant principal '${principalId}' the '${APIM_READER_ROLE}' on API Management service '${ref.serviceName}'`,
      body: { properties: { roleDefinitionId: role.id, principalId, principalType: "ServicePrincipal" } },
    });
  }
}
