/**
 * The Microsoft.ApiCenter resource hierarchy of api-version 2024-03-01 (plus API sources, from the
 * 2024-06-01-preview): one row per resource type, from which ids, routes and parent checks are all
 * derived.
 */
import { API_SOURCES_API_VERSION } from "./api-versions.js";
import { clip } from "./text.js";

export const PROVIDER = "Microsoft.ApiCenter";

export type ResourceKind =
  | "service"
  | "metadataSchema"
  | "workspace"
  | "api"
  | "version"
  | "definition"
  | "deployment"
  | "environment"
  | "apiSource";

export interface ResourceTypeInfo {
  kind: ResourceKind;
  /** The path segment that names the collection, e.g. `apis`. */
  segment: string;
  /** The ARM `type` string as live Azure returns it. */
  armType: string;
  parent: ResourceKind | null;
  /** The ARM path-parameter name, e.g. `apiName`. */
  nameParam: string;
  /** The word used in messages, e.g. "API version". */
  label: string;
  /** What DELETE answers when it removes the resource (live Azure, see shared recordings). */
  deleteStatus: 200 | 204;
  /** The api-version the type needs, when it is not in 2024-03-01. */
  apiVersion?: string;
}

const row = (
  kind: ResourceKind,
  segment: string,
  armType: string,
  parent: ResourceKind | null,
  nameParam: string,
  label: string,
  deleteStatus: 200 | 204,
  apiVersion?: string,
): ResourceTypeInfo => ({ kind, segment, armType, parent, nameParam, label, deleteStatus, ...(apiVersion ? { apiVersion } : {}) });

export const RESOURCE_TYPES: Readonly<Record<ResourceKind, ResourceTypeInfo>> = {
  service: row("service", "services", "Microsoft.ApiCenter/services", null, "serviceName", "service", 200),
  metadataSchema: row(
    "metadataSchema",
    "metadataSchemas",
    "Microsoft.ApiCenter/services/metadataSchemas",
    "service",
    "metadataSchemaName",
    "metadata schema",
    204,
  ),
  workspace: row(
    "workspace",
    "workspaces",
    "Microsoft.ApiCenter/services/workspaces",
    "service",
    "workspaceName",
    "workspace",
    204,
  ),
  api: row("api", "apis", "Microsoft.ApiCenter/services/workspaces/apis", "workspace", "apiName", "API", 204),
  version: row(
    "version",
    "versions",
    "Microsoft.ApiCenter/services/workspaces/apis/versions",
    "api",
    "versionName",
    "API version",
    204,
  ),
  definition: row(
    "definition",
    "definitions",
    "Microsoft.ApiCenter/services/workspaces/apis/versions/definitions",
    "version",
    "definitionName",
    "API definition",
    200,
  ),
  deployment: row(
    "deployment",
    "deployments",
    "Microsoft.ApiCenter/services/workspaces/apis/deployments",
    "api",
    "deploymentName",
    "deployment",
    204,
  ),
  environment: row(
    "environment",
    "environments",
    "Microsoft.ApiCenter/services/workspaces/environments",
    "workspace",
    "environmentName",
    "environment",
    204,
  ),
  // No recording deletes one: 200 is the first the swagger lists (200/204).
  apiSource: row(
    "apiSource",
    "apiSources",
    "Microsoft.ApiCenter/services/workspaces/apiSources",
    "workspace",
    "apiSourceName",
    "API source",
    200,
    API_SOURCES_API_VERSION,
  ),
};

export const RESOURCE_KINDS = Object.keys(RESOURCE_TYPES) as ResourceKind[];

/** Every ApiCenter resource name follows this rule (the swagger's path-parameter pattern). */
export const NAME_LENGTH = { min: 3, max: 90 } as const;
export const NAME_PATTERN = new RegExp(`^[a-zA-Z0-9-]{${NAME_LENGTH.min},${NAME_LENGTH.max}}$`);

/** The chain of kinds from the service down to `kind`, inclusive. */
export function kindChain(kind: ResourceKind): ResourceKind[] {
  const chain: ResourceKind[] = [];
  for (let k: ResourceKind | null = kind; k; k = RESOURCE_TYPES[k].parent) chain.unshift(k);
  return chain;
}

export function kindBySegment(parent: ResourceKind | null, segment: string): ResourceTypeInfo | undefined {
  const lower = segment.toLowerCase();
  return Object.values(RESOURCE_TYPES).find((t) => t.parent === parent && t.segment.toLowerCase() === lower);
}

/** Why `name` is not a valid resource name, or null when it is. */
export function nameProblem(kind: ResourceKind, name: string): string | null {
  if (NAME_PATTERN.test(name)) return null;
  const { min, max } = NAME_LENGTH;
  return `${RESOURCE_TYPES[kind].label} name '${clip(name)}' is invalid: use ${min} to ${max} letters, digits or hyphens (pattern ${NAME_PATTERN.source})`;
}
