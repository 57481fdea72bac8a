/**
 * The rules that check examples against their schemas (oas2/oas3-valid-schema-example, -valid-media-example), with
 * Spectral's own logic (a port of @stoplight/spectral-rulesets' oasExample and oasSchema, Apache-2.0) and Spectral's
 * own schema function for the verdict and the message, but not its cost: Spectral deep-copies and re-compiles the
 * schema on every call (a fresh copy defeats Ajv's cache), 200,000 times on GitHub's spec. Here a schema is prepared
 * once per object and compiled once per distinct content.
 */
import { createRulesetFunction } from "@stoplight/spectral-core";
import { oasExample as stockOasExample } from "@stoplight/spectral-rulesets/dist/oas/functions/index.js";
import traverse from "json-schema-traverse";
import { ExampleValidator } from "./example-validator.js";
import { isObjectLike, isPlainObject, type JsonPath } from "./pointer.js";

type RuleFunction = (input: unknown, options: unknown, context: unknown) => unknown;
type SchemaObject = Record<string, unknown>;
interface Options {
  oasVersion: 2 | 3;
  schemaField: string;
  type: "media" | "schema";
}
interface Context {
  path: JsonPath;
  document: { formats?: Set<{ name: string }> | null; data: unknown };
}
interface AjvError {
  keyword: string;
  parentSchema?: unknown;
  message?: string;
}

const MEDIA_VALIDATION_ITEMS = {
  2: [{ field: "examples", multiple: true, keyed: false }],
  3: [
    { field: "example", multiple: false, keyed: false },
    { field: "examples", multiple: true, keyed: true },
  ],
};
const REQUEST_MEDIA_PATHS = { 2: [] as string[][], 3: [["components", "requestBodies"], ["paths", "*", "*", "requestBody"]] };
const RESPONSE_MEDIA_PATHS = { 2: [["responses"], ["paths", "*", "*", "responses"]], 3: [["components", "responses"], ["paths", "*", "*", "responses"]] };
const SCHEMA_VALIDATION_ITEMS = { 2: ["example", "x-example", "default"], 3: ["example", "default"] };

const isSubpath = (path: JsonPath, subPaths: string[][]) => subPaths.some((sub) => sub.every((segment, i) => segment === "*" || segment === path[i]));

function* mediaItems(targetVal: SchemaObject, givenPath: JsonPath, oasVersion: 2 | 3): Generator<{ value: unknown; path: JsonPath }> {
  for (const { field, keyed, multiple } of MEDIA_VALIDATION_ITEMS[oasVersion]) {
    if (!(field in targetVal)) continue;
    const value = targetVal[field];
    if (multiple) {
      if (!isObjectLike(value)) continue;
      for (const exampleKey of Object.keys(value)) {
        const exampleValue = value[exampleKey];
        if (oasVersion === 3 && keyed && (!isObjectLike(exampleValue) || "externalValue" in exampleValue)) continue;
        const path = [...givenPath, field, exampleKey];
        if (keyed) path.push("value");
        yield { value: keyed && isObjectLike(exampleValue) ? exampleValue.value : exampleValue, path };
      }
      return;
    }
    return yield { value, path: [...givenPath, field] };
  }
}

function* schemaItems(fields: string[], targetVal: SchemaObject, givenPath: JsonPath) {
  for (const field of fields) if (field in targetVal) yield { value: targetVal[field], path: [...givenPath, field] };
}

type Visitor = (fragment: SchemaObject, jsonPtr: string, root: SchemaObject, parentJsonPtr?: string, parentKeyword?: string, parent?: SchemaObject, property?: string) => void;
const walk = traverse as unknown as ((schema: unknown, opts: { allKeys?: boolean }, cb: Visitor) => void) & {
  keywords: object;
  arrayKeywords: object;
  propsKeywords: object;
};
const KNOWN_TRAVERSE_KEYWORDS = [...Object.keys(walk.keywords), ...Object.keys(walk.arrayKeywords), ...Object.keys(walk.propsKeywords)];

function cleanSchema(schema: unknown): void {
  walk(schema, { allKeys: true }, (fragment, _ptr, _root, _parentPtr, parentKeyword) => {
    if (parentKeyword === undefined || KNOWN_TRAVERSE_KEYWORDS.includes(parentKeyword)) return;
    // As in Spectral: an `$id` found removes `id`.
    if ("id" in fragment) delete fragment.id;
    if ("$id" in fragment) delete fragment.id;
  });
}

function relaxRequired(schema: unknown, readOnly: boolean, writeOnly: boolean): void {
  if (!readOnly && !writeOnly) return;
  const notPointers: string[] = [];
  walk(schema, {}, (fragment, jsonPtr, _root, parentPtr, parentKeyword, parent, property) => {
    if (parentKeyword === "not") {
      notPointers.push(jsonPtr);
      return;
    }
    if (parentPtr !== undefined && notPointers.some((p) => parentPtr === p || parentPtr.startsWith(`${p}/`))) return;
    if ((fragment.readOnly === true && readOnly) || (fragment.writeOnly === true && writeOnly)) {
      if (parentKeyword === "properties" && parent && (parent.required === undefined || Array.isArray(parent.required))) {
        parent.required = (parent.required as string[] | undefined)?.filter((p) => p !== property);
        if ((parent.required as string[] | undefined)?.length === 0) delete parent.required;
      }
    }
  });
}

/** oasSchema's rewriteNullable: a type error on a `nullable` schema also names null. */
function rewriteNullable(errors: AjvError[]): void {
  for (const error of errors) {
    if (error.keyword === "type" && isPlainObject(error.parentSchema) && error.parentSchema.nullable === true) error.message += ",null";
  }
}

