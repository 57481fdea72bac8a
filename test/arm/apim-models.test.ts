/** The Microsoft.ApiManagement zod models of arm/apim checked against the 2022-08-01 swagger: same fields, same required ones, same enums, same name rules. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { z } from "zod";
import {
  APIM_API_TYPES,
  APIM_EXPORT_FORMATS,
  APIM_EXPORT_RESULT_FORMAT,
  APIM_IMPORT_FORMATS,
  APIM_SKUS,
  ApiContractProperties,
  ApiCreateOrUpdateProperties,
  ApiEntityBase,
  ApiExportResult,
  ApimServicePayload,
  ApimServiceProperties,
  ApimSku,
  OperationContractProperties,
  ParameterContract,
  RepresentationContract,
  RequestContract,
  ResponseContract,
  SchemaContractProperties,
} from "../../src/arm/apim/models.js";
import {
  APIM_API_ID,
  APIM_SERVICE_NAME,
  apimApiIdProblem,
  apimServiceNameProblem,
  baseApiId,
  formatApimId,
  parseApimId,
  parseApimSourceId,
} from "../../src/arm/apim/resource-id.js";
import { canReadApim, grantReaderCommand } from "../../src/arm/authorization.js";
import { needsApim, readApimSpec, type ApimSwagger } from "../helpers/shared.js";

type Def = NonNullable<ApimSwagger["definitions"]>[string];

/** A definition's properties and required fields with its allOf parents (same file) folded in. */
function flatten(defs: Record<string, Def>, name: string): { props: Record<string, Def & { readOnly?: boolean }>; required: string[] } {
  const def = defs[name];
  assert.ok(def, `definition ${name} exists`);
  let props: Record<string, Def & { readOnly?: boolean }> = {};
  let required: string[] = [];
  for (const parent of def.allOf ?? []) {
    const local = /^#\/definitions\/(\w+)$/.exec(parent.$ref ?? "");
    if (!local) continue; // common-types (ProxyResource): id, name, type, all read-only
    const p = flatten(defs, local[1]!);
    props = { ...props, ...p.props };
    required = [...required, ...p.required];
  }
  return { props: { ...props, ...(def.properties as Record<string, Def>) }, required: [...required, ...(def.required ?? [])] };
}

const shapeKeys = (schema: z.ZodType) => Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape).sort();
const requiredKeys = (schema: z.ZodType) =>
  Object.entries((schema as unknown as { shape: Record<string, z.ZodType> }).shape)
    .filter(([, s]) => !s.safeParse(undefined).success)
    .map(([k]) => k)
    .sort();

