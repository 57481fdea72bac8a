/**
 * Specs that trip every rule of Spectral's OpenAPI ruleset, and the reference situations that decide where a
 * finding lands (shared, circular, chained, missing, external and malformed $refs; keys that need escaping;
 * duplicate keys), in OpenAPI 2.0, 3.0 and 3.1, JSON and YAML; plus custom rulesets. The fast engine must give
 * exactly Spectral's findings on each (test/spectral/lint-equivalence.test.ts).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { stringify } from "yaml";

const oas30 = {
  openapi: "3.0.3",
  info: { title: "Kitchen sink", version: "1.0.0", description: "Runs eval( and has <script> tags" },
  servers: [{ url: "https://api.example.com/v1/" }, { url: "https://{region}.example.com/{unused}", variables: { region: { enum: ["eu", "us"] }, extra: { default: "x" } } }],
  tags: [{ name: "pets" }, { name: "pets" }, { name: "store", description: "Store" }],
  security: [{ apiKey: [] }, { missing: [] }],
  paths: {
    "/pets/": {
      get: {
        operationId: "list pets",
        tags: ["pets", "undeclared"],
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", example: "ten" } },
          { name: "limit", in: "query", schema: { type: "integer" } },
          { $ref: "#/components/parameters/Cursor" },
        ],
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/vnd.pets+json": {
                schema: { $ref: "#/components/schemas/PetList" },
                examples: {
                  "good one": { value: [{ id: 1, name: "Rex" }] },
                  "bad one": { value: [{ id: "one" }] },
                  linked: { $ref: "#/components/examples/BadPet" },
                  both: { value: [], externalValue: "https://example.com/x.json" },
                },
              },
            },
          },
        },
      },
      post: {
        operationId: "createPet",
        description: "Creates a pet",
        tags: ["pets"],
        requestBody: { $ref: "#/components/requestBodies/NewPet" },
        responses: { "400": { description: "bad" }, default: { $ref: "#/components/responses/Error" } },
        callbacks: { onCreate: { "{$request.body#/url}": { post: { callbacks: { nested: {} }, responses: { "200": { description: "ok" } } } } } },
      },
    },
    "/pets/{petId}": {
      parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
      get: {
        operationId: "getPet",
        summary: "One pet",
        tags: ["pets"],
        security: [{ oauth: ["read"] }],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" }, example: { id: 7, name: 3, tag: null } } } } },
      },
      delete: { operationId: "getPet", tags: ["pets"], description: "dup id", responses: { "204": { description: "gone" } } },
    },
    "/owners/{ownerId}/pets/{}": { get: { operationId: "ownerPets", tags: ["pets"], description: "x", responses: { "200": { description: "ok" } } } },
    "/search?q": { get: { operationId: "search", tags: ["store"], description: "x", parameters: [{ name: "other", in: "path", required: true, schema: { type: "string" } }], responses: { "302": { description: "found" } } } },
    "/shared": { $ref: "#/components/x-path-items/Shared" },
    "/trees": { get: { operationId: "trees", tags: ["store"], description: "x", responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } } } },
  },
  components: {
    "x-path-items": { Shared: { get: { tags: ["store"], responses: { "200": { description: "ok", headers: { "X-Rate": { schema: { type: "integer" }, example: "many" } } } } } } },
    securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-Key" } },
    parameters: {
      Cursor: { name: "cursor", in: "query", schema: { type: "string", enum: ["a", "a", 3] }, examples: { one: { value: 4 }, two: { summary: "neither" } } },
      Unused: { name: "u", in: "query", schema: { type: "string" } },
    },
    requestBodies: {
      NewPet: { content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" }, example: { name: "Rex" } } } },
    },
    responses: {
      Error: { description: "error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: { code: "E1" } } } },
    },
    examples: { BadPet: { value: [{ id: 1, name: ["not", "a", "string"] }] }, Lonely: { value: 1 } },
    schemas: {
      Pet: {
        type: "object",
        required: ["id", "name"],
        properties: {
          id: { type: "integer", readOnly: true, example: 1 },
          name: { type: "string", example: 42, default: 5 },
          tag: { type: "string", nullable: true, enum: ["a", "b", "a"] },
          kind: { type: "string", enum: ["cat", 1] },
          list: { type: "array" },
          secret: { type: "string", writeOnly: true },
          refWithSibling: { $ref: "#/components/schemas/Error", description: "siblings are ignored" },
        },
      },
      PetList: { type: "array", items: { $ref: "#/components/schemas/Pet" } },
      Error: { type: "object", required: ["code", "message"], properties: { code: { type: "integer" }, message: { type: "string", format: "email", example: "not-an-email" } } },
      Node: { type: "object", properties: { child: { $ref: "#/components/schemas/Node" }, other: { $ref: "#/components/schemas/Other" } }, example: { child: { child: {} } } },
      Other: { type: "object", properties: { back: { $ref: "#/components/schemas/Node" }, n: { type: "number", example: "NaN" } } },
      Alias: { $ref: "#/components/schemas/AliasTarget" },
      AliasTarget: { $ref: "#/components/schemas/Pet" },
      Broken: { type: "object", properties: { a: { $ref: "#/components/schemas/DoesNotExist" }, b: { $ref: "#bad-pointer" }, c: { $ref: "other.yaml#/Thing" }, d: { $ref: "https://example.com/s.json#/X" } } },
      Orphan: { type: "string", example: 1 },
      Odd: { type: "object", properties: { "a/b": { type: "string", example: 1 }, "c~d": { type: "integer", example: "x" }, "with space": { type: "boolean", example: "yes" } } },
    },
  },
};

const oas2 = {
  swagger: "2.0",
  info: { title: "Swagger", version: "1" },
  host: "api.example.com/",
  basePath: "/v1",
  schemes: [],
  consumes: ["application/json"],
  securityDefinitions: { key: { type: "apiKey", in: "header", name: "k" } },
  paths: {
    "/upload": {
      post: {
        operationId: "upload",
        tags: ["files"],
        consumes: ["application/json"],
        security: [{ key: [] }, { nope: [] }],
        parameters: [
          { name: "file", in: "formData", type: "file" },
          { name: "count", in: "query", type: "integer", "x-example": "many" },
          { name: "body", in: "body", schema: { $ref: "#/definitions/Thing" } },
        ],
        responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Thing" }, examples: { "application/json": { id: "x" } } } },
      },
    },
    "/items/{id}": { get: { responses: { "500": { description: "x" } } } },
  },
  definitions: {
    Thing: { type: "object", required: ["id"], properties: { id: { type: "integer", "x-nullable": true, example: null }, name: { type: "string", default: 1 } } },
    Pet: { type: "object", discriminator: "petType", properties: { name: { type: "string" } } },
    Choice: { anyOf: [{ type: "string" }, { type: "integer" }], oneOf: [{ type: "string" }] },
    Unused: { type: "string" },
    Required: { type: "object", required: true, properties: { a: { type: "string", example: 1 } } },
  },
};

const oas31 = {
  openapi: "3.1.0",
  info: { title: "Hooks", version: "1", contact: { name: "me" }, description: "d" },
  jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
  servers: [{ url: "https://example.com" }],
  tags: [{ name: "hooks" }],
  paths: {
    "/things": {
      get: {
        operationId: "things",
        tags: ["hooks"],
        description: "x",
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: ["string", "null"], examples: ["a"], example: 3 } } } } },
      },
    },
  },
  webhooks: {
    newThing: { post: { servers: [{ url: "https://hooks.example.com" }], callbacks: { x: {} }, requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } }, responses: { "200": { description: "ok" } } } },
  },
  components: {
    schemas: {
      Thing: { type: "object", properties: { size: { type: ["integer", "array"], default: "big" }, xmlish: { type: "string", xml: { attribute: true } } } },
    },
  },
};

const oas32 = {
  openapi: "3.2.0",
  info: { title: "Newest", version: "1", contact: { name: "me" }, description: "d" },
  servers: [{ url: "https://example.com" }],
  paths: {},
  components: { schemas: { Item: { type: "object", xml: { attribute: true }, properties: { id: { type: "string", xml: { attribute: false } } } } } },
};

const duplicateKeys = `{
  "openapi": "3.0.0",
  "info": { "title": "Dupes", "version": "1", "title": "Again" },
  "paths": {
    "/a": { "get": { "responses": { "200": { "description": "ok" } }, "responses": { "201": { "description": "created" } } } }
  }
}`;

const notOpenApi = JSON.stringify({ hello: "world", description: "eval(this)" }, null, 2);

/** Rules that run on the fast engine and rules that fall back to Spectral (a `~` and a `^` in their paths), side by side. */
const customRuleset = `
extends: [[spectral:oas, recommended]]
rules:
  info-contact: error
  operation-tags: off
  oas3-valid-media-example: info
  openapi-tags-alphabetical: warn
  operation-singular-tag: true
  kebab-paths:
    description: Paths are kebab-case
    message: "{{property}} is not kebab-case: {{error}}"
    severity: warn
    given: $.paths
    then: { field: "@key", function: pattern, functionOptions: { match: "^(/[a-z0-9{}-]+)+$" } }
  summary-length:
    given: "$.paths[*][get,post,put,delete]"
    then: { field: summary, function: length, functionOptions: { max: 8 } }
  schema-names:
    given: $.components.schemas
    then: { field: "@key", function: casing, functionOptions: { type: pascal } }
  op-keys:
    message: "operation keys: {{value}} at {{path}}"
    given: "$.paths[*][?(@property === 'get')]"
    then: { function: schema, functionOptions: { schema: { type: object, required: [operationId, summary] } } }
  x-flag:
    given: "$..[?(@ && @.type === 'string' && @.format)]"
    then: { field: example, function: defined }
  keys-sorted:
    given: $.paths[*]
    then: { function: alphabetical }
  xor-ids:
    given: "$.paths[*][*]"
    then: { function: xor, functionOptions: { properties: [operationId, summary] } }
  enum-values:
    given: "$..parameters[*].in"
    then: { function: enumeration, functionOptions: { values: [query, path, header] } }
  path-keys-tilde:
    given: "$.paths.*~"
    then: { function: pattern, functionOptions: { notMatch: "search" } }
  parent-of-example:
    given: "$..example^"
    then: { field: type, function: truthy }
`;