// Keywords that never make Ajv report an error, and the subschema positions below which they are taken out, so that
// schemas differing only in them (every property with its own example, mostly) share one compiled validator. The
// verdicts and messages are the same: Spectral's messages come from Ajv's errors and the value, never the schema text.
const ANNOTATIONS = new Set(["title", "description", "default", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment", "externalDocs", "xml"]);
const SCHEMA_MAPS = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
const SCHEMA_ONES = ["items", "additionalItems", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema"];

function withoutAnnotations(schema: unknown): unknown {
  if (!isPlainObject(schema)) return schema;
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(schema)) {
    if (ANNOTATIONS.has(k) || k.startsWith("x-")) continue;
    if (SCHEMA_MAPS.includes(k) && isPlainObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, withoutAnnotations(sub)]));
    else if (SCHEMA_LISTS.includes(k) && Array.isArray(v)) out[k] = v.map(withoutAnnotations);
    else if (SCHEMA_ONES.includes(k)) out[k] = withoutAnnotations(v);
    else out[k] = v;
  }
  return out;
}

const DRAFT = /^https?:\/\/json-schema.org\/(?:draft-0([467])|draft\/(20(?:19-09|20-12)))\/(?:hyper-)?schema#?$/;

/** A fresh set of caches per lint: prepared schemas by object, one object (one compiled validator) per content. */
export function fastExampleFunctions(): (fn: RuleFunction) => RuleFunction {
  const prepared = new WeakMap<object, Map<string, unknown>>();
  const byContent = new Map<string, unknown>();
  const validator = new ExampleValidator();

  /** oasExample's copy of the schema (and oasSchema's, for Swagger), once per schema object and variant. */
  const prepare = (schema: unknown, swagger: boolean, dropRequired: boolean, readOnly: boolean, writeOnly: boolean): unknown => {
    const variant = `${swagger}|${dropRequired}|${readOnly}|${writeOnly}`;
    const cached = isObjectLike(schema) ? prepared.get(schema)?.get(variant) : undefined;
    if (cached !== undefined) return cached;
    let copy: unknown = JSON.parse(JSON.stringify(schema));
    if (dropRequired) delete (copy as SchemaObject).required;
    cleanSchema(copy);
    relaxRequired(copy, readOnly, writeOnly);
    if (swagger) {
      walk(copy, {}, (s) => {
        if (s["x-nullable"] === true) {
          s.nullable = true;
          delete s["x-nullable"];
        }
      });
    }
    if (isObjectLike(copy)) {
      copy = withoutAnnotations(copy);
      const content = JSON.stringify(copy);
      copy = byContent.get(content) ?? (byContent.set(content, copy), copy);
      const variants = prepared.get(schema as object) ?? new Map<string, unknown>();
      variants.set(variant, copy);
      prepared.set(schema as object, variants);
    }
    return copy;
  };

  const oasExample = createRulesetFunction<SchemaObject, Options>(
    {
      input: { type: "object" },
      options: {
        type: "object",
        properties: { oasVersion: { enum: [2, 3] }, schemaField: { type: "string" }, type: { enum: ["media", "schema"] } },
        additionalProperties: false,
      },
    },
    function oasExample(targetVal, opts, ctx) {
      const context = ctx as unknown as Context;
      const formats = [...(context.document.formats ?? [])].map((f) => f.name);
      const swagger = formats.includes("oas2");
      // oasSchema's dialect and its nullable rewriting (OpenAPI 3.0 and Swagger).
      let dialect = "draft4";
      let onErrors: typeof rewriteNullable | undefined;
      if (!context.document.formats) dialect = "auto";
      else if (formats.includes("oas3_2") || formats.includes("oas3_1")) {
        const declared = (context.document.data as { jsonSchemaDialect?: unknown } | null)?.jsonSchemaDialect;
        const match = typeof declared === "string" ? DRAFT.exec(declared) : null;
        dialect = match ? `draft${match[1] ?? match[2]}` : "draft2020-12";
      } else if (formats.includes("oas3_0") || swagger) onErrors = rewriteNullable;

      const schema = opts.schemaField === "$" ? targetVal : targetVal[opts.schemaField];
      const dropRequired = swagger && isObjectLike(schema) && typeof schema.required === "boolean";
      const media = opts.type === "media";
      const ready = prepare(schema, swagger, dropRequired, media && isSubpath(context.path, REQUEST_MEDIA_PATHS[opts.oasVersion]), media && isSubpath(context.path, RESPONSE_MEDIA_PATHS[opts.oasVersion]));
      const items = opts.type === "schema" ? schemaItems(SCHEMA_VALIDATION_ITEMS[opts.oasVersion], targetVal, context.path) : mediaItems(targetVal, context.path, opts.oasVersion);
      let results: unknown[] | undefined;
      let first = true;
      for (const item of items) {
        // Spectral's copy of the schema is new for each call (for each example, with Swagger), and Ajv refuses an
        // invalid schema only the first time it sees that copy: the examples after the first are validated anyway.
        const result = validator.validate(item.value, ready, dialect, item.path, { refuseInvalid: first || swagger, ...(onErrors ? { onErrors: onErrors as never } : {}) });
        first = false;
        if (result.length > 0) (results ??= []).push(...result);
      }
      return results as never;
    },
  );

  return (fn) => (fn === (stockOasExample as unknown) ? (oasExample as unknown as RuleFunction) : fn);
}
