/**
 * Governance findings across the indexed inventory, each naming the entities concerned and the fix.
 * One function per rule; the rule table is the single list (ids, severities, descriptions).
 */
import { customPropertyProblems } from "../../arm/custom-properties.js";
import { DomainError } from "../errors.js";
import type { Resource } from "../gateway.js";
import { deploymentView } from "../summaries.js";
import type { IndexedApi, Snapshot } from "./inventory-index.js";

export type Severity = "error" | "warning" | "info";

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** The entities concerned, by name. */
  entities: Array<Record<string, string>>;
  fix: string;
}

interface Rule {
  id: string;
  severity: Severity;
  description: string;
  check(ctx: AuditContext): Finding[];
}

interface AuditContext {
  snapshot: Snapshot;
  environments: Map<string, Resource>;
}

const lower = (v: unknown) => String(v ?? "").toLowerCase();
const apis = (ctx: AuditContext) => [...ctx.snapshot.apis.values()];
const title = (a: IndexedApi) => String(a.resource.properties.title ?? a.resource.name);

function finding(rule: Rule, message: string, entities: Array<Record<string, string>>, fix: string, severity = rule.severity): Finding {
  return { rule: rule.id, severity, message, entities, fix };
}

const RULES: Rule[] = [
  {
    id: "api-without-versions",
    severity: "warning",
    description: "An API with no version: nothing says what is available or at what stage",
    check(ctx) {
      return apis(ctx)
        .filter((a) => a.versions.length === 0)
        .map((a) => finding(this, `API '${a.resource.name}' has no version`, [{ api: a.resource.name }], `create_version apiName='${a.resource.name}' with its lifecycle stage`));
    },
  },
  {
    id: "version-without-definitions",
    severity: "warning",
    description: "A version with no definition: consumers cannot see its contract",
    check(ctx) {
      return apis(ctx).flatMap((a) =>
        a.versions
          .filter((v) => v.definitions.length === 0)
          .map((v) =>
            finding(this, `version '${v.resource.name}' of '${a.resource.name}' has no definition`, [{ api: a.resource.name, version: v.resource.name }], `import_spec apiName='${a.resource.name}' versionName='${v.resource.name}'`),
          ),
      );
    },
  },
  {
    id: "definition-without-spec",
    severity: "warning",
    description: "A definition with no specification imported",
    check(ctx) {
      return apis(ctx).flatMap((a) =>
        a.versions.flatMap((v) =>
          v.definitions
            .filter((d) => !d.hasSpec)
            .map((d) =>
              finding(
                this,
                `definition '${d.resource.name}' of '${a.resource.name}' ${v.resource.name} has no spec`,
                [{ api: a.resource.name, version: v.resource.name, definition: d.resource.name }],
                `import_spec apiName='${a.resource.name}' versionName='${v.resource.name}' definitionName='${d.resource.name}'`,
              ),
            ),
        ),
      );
    },
  },
  {
    id: "custom-property-missing",
    severity: "error",
    description: "A required custom property (metadata schema assigned as required) is not set",
    check(ctx) {
      return customPropertyFindings(ctx, this, ["missing"]);
    },
  },
  {
    id: "custom-property-invalid",
    severity: "error",
    description: "A custom property's value does not match its metadata schema, or no schema defines it",
    check(ctx) {
      return customPropertyFindings(ctx, this, ["invalid", "unknown"]);
    },
  },
  {
    id: "retired-version-deployed",
    severity: "error",
    description: "A deprecated (warning) or retired (error) version is still deployed to a production environment",
    check(ctx) {
      return apis(ctx).flatMap((a) =>
        a.deployments.flatMap((d) => {
          const view = deploymentView(d);
          const env = view.environment ? ctx.environments.get(view.environment.toLowerCase()) : undefined;
          if (!env || lower(env.properties.kind) !== "production" || lower(d.properties.state) === "inactive") return [];
          const version = a.versions.find((v) => v.resource.name.toLowerCase() === view.version?.toLowerCase());
          const stage = lower(version?.resource.properties.lifecycleStage);
          if (stage !== "retired" && stage !== "deprecated") return [];
          return [
            finding(
              this,
              `${stage} version '${version!.resource.name}' of '${a.resource.name}' is deployed to production environment '${env.name}'`,
              [{ api: a.resource.name, version: version!.resource.name, deployment: d.name, environment: env.name }],
              `move consumers to a current version, then delete_deployment apiName='${a.resource.name}' deploymentName='${d.name}'`,
              stage === "retired" ? "error" : "warning",
            ),
          ];
        }),
      );
    },
  },
  {
    id: "deployment-missing-environment",
    severity: "error",
    description: "A deployment points at an environment that does not exist",
    check(ctx) {
      return apis(ctx).flatMap((a) =>
        a.deployments
          .filter((d) => {
            const env = deploymentView(d).environment;
            return !env || !ctx.environments.has(env.toLowerCase());
          })
          .map((d) =>
            finding(
              this,
              `deployment '${d.name}' of '${a.resource.name}' points at missing environment '${deploymentView(d).environment ?? String(d.properties.environmentId ?? "(none)")}'`,
              [{ api: a.resource.name, deployment: d.name }],
              `create_environment for it, or create_deployment again with an existing environmentName`,
            ),
          ),
      );
    },
  },
  {
    id: "deployment-missing-definition",
    severity: "error",
    description: "A deployment points at a definition that does not exist",
    check(ctx) {
      return apis(ctx).flatMap((a) =>
        a.deployments
          .filter((d) => {
            const view = deploymentView(d);
            const version = a.versions.find((v) => v.resource.name.toLowerCase() === view.version?.toLowerCase());
            return !version?.definitions.some((x) => x.resource.name.toLowerCase() === view.definition?.toLowerCase());
          })
          .map((d) =>
            finding(
              this,
              `deployment '${d.name}' of '${a.resource.name}' points at missing definition '${String(d.properties.definitionId ?? "(none)")}'`,
              [{ api: a.resource.name, deployment: d.name }],
              `create_deployment again naming an existing version and definition (get_api '${a.resource.name}' lists them)`,
            ),
          ),
      );
    },
  },
  {
    id: "api-without-contacts",
    severity: "warning",
    description: "Nobody to ask: the API has no contact",
    check(ctx) {
      return apis(ctx)
        .filter((a) => !Array.isArray(a.resource.properties.contacts) || (a.resource.properties.contacts as unknown[]).length === 0)
        .map((a) => finding(this, `API '${a.resource.name}' has no contact`, [{ api: a.resource.name }], `register_api apiName='${a.resource.name}' with contacts`));
    },
  },
  {
    id: "api-without-license",
    severity: "info",
    description: "The API states no license",
    check(ctx) {
      return apis(ctx)
        .filter((a) => {
          const l = a.resource.properties.license as Record<string, unknown> | undefined;
          return !l || !(l.name || l.url || l.identifier);
        })
        .map((a) => finding(this, `API '${a.resource.name}' states no license`, [{ api: a.resource.name }], `register_api apiName='${a.resource.name}' with license`));
    },
  },
  {
    id: "duplicate-title",
    severity: "warning",
    description: "Several APIs share one title, so people cannot tell them apart",
    check(ctx) {
      const byTitle = new Map<string, string[]>();
      for (const a of apis(ctx)) byTitle.set(title(a).trim().toLowerCase(), [...(byTitle.get(title(a).trim().toLowerCase()) ?? []), a.resource.name]);
      return [...byTitle.values()]
        .filter((names) => names.length > 1)
        .map((names) =>
          finding(this, `${names.length} APIs are titled '${title(ctx.snapshot.apis.get(names[0]!)!)}': ${names.join(", ")}`, names.map((n) => ({ api: n })), "give each a distinct title with register_api, or delete the duplicates"),
        );
    },
  },
  {
    id: "mcp-server-incomplete",
    severity: "warning",
    description: "An MCP server registered as an API (kind mcp) lacks a version or a deployment with its runtime URL",
    check(ctx) {
      return apis(ctx)
        .filter((a) => lower(a.resource.properties.kind) === "mcp")
        .filter((a) => a.versions.length === 0 || !a.deployments.some((d) => deploymentView(d).runtimeUris.length > 0))
        .map((a) =>
          finding(
            this,
            `MCP server '${a.resource.name}' has ${a.versions.length === 0 ? "no version" : "no deployment with a runtime URL"}: clients cannot find where to connect`,
            [{ api: a.resource.name }],
            a.versions.length === 0
              ? `create_version apiName='${a.resource.name}', then create_deployment with the server's URL`
              : `create_deployment apiName='${a.resource.name}' with runtimeUris set to the MCP endpoint`,
          ),
        );
    },
  },
];

