/**
 * Validating one example against one schema with the verdicts and messages of Spectral's `schema` function (same Ajv
 * dialects and options, same @stoplight/better-ajv-errors wording, same treatment of unresolvable $refs), compiled
 * for many examples at once: every large subschema that several examples' schemas share (a `repository` object
 * inside hundreds of GitHub responses) is compiled once and referenced, instead of once per schema that inlines it.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import refError from "ajv/dist/compile/ref_error.js";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import betterAjvErrors from "@stoplight/better-ajv-errors";
import { isPlainObject, type JsonPath } from "./pointer.js";

type SchemaObject = Record<string, unknown>;
type AjvLike = Pick<Ajv, "compile" | "addSchema" | "getSchema" | "validateSchema" | "errorsText" | "errors">;

const OPTIONS: Options = {
  allErrors: false,
  meta: true,
  messages: true,
  strict: false,
  allowUnionTypes: true,
  unicodeRegExp: false,
  // The error names its own schema, which is how a `nullable` type error gets its ",null" without the schema path.
  verbose: true,
  // Ajv's code optimisation pass costs more than it saves for validators that run a handful of times; and a shared
  // subschema is compiled once as its own function rather than inlined into every schema that references it.
  code: { optimize: false },
  inlineRefs: false,
  // Long `required` and `enum` lists checked in a loop: smaller code, the same first error.
  loopRequired: 10,
  loopEnum: 10,
  // Checked by compile() on the whole schema, as Ajv would, not on the shared parts (whose errors would name other paths).
  validateSchema: false,
  logger: { log: () => {}, warn: () => {}, error: () => {} },
};

const MAPS = new Set(["properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"]);
const LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems", "items"]);
const ONES = new Set(["items", "additionalItems", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema"]);
const SHARE_FROM = 200;

function describeArrayItem(message: string, errorPath: string): string {
  const index = errorPath.split("/").pop();
  if (index === undefined || !/^\d+$/.test(index)) return message;
  const typePrefix = `"${index}" property type`;
  if (message.startsWith(typePrefix)) return `Item at index ${index}${message.slice(typePrefix.length)}`;
  const prefix = `"${index}" property`;
  return message.startsWith(prefix) ? `Item at index ${index}${message.slice(prefix.length)}` : message;
}

function describeCombinator(message: string, keyword: string | undefined): string {
  return keyword !== undefined && message.endsWith(` in ${keyword}`) ? `${message}. None of the schemas matched, see the other errors reported for this value` : message;
}

export class ExampleValidator {
  private readonly instances = new Map<
    string,
    { ajv: AjvLike; shared: Map<string, string>; compiled: WeakMap<object, ValidateFunction>; invalid: WeakMap<object, string | null> }
  >();

  private instance(dialect: string) {
    const key = dialect === "draft4" || dialect === "draft2019-09" || dialect === "draft2020-12" ? dialect : "auto";
    let entry = this.instances.get(key);
    if (!entry) {
      const Class = key === "draft4" ? AjvDraft04 : key === "draft2019-09" ? Ajv2019 : key === "draft2020-12" ? Ajv2020 : Ajv;
      const ajv = new (Class as unknown as new (o: Options) => Ajv)(OPTIONS);
      (addFormats as unknown as (a: Ajv) => void)(ajv);
      entry = { ajv, shared: new Map(), compiled: new WeakMap(), invalid: new WeakMap() };
      this.instances.set(key, entry);
    }
    return entry;
  }

  /** Spectral's schema function on one value: its findings, with paths below `path`. */
  validate(
    value: unknown,
    schema: unknown,
    dialect: string,
    path: JsonPath,
    opts: { refuseInvalid: boolean; onErrors?: (errors: ErrorObject[]) => void },
  ): Array<{ message: string; path: JsonPath }> {
    if (value === undefined) return [{ path, message: '#{{print("property")}}must exist' }];
    try {
      const validator = this.compile(schema, dialect, opts.refuseInvalid);
      if (validator(value) !== false || !Array.isArray(validator.errors)) return [];
      const errors = validator.errors;
      opts.onErrors?.(errors);
      const unmatched = new Map<string, string>();
      for (const { keyword, instancePath, params } of errors) {
        if ((keyword === "oneOf" || keyword === "anyOf") && !Array.isArray((params as { passingSchemas?: unknown }).passingSchemas)) unmatched.set(instancePath, keyword);
      }
      return betterAjvErrors(schema, errors, { propertyPath: path, targetValue: value }).map(({ suggestion, error, path: errorPath }) => ({
        message: describeCombinator(describeArrayItem(suggestion !== undefined ? `${error}. ${suggestion}` : error, errorPath), unmatched.get(errorPath)),
        path: [...path, ...(errorPath !== "" ? errorPath.replace(/^\//, "").split("/") : [])],
      }));
    } catch (e) {
      // As in Spectral for resolved documents: a $ref left unresolved (a circular one) means no verdict.
      if (e instanceof (refError as unknown as { default: typeof Error }).default) return [];
      return [{ message: (e as Error).message, path }];
    }
  }

  /** The validator for a schema; an invalid schema is refused (as Ajv does) when `refuseInvalid`, else compiled anyway. */
  private compile(schema: unknown, dialect: string, refuseInvalid: boolean): ValidateFunction {
    const { ajv, shared, compiled, invalid } = this.instance(dialect);
    if (!isPlainObject(schema)) return ajv.compile(schema as SchemaObject);
    if (refuseInvalid) {
      let problem = invalid.get(schema);
      if (problem === undefined) {
        problem = ajv.validateSchema(schema) ? null : `schema is invalid: ${ajv.errorsText(ajv.errors)}`;
        invalid.set(schema, problem);
      }
      if (problem !== null) throw new Error(problem);
    }
    let fn = compiled.get(schema);
    if (!fn) {
      // Spectral reuses whatever schema was compiled first under an $id.
      if (typeof schema.$id === "string") fn = ajv.getSchema(schema.$id);
      if (!fn) {
        const sharing = this.share(schema, ajv, shared).schema as SchemaObject;
        // A schema shared whole is its shared validator (a $ref alone adds nothing to the verdict or the errors).
        fn = (Object.keys(sharing).length === 1 && typeof sharing.$ref === "string" ? ajv.getSchema(sharing.$ref) : undefined) ?? ajv.compile(sharing);
      }
      compiled.set(schema, fn);
    }
    return fn;
  }

  /** The schema with each large subschema that holds no reference or id replaced by a $ref to one shared copy. */
  private share(schema: unknown, ajv: AjvLike, shared: Map<string, string>): { schema: unknown; movable: boolean } {
    if (!isPlainObject(schema)) return { schema, movable: true };
    let movable = !("$ref" in schema || "$id" in schema || "id" in schema || "$anchor" in schema || "$dynamicAnchor" in schema || "$recursiveAnchor" in schema);
    const out: SchemaObject = {};
    const sub = (v: unknown) => {
      const r = this.share(v, ajv, shared);
      movable &&= r.movable;
      return r.schema;
    };
    for (const [k, v] of Object.entries(schema)) {
      if (MAPS.has(k) && isPlainObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, sub(s)]));
      else if (LISTS.has(k) && Array.isArray(v)) out[k] = v.map(sub);
      else if (ONES.has(k)) out[k] = sub(v);
      else out[k] = v;
    }
    if (!movable) return { schema: out, movable };
    const content = JSON.stringify(out);
    if (content.length < SHARE_FROM) return { schema: out, movable };
    let id = shared.get(content);
    if (!id) {
      id = `urn:apicenter-mcp:lint:${shared.size}`;
      ajv.addSchema(out, id, undefined, false);
      shared.set(content, id);
    }
    return { schema: { $ref: id }, movable };
  }
}
