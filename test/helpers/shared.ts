/**
 * Access to ../shared/apicenter-arm (the official specs, examples and live-Azure recordings).
 * The project is also cloned where ../shared does not exist: tests that need it skip, saying why.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (tests run from dist/test/...). */
export const PROJECT_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
})();

export const SHARED_ARM = process.env.APICENTER_SHARED_ARM ?? resolve(PROJECT_ROOT, "..", "shared", "apicenter-arm");

export const sharedAvailable = existsSync(join(SHARED_ARM, "spec", "2024-03-01", "apicenter.json"));

/** Under CI (CI=true) ../shared always exists: a test that needs it fails there instead of skipping. */
export const sharedRequired = /^(1|true|yes)$/i.test(process.env.CI ?? "");

export const sharedMissing = `../shared/apicenter-arm not found at ${SHARED_ARM}: the spec, example and recording tests need it (set APICENTER_SHARED_ARM to point elsewhere)`;

/** The `skip` option for tests that read ../shared. */
export const needsShared: { skip: string | false } = { skip: sharedAvailable || sharedRequired ? false : sharedMissing };

export function readSpec(version = "2024-03-01"): SwaggerDoc {
  return JSON.parse(readFileSync(join(SHARED_ARM, "spec", version, "apicenter.json"), "utf8")) as SwaggerDoc;
}

export interface SwaggerDoc {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
  definitions: Record<string, SwaggerSchema>;
}

export interface SwaggerSchema {
  type?: string;
  properties?: Record<string, SwaggerSchema & { readOnly?: boolean }>;
  required?: string[];
  enum?: string[];
  $ref?: string;
  items?: SwaggerSchema;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
}

export interface OfficialExample {
  file: string;
  operationId: string;
  title: string;
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

export function readExamples(): OfficialExample[] {
  const dir = join(SHARED_ARM, "spec", "2024-03-01", "examples");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(dir, file), "utf8")) as Omit<OfficialExample, "file">) }));
}

export function recordingsDir(): string {
  return join(SHARED_ARM, "recordings");
}

export function swaggerOperationIds(doc: SwaggerDoc = readSpec()): string[] {
  return Object.values(doc.paths).flatMap((ops) =>
    Object.entries(ops)
      .filter(([m]) => m !== "parameters")
      .map(([, o]) => o.operationId),
  );
}

/** Under CI the references must be there: a test that needs them fails instead of skipping. */
export const CI = /^(1|true|yes|on)$/i.test(process.env.CI ?? "");

/** The `skip` option for tests that must run in CI: they skip only on a developer's machine without ../shared. */
export const needsSharedUnlessCi: { skip: string | false } = { skip: CI ? false : needsShared.skip };

export function assertSharedInCi(): void {
  if (!sharedAvailable) {
    throw new Error(`CI=true but ${SHARED_ARM} is missing: the live-Azure references must be present in CI (set APICENTER_SHARED_ARM)`);
  }
}

/** ../shared/apim-arm: the Microsoft.ApiManagement 2022-08-01 swagger and examples. */
export const SHARED_APIM = process.env.APICENTER_SHARED_APIM ?? resolve(PROJECT_ROOT, "..", "shared", "apim-arm");
const APIM_SPEC_DIR = join(SHARED_APIM, "spec", "2022-08-01");
export const apimAvailable = existsSync(join(APIM_SPEC_DIR, "apimapis.json"));

export const needsApim: { skip: string | false } = {
  skip: apimAvailable || CI ? false : `../shared/apim-arm not found at ${SHARED_APIM}: the API Management contract tests need it (set APICENTER_SHARED_APIM to point elsewhere)`,
};

export interface ApimSwagger {
  paths: Record<string, Record<string, { operationId: string; parameters: Array<Record<string, unknown>>; responses: Record<string, unknown> }>>;
  "x-ms-paths"?: ApimSwagger["paths"];
  definitions?: Record<string, SwaggerSchema & { allOf?: Array<{ $ref?: string }> }>;
  parameters?: Record<string, { name: string; pattern?: string; enum?: string[] }>;
}

export function readApimSpec(file: "apimdeployment.json" | "apimapis.json" | "definitions.json" | "apimanagement.json"): ApimSwagger {
  if (!apimAvailable) throw new Error(`${SHARED_APIM} is missing: the API Management references must be present`);
  return JSON.parse(readFileSync(join(APIM_SPEC_DIR, file), "utf8")) as ApimSwagger;
}

export function readApimExamples(): OfficialExample[] {
  const dir = join(APIM_SPEC_DIR, "examples");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, operationId: file.replace(/\.json$/, ""), title: file, ...(JSON.parse(readFileSync(join(dir, file), "utf8")) as Omit<OfficialExample, "file" | "operationId" | "title">) }));
}