function customPropertyFindings(ctx: AuditContext, rule: Rule, kinds: Array<"missing" | "unknown" | "invalid">): Finding[] {
  const schemas = ctx.snapshot.metadataSchemas.map((m) => ({
    name: m.name,
    schema: String(m.properties.schema ?? ""),
    assignedTo: (m.properties.assignedTo as Array<{ entity?: string; required?: boolean; deprecated?: boolean }> | undefined) ?? [],
  }));
  const out: Finding[] = [];
  const check = (entity: "api" | "environment" | "deployment", values: unknown, entities: Record<string, string>, fix: string) => {
    for (const p of customPropertyProblems(entity, values as Record<string, unknown> | undefined, schemas)) {
      if (kinds.includes(p.kind)) out.push(finding(rule, `${Object.entries(entities).map(([k, v]) => `${k} '${v}'`).join(", ")}: ${p.message}`, [entities], fix));
    }
  };
  for (const a of apis(ctx)) {
    check("api", a.resource.properties.customProperties, { api: a.resource.name }, `register_api apiName='${a.resource.name}' with customProperties`);
    for (const d of a.deployments) {
      check("deployment", d.properties.customProperties, { api: a.resource.name, deployment: d.name }, `create_deployment again for '${d.name}' with customProperties`);
    }
  }
  for (const e of ctx.environments.values()) {
    check("environment", e.properties.customProperties, { environment: e.name }, `create_environment environmentName='${e.name}' with customProperties`);
  }
  return out;
}

export const AUDIT_RULES = RULES.map((r) => ({ id: r.id, severity: r.severity, description: r.description }));

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function audit(snapshot: Snapshot, opts: { rules?: string[]; minSeverity?: Severity } = {}): Finding[] {
  const unknown = (opts.rules ?? []).filter((r) => !RULES.some((x) => x.id === r));
  if (unknown.length) throw new DomainError("invalid_input", `unknown rule(s) ${unknown.join(", ")}: choose from ${RULES.map((r) => r.id).join(", ")}`);
  const ctx: AuditContext = { snapshot, environments: new Map(snapshot.environments.map((e) => [e.name.toLowerCase(), e])) };
  const min = RANK[opts.minSeverity ?? "info"];
  return RULES.filter((r) => !opts.rules?.length || opts.rules.includes(r.id))
    .flatMap((r) => r.check(ctx))
    .filter((f) => RANK[f.severity] <= min)
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.rule.localeCompare(b.rule));
}
