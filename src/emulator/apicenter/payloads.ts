/**
 * What the local API Center accepts on PUT and how it shapes what it stores: validation with the
 * zod models of `arm/`, read-only fields dropped, live Azure's defaults filled in, deployment ids
 * normalised to the workspace-relative form, custom properties checked against metadata schemas.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { PROPERTIES_SCHEMAS, ServicePayload } from "../../arm/models.js";
import { formatServiceRelativeId, parseResourceId, parseServiceRelativeId, type ServiceScope } from "../../arm/resource-id.js";
import type { ResourceKind } from "../../arm/resource-types.js";
import { customPropertyProblems, schemaProblem } from "../../arm/custom-properties.js";
import { apiSourcePayload } from "./api-sources.js";
import { schemaRecords } from "./metadata.js";
import type { ResourceDoc, StoredResource } from "../store.js";
import { clip } from "../../arm/text.js";

export type PayloadResult = { ok: true; doc: ResourceDoc } | { ok: false; code: string; message: string };

function zodProblem(prefix: string, error: z.ZodError): string {
  return error.issues
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join(".")}: ${i.message}`)
    .join("; ");
}

const invalid = (message: string): PayloadResult => ({ ok: false, code: "ValidationError", message });

export function servicePayload(body: Record<string, unknown>, existing: StoredResource | undefined): PayloadResult {
  const parsed = ServicePayload.safeParse(body);
  if (!parsed.success) return invalid(zodProblem("", parsed.error));
  const { location, tags, identity, sku } = parsed.data;
  if (existing?.doc.location && existing.doc.location.toLowerCase() !== location.toLowerCase()) {
    return {
      ok: false,
      code: "LocationCannotBeChanged",
      message: `the service is in '${existing.doc.location}'; its location cannot change to '${clip(location)}'`,
    };
  }
  return {
    ok: true,
    doc: {
      properties: {},
      location,
      tags: tags ?? {},
      ...(identity ? { identity: withPrincipals(identity, existing?.doc.identity ?? undefined) } : {}),
      ...(sku ? { sku } : {}),
    },
  };
}

/** Identities get the principal ids Entra ID would assign; ones already assigned are kept. */
function withPrincipals(identity: Record<string, unknown>, previous: Record<string, unknown> | undefined): Record<string, unknown> {
  const type = String(identity.type).replace(/\s+/g, "").toLowerCase();
  const out: Record<string, unknown> = { ...identity };
  if (type.includes("systemassigned")) {
    out.principalId = previous?.principalId ?? randomUUID();
    out.tenantId = previous?.tenantId ?? randomUUID();
  }
  const users = identity.userAssignedIdentities as Record<string, Record<string, unknown> | null> | undefined;
  if (users) {
    const before = (previous?.userAssignedIdentities ?? {}) as Record<string, Record<string, unknown>>;
    out.userAssignedIdentities = Object.fromEntries(
      Object.keys(users).map((id) => [id, before[id] ?? { principalId: randomUUID(), clientId: randomUUID() }]),
    );
  }
  return out;
}

/** Resolves a deployment's environment/definition reference (relative or full id) to the relative form. */
function normaliseReference(
  value: string | undefined,
  expected: ResourceKind,
  field: string,
  scope: ServiceScope,
): string | { error: string } | undefined {
  if (value === undefined) return undefined;
  const ref = value.startsWith("/subscriptions/") ? parseResourceId(value) : parseServiceRelativeId(value, scope);
  const last = ref?.chain[ref.chain.length - 1];
  if (!ref || last?.kind !== expected) {
    const example =
      expected === "environment"
        ? "/workspaces/default/environments/production"
        : "/workspaces/default/apis/echo-api/versions/v1/definitions/openapi";
    return { error: `properties.${field} '${clip(value)}' is not a ${expected} id: use the workspace-relative form, e.g. '${example}'` };
  }
  return formatServiceRelativeId(ref);
}

export interface ChildContext {
  kind: Exclude<ResourceKind, "service">;
  scope: ServiceScope;
  /** The workspace the resource is in (API sources default their target environment to it). */
  workspace: string;
  existing: StoredResource | undefined;
  /** The service's metadata schemas, for custom-property validation. */
  metadataSchemas: () => StoredResource[];
}

export function childPayload(body: Record<string, unknown>, ctx: ChildContext): PayloadResult {
  if (body.properties === undefined || body.properties === null || typeof body.properties !== "object") {
    return invalid("properties is required: send {\"properties\": {...}}");
  }
  const schema = PROPERTIES_SCHEMAS[ctx.kind];
  const parsed = schema.safeParse(body.properties);
  if (!parsed.success) return invalid(zodProblem("properties", parsed.error));
  const props = { ...(parsed.data as Record<string, unknown>) };

  switch (ctx.kind) {
    case "metadataSchema": {
      const problem = schemaProblem(props.schema as string);
      if (problem) return invalid(problem);
      props.assignedTo = ((props.assignedTo as unknown[] | undefined) ?? []).map((a) => ({
        required: false,
        deprecated: false,
        ...(a as object),
      }));
      break;
    }
    case "api":
      // Read-only: an API's lifecycle stage is derived from its versions.
      delete props.lifecycleStage;
      props.externalDocumentation ??= [];
      props.contacts ??= [];
      props.customProperties ??= {};
      break;
    case "definition": {
      // Read-only: the specification is set by importSpecification.
      delete props.specification;
      const kept = ctx.existing?.doc.properties.specification;
      if (kept) props.specification = kept;
      break;
    }
    case "deployment": {
      for (const [field, kind] of [
        ["environmentId", "environment"],
        ["definitionId", "definition"],
      ] as const) {
        const normal = normaliseReference(props[field] as string | undefined, kind, field, ctx.scope);
        if (typeof normal === "object") return invalid(normal.error);
        if (normal !== undefined) props[field] = normal;
      }
      props.customProperties ??= {};
      props.recommended ??= false;
      break;
    }
    case "environment":
      props.customProperties ??= {};
      break;
    case "apiSource": {
      const source = apiSourcePayload(body.properties as Record<string, unknown>, ctx.scope, ctx.workspace);
      if (!source.ok) return invalid(source.message);
      return { ok: true, doc: { properties: source.properties } };
    }
    default:
      break;
  }

  if (ctx.kind === "api" || ctx.kind === "deployment" || ctx.kind === "environment") {
    // A schema stored before schemas were checked may not compile: it cannot refuse a value, as live Azure's own check would not.
    const [problem] = customPropertyProblems(ctx.kind, props.customProperties as Record<string, unknown>, schemaRecords(ctx.metadataSchemas())).filter((p) => p.kind !== "unchecked");
    if (problem) return invalid(problem.message);
  }
  return { ok: true, doc: { properties: props } };
}
