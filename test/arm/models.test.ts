/** The zod models of arm/ checked against the swagger's definitions: same fields, same required ones, same enums. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { z } from "zod";
import {
  API_KINDS,
  AzureApiManagementSource,
  IMPORT_SPECIFICATION_OPTIONS,
  LINK_STATES,
  DEPLOYMENT_STATES,
  ENVIRONMENT_KINDS,
  ENVIRONMENT_SERVER_TYPES,
  LIFECYCLE_STAGES,
  METADATA_ENTITIES,
  PROPERTIES_SCHEMAS,
} from "../../src/arm/models.js";
import { NAME_PATTERN, RESOURCE_TYPES } from "../../src/arm/resource-types.js";
import { needsShared, readSpec, sharedAvailable, type SwaggerSchema } from "../helpers/shared.js";

const DEFINITION_OF: Record<Exclude<keyof typeof PROPERTIES_SCHEMAS, "apiSource">, string> = {
  metadataSchema: "MetadataSchemaProperties",
  workspace: "WorkspaceProperties",
  api: "ApiProperties",
  version: "ApiVersionProperties",
  definition: "ApiDefinitionProperties",
  deployment: "DeploymentProperties",
  environment: "EnvironmentProperties",
};

/** Properties the service answers that the swagger does not list (seen in the recordings). */
const BEYOND_SWAGGER: Record<string, string[]> = {
  deployment: ["recommended"],
  apiSource: ["apiSourceType", "apimSource", "sourceLifecycleStage", "amazonApiGatewaySource"],
};

function shapeKeys(schema: z.ZodType): string[] {
  return Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape);
}

function requiredKeys(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape: Record<string, z.ZodType> }).shape;
  return Object.entries(shape)
    .filter(([, s]) => !s.safeParse(undefined).success)
    .map(([k]) => k);
}

describe("arm models against the 2024-03-01 swagger", needsShared, () => {
  const spec = sharedAvailable ? readSpec() : { definitions: {} as Record<string, SwaggerSchema>, paths: {} };
  for (const [kind, defName] of Object.entries(DEFINITION_OF)) {
    test(`${kind} properties match ${defName}`, () => {
      const def = spec.definitions[defName]!;
      const schema = PROPERTIES_SCHEMAS[kind as keyof typeof PROPERTIES_SCHEMAS];
      const ours = shapeKeys(schema).filter((k) => !(BEYOND_SWAGGER[kind] ?? []).includes(k)).sort();
      assert.deepEqual(ours, Object.keys(def.properties ?? {}).sort());
      assert.deepEqual(requiredKeys(schema).sort(), [...(def.required ?? [])].sort());
    });
  }

  test("API source properties match ApiSourceProperties of 2024-06-01-preview", () => {
    const preview = readSpec("2024-06-01-preview");
    const def = preview.definitions.ApiSourceProperties!;
    const ours = shapeKeys(PROPERTIES_SCHEMAS.apiSource).filter((k) => !BEYOND_SWAGGER.apiSource!.includes(k)).sort();
    assert.deepEqual(ours, Object.keys(def.properties ?? {}).sort());
    assert.deepEqual(requiredKeys(PROPERTIES_SCHEMAS.apiSource), [...(def.required ?? [])]);
    assert.deepEqual([...IMPORT_SPECIFICATION_OPTIONS], preview.definitions.ImportSpecificationOptions!.enum);
    assert.deepEqual([...LINK_STATES], preview.definitions.ApiSourceLinkState!.enum);
    assert.deepEqual(Object.keys(preview.definitions.AzureApiManagementSource!.properties!).sort(), shapeKeys(AzureApiManagementSource).sort());
    assert.deepEqual(requiredKeys(AzureApiManagementSource), preview.definitions.AzureApiManagementSource!.required);
  });

  test("enums match the swagger (plus the live-only API kind 'mcp')", () => {
    const e = (name: string) => spec.definitions[name]!.enum!;
    assert.deepEqual([...LIFECYCLE_STAGES], e("LifecycleStage"));
    assert.deepEqual(API_KINDS.filter((k) => k !== "mcp"), e("ApiKind"));
    assert.deepEqual([...ENVIRONMENT_KINDS], e("EnvironmentKind"));
    assert.deepEqual([...ENVIRONMENT_SERVER_TYPES], e("EnvironmentServerType"));
    assert.deepEqual([...DEPLOYMENT_STATES], e("DeploymentState"));
    assert.deepEqual([...METADATA_ENTITIES], e("MetadataAssignmentEntity"));
  });

  test("length limits match the swagger", () => {
    const api = spec.definitions.ApiProperties!.properties!;
    const parse = (props: object) => PROPERTIES_SCHEMAS.api.safeParse({ title: "t", kind: "rest", ...props }).success;
    assert.equal(parse({ summary: "x".repeat(api.summary!.maxLength!) }), true);
    assert.equal(parse({ summary: "x".repeat(api.summary!.maxLength! + 1) }), false);
    assert.equal(parse({ description: "x".repeat(api.description!.maxLength! + 1) }), false);
    assert.equal(PROPERTIES_SCHEMAS.api.safeParse({ title: "x".repeat(api.title!.maxLength! + 1), kind: "rest" }).success, false);
  });

  test("every resource name parameter carries the name rule", () => {
    const patterns = new Set<string>();
    for (const ops of Object.values(spec.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (m === "parameters") continue;
        for (const p of (op as unknown as { parameters: Array<{ name?: string; pattern?: string }> }).parameters) {
          if (p.name && Object.values(RESOURCE_TYPES).some((t) => t.nameParam === p.name)) patterns.add(p.pattern ?? "none");
        }
      }
    }
    assert.deepEqual([...patterns], [NAME_PATTERN.source]);
  });
});

test("enum values are matched without regard to case, as the service does", () => {
  assert.equal(PROPERTIES_SCHEMAS.api.safeParse({ title: "t", kind: "REST" }).success, true);
  assert.equal(PROPERTIES_SCHEMAS.api.safeParse({ title: "t", kind: "soapy" }).success, false);
  assert.equal(PROPERTIES_SCHEMAS.version.safeParse({ title: "t", lifecycleStage: "Production" }).success, true);
});
