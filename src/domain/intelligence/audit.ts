/**
 * Governance findings across the indexed inventory, grouped per rule: the rule's sentence and fix are
 * said once, then the entities concerned. The rule table is the single list (ids, severities,
 * descriptions, fixes).
 *
 * Most rules judge one API at a time (with the environments and metadata schemas): their results are
 * kept per API (AuditCache) and recomputed only for an API the index re-read, or for all when the
 * environments or schemas change. Rules across APIs (duplicate titles) run on the whole inventory.
 */
import { customPropertyProblems, type CustomPropertyProblem } from "../../arm/custom-properties.js";
import { DomainError } from "../errors.js";
import type { Resource } from "../gateway.js";
import { deploymentView } from "../summaries.js";
import type { Drift } from "../apim/provenance.js";
import type { IndexedApi, Snapshot } from "./inventory-index.js";

export type Severity = "error" | "warning" | "info";

/** An entity a rule found, by name (api, version, deployment...) plus what is wrong with it where that varies. */
export type Entity = Record<string, string>;

/** One rule's findings: its sentence and fix said once, then every entity concerned. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  fix: string;
  entities: Entity[];
}

interface Hit {
  entity: Entity;
  /** When it differs from the rule's own severity. */
  severity?: Severity;
}

interface Rule {
  id: string;
  severity: Severity;
  description: string;
  fix: string;
  /** Judges all APIs together; otherwise each API on its own. */
  acrossApis?: true;
  check(ctx: AuditContext): Hit[];
}

interface Schema {
  name: string;
  schema: string;
  assignedTo: Array<{ entity?: string; required?: boolean; deprecated?: boolean }>;
}

interface AuditContext {
  /** The APIs judged: all of them, or one. */
  apis: IndexedApi[];
  environments: Map<string, Resource>;
  schemas: Schema[];
  /** Imported APIs whose API Management definition differs (read at audit time; absent when not asked for). */
  drift: Drift[];
  /** What belongs to no API (the environments' own custom properties) is judged in this pass. */
  rest: boolean;
}

/** The rule whose findings come from API Management, read when it is asked for. */
export const DRIFT_RULE = "apim-definition-drift";

const lower = (v: unknown) => String(v ?? "").toLowerCase();
const apis = (ctx: AuditContext) => ctx.apis;
const title = (a: IndexedApi) => String(a.resource.properties.title ?? a.resource.name);
const hit = (entity: Entity, severity?: Severity): Hit => ({ entity, ...(severity ? { severity } : {}) });