describe("API Management models against the 2022-08-01 swagger", needsApim, () => {
  const cases: Array<[string, z.ZodType, "apimdeployment.json" | "definitions.json", string, { writableOnly?: boolean }?]> = [
    ["service properties", ApimServiceProperties, "apimdeployment.json", "ApiManagementServiceProperties"],
    ["service sku", ApimSku, "apimdeployment.json", "ApiManagementServiceSkuProperties"],
    ["service payload", ApimServicePayload, "apimdeployment.json", "ApiManagementServiceResource", { writableOnly: true }],
    ["API base", ApiEntityBase, "definitions.json", "ApiEntityBaseContract"],
    ["API properties", ApiContractProperties, "definitions.json", "ApiContractProperties"],
    ["API create properties", ApiCreateOrUpdateProperties, "definitions.json", "ApiCreateOrUpdateProperties"],
    ["operation properties", OperationContractProperties, "definitions.json", "OperationContractProperties"],
    ["schema properties", SchemaContractProperties, "definitions.json", "SchemaContractProperties"],
    ["export result", ApiExportResult, "definitions.json", "ApiExportResult"],
    ["parameter", ParameterContract, "definitions.json", "ParameterContract"],
    ["representation", RepresentationContract, "definitions.json", "RepresentationContract"],
    ["request", RequestContract, "definitions.json", "RequestContract"],
    ["response", ResponseContract, "definitions.json", "ResponseContract"],
  ];
  for (const [what, schema, file, defName, opts] of cases) {
    test(`${what} match ${defName}`, () => {
      const defs = readApimSpec(file).definitions!;
      const { props, required } = flatten(defs, defName);
      const names = Object.entries(props)
        .filter(([, p]) => !opts?.writableOnly || !p.readOnly)
        .map(([k]) => k)
        // ApimResource's id/name/type are read-only; its tags are writable and kept.
        .sort();
      assert.deepEqual(shapeKeys(schema), names);
      assert.deepEqual(requiredKeys(schema), [...new Set(required)].sort());
    });
  }

  test("enums match the swagger", () => {
    const deployment = readApimSpec("apimdeployment.json").definitions!;
    const defs = readApimSpec("definitions.json").definitions!;
    assert.deepEqual([...APIM_SKUS], deployment.ApiManagementServiceSkuProperties!.properties!.name!.enum);
    assert.deepEqual([...APIM_API_TYPES], defs.ApiEntityBaseContract!.properties!.type!.enum);
    assert.deepEqual([...APIM_IMPORT_FORMATS], defs.ApiCreateOrUpdateProperties!.properties!.format!.enum);
    const resultFormats = defs.ApiExportResult!.properties!.format!.enum!;
    for (const f of Object.values(APIM_EXPORT_RESULT_FORMAT)) assert.ok(resultFormats.includes(f), f);
    const exportOp = Object.values(readApimSpec("apimapis.json")["x-ms-paths"]!)[0]!.get!;
    const formatParam = exportOp.parameters.find((p) => p.name === "format") as { enum: string[] };
    assert.deepEqual([...APIM_EXPORT_FORMATS], formatParam.enum);
    assert.deepEqual(Object.keys(APIM_EXPORT_RESULT_FORMAT), [...APIM_EXPORT_FORMATS]);
  });

  test("name rules match the path parameters", () => {
    const params = readApimSpec("apimanagement.json").parameters!;
    assert.equal(APIM_SERVICE_NAME.source, params.ServiceNameParameter!.pattern);
    assert.equal(APIM_API_ID.source, params.ApiIdRevParameter!.pattern);
  });
});

describe("API Management ids", () => {
  const svc = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/contoso";
  test("parse and format round-trip, case-insensitively", () => {
    for (const id of [svc, `${svc}/apis/echo`, `${svc}/apis/echo;rev=2`, `${svc}/apis/echo/operations/get`, `${svc}/apis/echo/schemas/s1`]) {
      assert.equal(formatApimId(parseApimId(id)!), id);
    }
    assert.deepEqual(parseApimId(svc.toLowerCase()), { subscriptionId: "s", resourceGroupName: "rg", serviceName: "contoso" });
    for (const bad of ["/subscriptions/s/resourceGroups/rg", `${svc}/products/p`, `${svc}/apis`, `${svc}/apis/a/policies/p`]) assert.equal(parseApimId(bad), null, bad);
  });
  test("import sources name one API or all of a service's", () => {
    assert.deepEqual(parseApimSourceId(`${svc}/apis/*`)?.apiId, "*");
    assert.deepEqual(parseApimSourceId(`${svc}/apis/echo`)?.apiId, "echo");
    assert.equal(parseApimSourceId(svc), null);
    assert.equal(parseApimSourceId(`${svc}/apis/echo/operations/x`), null);
  });
  test("name rules say what is wrong", () => {
    assert.equal(apimServiceNameProblem("contoso-1"), null);
    assert.match(apimServiceNameProblem("1contoso") ?? "", /starting with a letter/);
    assert.match(apimServiceNameProblem("a".repeat(51)) ?? "", /1 to 50/);
    assert.equal(apimApiIdProblem("echo;rev=2"), null);
    assert.match(apimApiIdProblem("a*b") ?? "", /none of/);
    assert.equal(baseApiId("echo;rev=12"), "echo");
  });
  test("the roles that let API Center read an API Management service", () => {
    assert.equal(canReadApim("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/71522526-b88f-4d52-b57f-d31fc3546d0d"), true);
    assert.equal(canReadApim("acdd72a7-3385-48ef-bd42-f606fba81ae7"), true);
    assert.equal(canReadApim("00000000-0000-0000-0000-000000000001"), false);
    assert.equal(grantReaderCommand("p1", svc), `az role assignment create --assignee p1 --role "API Management Service Reader Role" --scope ${svc}`);
  });
});