/** Every rule of the ruleset, the ones Spectral leaves out of "recommended" too. */
const allRules = `extends: [[spectral:oas, all]]\n`;

const asyncapi = stringify({
  asyncapi: "2.6.0",
  info: { title: "Events", version: "1" },
  channels: { "user/signedup": { subscribe: { message: { payload: { type: "object", properties: { id: { type: "string", example: 5 } } } } } } },
});

/** A slice of GitHub's spec: some paths and every component they reach, which keeps the realistic $ref web small. */
export function githubSlice(paths: number): string {
  const require = createRequire(import.meta.url);
  const full = JSON.parse(readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8")) as Record<string, any>;
  const keep = Object.keys(full.paths).slice(0, paths);
  const out: Record<string, any> = { ...full, paths: Object.fromEntries(keep.map((p) => [p, full.paths[p]])), components: {} };
  const seen = new Set<string>();
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const ref = (v as { $ref?: unknown }).$ref;
      if (typeof ref === "string" && ref.startsWith("#/components/") && !seen.has(ref)) {
        seen.add(ref);
        const [, , type, name] = ref.split("/");
        out.components[type!] ??= {};
        out.components[type!][name!] = full.components[type!][name!];
        visit(full.components[type!][name!]);
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(out.paths);
  return JSON.stringify(out, null, 2);
}

export interface Case {
  name: string;
  text: string;
  ruleset?: string;
}

export const CASES: Case[] = [
  { name: "OpenAPI 3.0, JSON", text: JSON.stringify(oas30, null, 2) },
  { name: "OpenAPI 3.0, YAML", text: stringify(oas30) },
  { name: "OpenAPI 3.0, JSON on one line", text: JSON.stringify(oas30) },
  { name: "OpenAPI 2.0", text: JSON.stringify(oas2, null, 2) },
  { name: "OpenAPI 2.0, YAML", text: stringify(oas2) },
  { name: "OpenAPI 3.1", text: JSON.stringify(oas31, null, 2) },
  { name: "OpenAPI 3.2", text: JSON.stringify(oas32, null, 2) },
  { name: "duplicate keys", text: duplicateKeys },
  { name: "not an OpenAPI document", text: notOpenApi },
  { name: "custom ruleset, OpenAPI 3.0", text: JSON.stringify(oas30, null, 2), ruleset: customRuleset },
  { name: "custom ruleset, OpenAPI 2.0 in YAML", text: stringify(oas2), ruleset: customRuleset },
  { name: "every OpenAPI rule, OpenAPI 3.0", text: JSON.stringify(oas30, null, 2), ruleset: allRules },
  { name: "every OpenAPI rule, OpenAPI 2.0", text: JSON.stringify(oas2, null, 2), ruleset: allRules },
  { name: "AsyncAPI 2.6", text: asyncapi },
];
