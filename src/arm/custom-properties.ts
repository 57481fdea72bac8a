/**
 * The service's rules for metadata schemas and custom properties: a schema must be a JSON Schema;
 * an entity's custom properties must include every schema assigned to its kind as required, may
 * hold only properties assigned to its kind, and each value must match its schema. The local API
 * Center enforces these on writes; the inventory audit checks what is stored against them.
 */
import { createRequire } from "node:module";
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";
import { clip } from "./text.js";

export type MetadataEntityName = "api" | "environment" | "deployment";

export interface MetadataSchemaRecord {
  name: string;
  /** The JSON Schema, as the text the service stores. */
  schema: string;
  assignedTo: Array<{ entity?: string; required?: boolean; deprecated?: boolean }>;
}

export interface Assigned {
  name: string;
  schema: string;
  required: boolean;
}

export interface CustomPropertyProblem {
  /** `unchecked`: the value's metadata schema is not one Ajv can compile, so the value could not be judged. */
  kind: "missing" | "unknown" | "invalid" | "unchecked";
  property: string;
  message: string;
}

/**
 * Compiled validators by schema text, least recently used first out, from one Ajv that forgets each
 * schema as soon as it is compiled. Ajv registers a schema under its `$id` and refuses a second with
 * the same one (an updated metadata schema, or two that share an `$id`), and keeps every schema it
 * compiled; the compiled function needs neither. Memory stays bounded by `max`.
 */
export class SchemaValidators {
  private readonly compiled = new Map<string, ValidateFunction>();
  private loaded?: Ajv2020;

  constructor(private readonly max: number) {}

  /** Ajv, loaded with the first schema to check rather than with the server: start-up does not pay for it. */
  private ajv(): Ajv2020 {
    if (!this.loaded) {
      const require = createRequire(import.meta.url);
      const { Ajv2020: Ajv } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
      const addFormats = require("ajv-formats") as (ajv: Ajv2020) => Ajv2020;
      this.loaded = addFormats(new Ajv({ allErrors: true, strict: false, validateFormats: true }));
    }
    return this.loaded;
  }

  get size(): number {
    return this.compiled.size;
  }

  /** The validator of a schema's text; throws when the text is not a JSON Schema. */
  get(schemaText: string): ValidateFunction {
    const hit = this.compiled.get(schemaText);
    if (hit) {
      this.compiled.delete(schemaText);
      this.compiled.set(schemaText, hit);
      return hit;
    }
    const schema = JSON.parse(schemaText) as object;
    const ajv = this.ajv();
    let fn: ValidateFunction;
    try {
      fn = ajv.compile(schema);
    } finally {
      ajv.removeSchema(schema);
    }
    this.compiled.set(schemaText, fn);
    if (this.compiled.size > this.max) this.compiled.delete(this.compiled.keys().next().value!);
    return fn;
  }
}

/** A service has tens of metadata schemas: this many keeps every one compiled, and a flood of new texts cannot grow memory. */
const validators = new SchemaValidators(256);
const compile = (schemaText: string) => validators.get(schemaText);

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

/** The schemas assigned to an entity kind, and whether each is required there. */
export function assignedTo(entity: MetadataEntityName, schemas: MetadataSchemaRecord[]): Assigned[] {
  const out: Assigned[] = [];
  for (const s of schemas) {
    const mine = s.assignedTo.filter((a) => String(a.entity).toLowerCase() === entity);
    if (mine.length === 0) continue;
    out.push({ name: s.name, schema: s.schema, required: mine.some((a) => a.required === true && a.deprecated !== true) });
  }
  return out;
}

/** Everything wrong with an entity's custom properties; empty when they pass. */
export function customPropertyProblems(
  entity: MetadataEntityName,
  customProperties: Record<string, unknown> | undefined,
  schemas: MetadataSchemaRecord[],
): CustomPropertyProblem[] {
  const values = customProperties ?? {};
  const assigned = assignedTo(entity, schemas);
  const byName = new Map(assigned.map((a) => [a.name.toLowerCase(), a]));
  const problems: CustomPropertyProblem[] = [];
  for (const a of assigned) {
    if (a.required && !Object.keys(values).some((k) => k.toLowerCase() === a.name.toLowerCase())) {
      problems.push({ kind: "missing", property: a.name, message: `customProperties.${a.name} is required for every ${entity} (metadata schema '${a.name}' is assigned as required); set it` });
    }
  }
  for (const [key, value] of Object.entries(values)) {
    const a = byName.get(key.toLowerCase());
    if (!a) {
      problems.push({
        kind: "unknown",
        property: key,
        message: `customProperties.${clip(key)} is not defined for ${entity} entities: create a metadata schema named '${clip(key)}' assigned to '${entity}', or remove the property`,
      });
      continue;
    }
    let validate: ValidateFunction;
    try {
      validate = compile(a.schema);
    } catch (e) {
      problems.push({
        kind: "unchecked",
        property: key,
        message: `customProperties.${clip(key)} cannot be checked: metadata schema '${a.name}' does not compile (${clip((e as Error).message, 200)}); fix it with define_metadata`,
      });
      continue;
    }
    if (!validate(value)) {
      const why = (validate.errors ?? []).map((e) => `${e.instancePath || "value"} ${e.message}`).join("; ");
      problems.push({ kind: "invalid", property: key, message: `customProperties.${clip(key)} does not match metadata schema '${a.name}': ${clip(why, 500)}` });
    }
  }
  return problems;
}