const RULES: Rule[] = [
  {
    id: "api-without-versions",
    severity: "warning",
    description: "APIs with no version: nothing says what is available or at what stage",
    fix: "create_version for each, with its lifecycle stage",
    check: (ctx) => apis(ctx).filter((a) => a.versions.length === 0).map((a) => hit({ api: a.resource.name })),
  },
  {
    id: "version-without-definitions",
    severity: "warning",
    description: "Versions with no definition: consumers cannot see their contract",
    fix: "import_spec into each version",
    check: (ctx) =>
      apis(ctx).flatMap((a) => a.versions.filter((v) => v.definitions.length === 0).map((v) => hit({ api: a.resource.name, version: v.resource.name }))),
  },
  {
    id: "definition-without-spec",
    severity: "warning",
    description: "Definitions with no specification imported",
    fix: "import_spec into each definition",
    check: (ctx) =>
      apis(ctx).flatMap((a) =>
        a.versions.flatMap((v) => v.definitions.filter((d) => !d.hasSpec).map((d) => hit({ api: a.resource.name, version: v.resource.name, definition: d.resource.name }))),
      ),
  },
  {
    id: "custom-property-missing",
    severity: "error",
    description: "A required custom property (a metadata schema assigned as required) is not set",
    fix: "set it in customProperties: register_api for APIs, create_environment for environments, create_deployment for deployments",
    check: (ctx) => customPropertyHits(ctx, ["missing"]),
  },
  {
    id: "custom-property-invalid",
    severity: "error",
    description: "A custom property's value does not match its metadata schema, no schema defines it, or its schema does not compile",
    fix: "correct the value (register_api, create_environment or create_deployment with customProperties), or define (or fix) the schema with define_metadata",
    check: (ctx) => customPropertyHits(ctx, ["invalid", "unknown", "unchecked"]),
  },
  {
    id: "deprecated-or-retired-version-in-production",
    severity: "error",
    description: "A deprecated (warning) or retired (error) version is still deployed to a production environment",
    fix: "move consumers to a current version, then delete_resource kind 'deployment' with apiName and deploymentName",
    check(ctx) {
      return apis(ctx).flatMap((a) =>
        a.deployments.flatMap((d) => {
          const view = deploymentView(d);
          const env = view.environment ? ctx.environments.get(view.environment.toLowerCase()) : undefined;
          if (!env || lower(env.properties.kind) !== "production" || lower(d.properties.state) === "inactive") return [];
          const version = a.versions.find((v) => v.resource.name.toLowerCase() === view.version?.toLowerCase());
          const stage = lower(version?.resource.properties.lifecycleStage);
          if (stage !== "retired" && stage !== "deprecated") return [];
          return [hit({ api: a.resource.name, version: version!.resource.name, stage, deployment: d.name, environment: env.name }, stage === "retired" ? "error" : "warning")];
        }),
      );
    },
  },
  {
    id: "deployment-missing-environment",
    severity: "error",
    description: "Deployments pointing at an environment that does not exist",
    fix: "create_environment for it, or create_deployment again with an existing environmentName",
    check: (ctx) =>
      apis(ctx).flatMap((a) =>
        a.deployments.flatMap((d) => {
          const env = deploymentView(d).environment;
          if (env && ctx.environments.has(env.toLowerCase())) return [];
          return [hit({ api: a.resource.name, deployment: d.name, environment: env ?? String(d.properties.environmentId ?? "(none)") })];
        }),
      ),
  },
  {
    id: "deployment-missing-definition",
    severity: "error",
    description: "Deployments pointing at a definition that does not exist",
    fix: "create_deployment again naming an existing version and definition (get_api lists them)",
    check: (ctx) =>
      apis(ctx).flatMap((a) =>
        a.deployments.flatMap((d) => {
          const view = deploymentView(d);
          const version = a.versions.find((v) => v.resource.name.toLowerCase() === view.version?.toLowerCase());
          if (version?.definitions.some((x) => x.resource.name.toLowerCase() === view.definition?.toLowerCase())) return [];
          return [hit({ api: a.resource.name, deployment: d.name, definitionId: String(d.properties.definitionId ?? "(none)") })];
        }),
      ),
  },
  {
    id: "api-without-contacts",
    severity: "warning",
    description: "Nobody to ask: APIs with no contact",
    fix: "register_api with contacts",
    check: (ctx) =>
      apis(ctx)
        .filter((a) => !Array.isArray(a.resource.properties.contacts) || (a.resource.properties.contacts as unknown[]).length === 0)
        .map((a) => hit({ api: a.resource.name })),
  },
  {
    id: "api-without-license",
    severity: "info",
    description: "APIs that state no license",
    fix: "register_api with license",
    check: (ctx) =>
      apis(ctx)
        .filter((a) => {
          const l = a.resource.properties.license as Record<string, unknown> | undefined;
          return !l || !(l.name || l.url || l.identifier);
        })
        .map((a) => hit({ api: a.resource.name })),
  },
  {
    id: "duplicate-title",
    severity: "warning",
    description: "Several APIs share one title, so people cannot tell them apart",
    fix: "give each a distinct title with register_api, or delete the duplicates",
    acrossApis: true,
    check(ctx) {
      const byTitle = new Map<string, IndexedApi[]>();
      for (const a of apis(ctx)) {
        const key = title(a).trim().toLowerCase();
        const same = byTitle.get(key);
        if (same) same.push(a);
        else byTitle.set(key, [a]);
      }
      return [...byTitle.values()].filter((same) => same.length > 1).flatMap((same) => same.map((a) => hit({ api: a.resource.name, title: title(same[0]!) })));
    },
  },
  {
    id: "mcp-server-incomplete",
    severity: "warning",
    description: "MCP servers registered as APIs (kind mcp) without a version or a deployment with their runtime URL: clients cannot find where to connect",
    fix: "create_version if missing, then create_deployment with runtimeUris set to the MCP endpoint",
    check: (ctx) =>
      apis(ctx)
        .filter((a) => lower(a.resource.properties.kind) === "mcp")
        .filter((a) => a.versions.length === 0 || !a.deployments.some((d) => deploymentView(d).runtimeUris.length > 0))
        .map((a) => hit({ api: a.resource.name, missing: a.versions.length === 0 ? "version" : "deployment with a runtime URL" })),
  },
  {
    id: DRIFT_RULE,
    severity: "warning",
    description: "APIs imported from API Management whose definition there has changed since the import (unchecked ones are info, with why)",
    fix: "import_from_apim again for them, or let their API source sync (importSpecification 'always' brings specs on every sync)",
    // Read at audit time: never kept.
    acrossApis: true,
    check: (ctx) =>
      ctx.drift.map((d) =>
        hit(
          {
            api: d.api,
            gateway: d.origin.gateway,
            ...(d.apimApi ? { apimApi: d.apimApi } : {}),
            ...(d.origin.apiSource ? { apiSource: d.origin.apiSource } : {}),
            change: d.change,
          },
          d.checked ? undefined : "info",
        ),
      ),
  },
];

function customPropertyHits(ctx: AuditContext, kinds: Array<CustomPropertyProblem["kind"]>): Hit[] {
  const schemas = ctx.schemas;
  const out: Hit[] = [];
  const check = (entity: "api" | "environment" | "deployment", values: unknown, names: Entity) => {
    for (const p of customPropertyProblems(entity, values as Record<string, unknown> | undefined, schemas)) {
      if (!kinds.includes(p.kind)) continue;
      // A missing property needs no explanation beyond the rule's; a wrong one says what is wrong with it.
      out.push(hit({ ...names, property: p.property, ...(p.kind === "missing" ? {} : { problem: p.message.replace(/^customProperties\.\S+ /, "") }) }));
    }
  };
  for (const a of apis(ctx)) {
    check("api", a.resource.properties.customProperties, { api: a.resource.name });
    for (const d of a.deployments) check("deployment", d.properties.customProperties, { api: a.resource.name, deployment: d.name });
  }
  if (ctx.rest) for (const e of ctx.environments.values()) check("environment", e.properties.customProperties, { environment: e.name });
  return out;
}

export const AUDIT_RULES = RULES.map((r) => ({ id: r.id, severity: r.severity, description: r.description, fix: r.fix }));

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

const PER_API = RULES.filter((r) => !r.acrossApis);

interface Kept {
  /** The environments and schemas the hits were judged against (their arrays are replaced when re-read). */
  environments: Resource[];
  schemas: Resource[];
  /** The per-API rules that found something, with what they found. */
  hits: Array<[Rule, Hit[]]>;
}

/**
 * Per-API rule results, kept for as long as the API's entry in the index (re-reading an API replaces
 * its entry) and the environments and metadata schemas they were judged against are the same.
 */
export class AuditCache {
  private readonly byApi = new WeakMap<IndexedApi, Kept>();
  /** What belongs to no API, by the environments it was judged on. */
  private readonly rest = new WeakMap<Resource[], Kept>();

  hits(snapshot: Snapshot, entry: IndexedApi | null, base: Omit<AuditContext, "apis" | "rest">): Array<[Rule, Hit[]]> {
    const kept = entry ? this.byApi.get(entry) : this.rest.get(snapshot.environments);
    if (kept && kept.environments === snapshot.environments && kept.schemas === snapshot.metadataSchemas) return kept.hits;
    const ctx: AuditContext = { ...base, apis: entry ? [entry] : [], rest: !entry };
    const hits = PER_API.map((r): [Rule, Hit[]] => [r, r.check(ctx)]).filter(([, h]) => h.length > 0);
    const fresh = { environments: snapshot.environments, schemas: snapshot.metadataSchemas, hits };
    if (entry) this.byApi.set(entry, fresh);
    else this.rest.set(snapshot.environments, fresh);
    return hits;
  }
}

/** The findings of the chosen rules, one group per rule and severity, errors first. */
export function audit(snapshot: Snapshot, opts: { rules?: string[]; minSeverity?: Severity; drift?: Drift[] } = {}, cache = new AuditCache()): Finding[] {
  const unknown = (opts.rules ?? []).filter((r) => !RULES.some((x) => x.id === r));
  if (unknown.length) throw new DomainError("invalid_input", `unknown rule(s) ${unknown.join(", ")}: choose from ${RULES.map((r) => r.id).join(", ")}`);
  const base = {
    drift: opts.drift ?? [],
    environments: new Map(snapshot.environments.map((e) => [e.name.toLowerCase(), e])),
    schemas: snapshot.metadataSchemas.map((m) => ({
      name: m.name,
      schema: String(m.properties.schema ?? ""),
      assignedTo: (m.properties.assignedTo as Schema["assignedTo"] | undefined) ?? [],
    })),
  };
  const chosen = RULES.filter((r) => !opts.rules?.length || opts.rules.includes(r.id));
  // What each chosen per-API rule found, API by API (and then what belongs to no API), in one pass.
  const found = new Map<Rule, Hit[][]>(chosen.filter((r) => !r.acrossApis).map((r) => [r, []]));
  const collect = (hits: Array<[Rule, Hit[]]>) => {
    for (const [rule, h] of hits) found.get(rule)?.push(h);
  };
  // The APIs the index could read: one known only by its list row is not judged.
  const judged: IndexedApi[] = [];
  for (const entry of snapshot.apis.values()) {
    if (entry.partial) continue;
    judged.push(entry);
    collect(cache.hits(snapshot, entry, base));
  }
  collect(cache.hits(snapshot, null, base));
  const min = RANK[opts.minSeverity ?? "info"];
  const groups: Finding[] = [];
  for (const rule of chosen) {
    const bySeverity = new Map<Severity, Entity[]>();
    const add = (h: Hit) => {
      const severity = h.severity ?? rule.severity;
      if (RANK[severity] > min) return;
      const entities = bySeverity.get(severity);
      if (entities) entities.push(h.entity);
      else bySeverity.set(severity, [h.entity]);
    };
    if (rule.acrossApis) rule.check({ ...base, apis: judged, rest: true }).forEach(add);
    else for (const hits of found.get(rule)!) hits.forEach(add);
    for (const [severity, entities] of bySeverity) groups.push({ rule: rule.id, severity, message: rule.description, fix: rule.fix, entities });
  }
  return groups.sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.rule.localeCompare(b.rule));
}
