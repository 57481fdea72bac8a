/** Inventory intelligence: search, governance audit, spec analysis, lint and diff, answered from the index. */
import { z } from "zod";
import { AUDIT_RULES } from "../../domain/intelligence/audit.js";
import { API_KINDS, LIFECYCLE_STAGES } from "../../domain/vocabulary.js";
import { READ, defineTool, nameField, serviceField, where, workspaceField, type ToolContext } from "../define-tool.js";
import { operationOutput, specSummaryOutput } from "../schemas.js";
import { specUri } from "../uris.js";

const freshness = z
  .object({ builtAt: z.string(), ageSeconds: z.number(), apis: z.number(), crawlCalls: z.number(), crawlMs: z.number() })
  .describe("How fresh the index behind this answer is");
const refreshField = z.boolean().default(false).describe("Rebuild the index first instead of using the cached one (writes through this server are always seen)");
const fresh = (f: { ageSeconds: number; apis: number }) => `index of ${f.apis} APIs, ${f.ageSeconds} s old`;
const crawlProgress = (ctx: ToolContext) => (_done: number, _total: number, message: string) => void ctx.progress(message);

const definitionRef = {
  apiName: nameField("API"),
  versionName: nameField("Version"),
  definitionName: nameField("Definition"),
};

export const searchApis = defineTool({
  name: "search_apis",
  title: "Search APIs",
  description:
    "Ranked free-text search across the whole inventory: titles, summaries, descriptions, contacts, custom property values and the specs' own content (operation ids, paths, tags, summaries), " +
    "so 'APIs that handle refunds' finds the API whose spec has POST /refunds. Combines with filters on kind, lifecycle stage, environment and custom properties (typed by their metadata schemas). " +
    "Use it for questions in words; list_apis pages through exact filters. Returns ranked rows with what matched, and the index's freshness.",
  toolset: "intelligence",
  input: z.object({
    query: z.string().optional().describe("Words to search for; omit to list what the filters keep"),
    kind: z.enum(API_KINDS).optional().describe("Only APIs of this kind"),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).optional().describe("Only APIs at this stage"),
    environmentName: z.string().optional().describe("Only APIs deployed to this environment"),
    customProperties: z.record(z.string(), z.unknown()).optional().describe("Custom property values to match, e.g. {\"public-facing\": true}"),
    limit: z.number().int().min(1).max(100).default(10).describe("Results to return"),
    refresh: refreshField,
    workspaceName: workspaceField,
    service: serviceField,
  }),
  output: z.object({
    results: z.array(
      z.object({
        name: z.string(),
        title: z.string(),
        kind: z.string(),
        lifecycleStage: z.string().optional(),
        summary: z.string().optional(),
        score: z.number().optional(),
        matched: z.array(z.string()).optional().describe("Fields and spec operations that matched"),
      }),
    ),
    total: z.number(),
    freshness,
  }),
  annotations: READ,
  async handler(args, ctx) {
    const r = await ctx.intelligence.search(
      {
        ...where(args),
        limit: args.limit,
        refresh: args.refresh,
        ...Object.fromEntries(
          Object.entries({ query: args.query, kind: args.kind, lifecycleStage: args.lifecycleStage, environment: args.environmentName, customProperties: args.customProperties }).filter(([, v]) => v !== undefined),
        ),
      },
      crawlProgress(ctx),
    );
    const top = r.results.slice(0, 3).map((x) => x.name).join(", ");
    return { structured: r, text: `${r.total} API(s) match${top ? `; best: ${top}` : ""} (${fresh(r.freshness)}).` };
  },
});

export const auditInventory = defineTool({
  name: "audit_inventory",
  title: "Audit the inventory",
  description:
    "Governance findings across the whole inventory in one call, each with the entities concerned and the fix: APIs without versions, versions without definitions, definitions without specs, " +
    "required custom properties missing or invalid, deprecated or retired versions still deployed to production, deployments pointing at missing environments or definitions, APIs without contacts or license, " +
    "duplicate titles, incomplete MCP server entries. Filter by rule and severity. Returns counts by rule and the findings.",
  toolset: "intelligence",
  input: z.object({
    rules: z.array(z.enum(AUDIT_RULES.map((r) => r.id) as [string, ...string[]])).optional().describe(`Only these rules: ${AUDIT_RULES.map((r) => r.id).join(", ")}`),
    minSeverity: z.enum(["error", "warning", "info"]).default("info").describe("Leave out findings below this severity"),
    limit: z.number().int().min(1).max(1000).default(100).describe("Findings to return (counts cover all)"),
    refresh: refreshField,
    workspaceName: workspaceField,
    service: serviceField,
  }),
  output: z.object({
    counts: z.array(z.object({ rule: z.string(), severity: z.string(), count: z.number() })),
    total: z.number(),
    findings: z.array(z.object({ rule: z.string(), severity: z.string(), message: z.string(), entities: z.array(z.record(z.string(), z.string())), fix: z.string() })),
    freshness,
  }),
  annotations: READ,
  async handler(args, ctx) {
    const r = await ctx.intelligence.audit({ ...where(args), minSeverity: args.minSeverity, refresh: args.refresh, ...(args.rules ? { rules: args.rules } : {}) }, crawlProgress(ctx));
    const counts = new Map<string, { rule: string; severity: string; count: number }>();
    for (const f of r.findings) {
      const key = `${f.rule}/${f.severity}`;
      counts.set(key, { rule: f.rule, severity: f.severity, count: (counts.get(key)?.count ?? 0) + 1 });
    }
    const errors = r.findings.filter((f) => f.severity === "error").length;
    return {
      structured: { counts: [...counts.values()], total: r.findings.length, findings: r.findings.slice(0, args.limit), freshness: r.freshness },
      text: `${r.findings.length} finding(s), ${errors} error(s)${r.findings.length ? `: ${[...counts.values()].map((c) => `${c.rule} ${c.count}`).join(", ")}` : ""} (${fresh(r.freshness)}).`,
    };
  },
});

export const analyzeSpec = defineTool({
  name: "analyze_spec",
  title: "Analyze a specification",
  description:
    "A compact analysis of a definition's OpenAPI or AsyncAPI spec, fit for multi-megabyte specs: spec type and version, servers, operation counts by tag and method, auth schemes, model names, and the operations (optionally of one tag), " +
    "plus one operation in full when operationId is given. Use export_spec for a JSON pointer or the raw text.",
  toolset: "intelligence",
  input: z.object({
    ...definitionRef,
    tag: z.string().optional().describe("Only operations with this tag"),
    operationId: z.string().optional().describe("Also return this operation in full (parameters, request body, responses)"),
    limit: z.number().int().min(1).max(2000).default(200).describe("Operations to list"),
    workspaceName: workspaceField,
    service: serviceField,
  }),
  output: z.object({
    specification: z.string().optional(),
    bytes: z.number(),
    summary: specSummaryOutput,
    models: z.array(z.string()).describe("Schema names (first 100)"),
    operations: z.array(operationOutput),
    operationsShown: z.number(),
    operation: z.unknown().optional().describe("The operation asked for with operationId"),
    resourceUri: z.string(),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const r = await ctx.intelligence.analyze(where(args), { api: args.apiName, version: args.versionName, definition: args.definitionName }, { limit: args.limit, ...(args.tag ? { tag: args.tag } : {}), ...(args.operationId ? { operationId: args.operationId } : {}) });
    const tags = Object.entries(r.summary.byTag).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([t, n]) => `${t} ${n}`).join(", ");
    return {
      structured: { ...r, resourceUri: specUri(args.apiName, args.versionName, args.definitionName) },
      text: `${r.summary.title ?? args.definitionName} (${r.specification ?? "spec"} ${r.summary.specVersion ?? ""}): ${r.summary.operationCount} operations, ${r.summary.schemaCount} models, auth: ${r.summary.securitySchemes.join(", ") || "none"}; top tags: ${tags || "none"}.`,
    };
  },
});

export const lintSpec = defineTool({
  name: "lint_spec",
  title: "Lint a specification",
  description:
    "Runs Spectral over a definition's spec: the standard OpenAPI or AsyncAPI recommended rules, or the server's custom ruleset when one is configured. Returns counts by severity and by rule, and the findings with their JSON paths. " +
    "Large specs take time (GitHub's 13 MB spec: about a minute); progress is reported and results are remembered for unchanged specs.",
  toolset: "intelligence",
  input: z.object({
    ...definitionRef,
    severity: z.enum(["error", "warning", "info", "hint"]).default("hint").describe("Leave out findings below this severity"),
    limit: z.number().int().min(1).max(1000).default(50).describe("Findings to list (counts cover all)"),
    workspaceName: workspaceField,
    service: serviceField,
  }),
  output: z.object({
    ruleset: z.string(),
    bytes: z.number(),
    total: z.number(),
    bySeverity: z.object({ error: z.number(), warning: z.number(), info: z.number(), hint: z.number() }),
    byRule: z.array(z.object({ rule: z.string(), severity: z.string(), count: z.number() })),
    results: z.array(z.object({ rule: z.string(), severity: z.string(), message: z.string(), path: z.string(), line: z.number().optional() })),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const started = Date.now();
    const ticker = setInterval(() => void ctx.progress(`linting, ${Math.round((Date.now() - started) / 1000)} s`), 5000);
    try {
      const r = await ctx.intelligence.lint(where(args), { api: args.apiName, version: args.versionName, definition: args.definitionName }, { limit: args.limit, severity: args.severity });
      const rules = r.byRule.slice(0, 5).map((x) => `${x.rule} ${x.count}`).join(", ");
      return {
        structured: r,
        text: `${r.total} finding(s) with ${r.ruleset}: ${r.bySeverity.error} error(s), ${r.bySeverity.warning} warning(s)${rules ? `; most: ${rules}` : ""}.`,
      };
    } finally {
      clearInterval(ticker);
    }
  },
});

export const diffVersions = defineTool({
  name: "diff_versions",
  title: "Diff two definitions",
  description:
    "Compares two OpenAPI definitions (e.g. two versions of an API) and lists breaking changes (removed operations, new required parameters or body fields, changed types, removed success responses or response fields) " +
    "and non-breaking ones (additions, deprecations), with a verdict: breaking, non-breaking or identical.",
  toolset: "intelligence",
  input: z.object({
    apiName: nameField("API"),
    fromVersion: nameField("Older version"),
    fromDefinition: z.string().default("openapi").describe("Definition of the older version"),
    toVersion: nameField("Newer version"),
    toDefinition: z.string().default("openapi").describe("Definition of the newer version"),
    toApiName: z.string().optional().describe("Compare with a definition of another API instead"),
    workspaceName: workspaceField,
    service: serviceField,
  }),
  output: z.object({
    verdict: z.enum(["breaking", "non-breaking", "identical"]),
    breaking: z.number(),
    nonBreaking: z.number(),
    changes: z.array(z.object({ impact: z.string(), code: z.string(), where: z.string(), message: z.string() })),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const r = await ctx.intelligence.diff(
      where(args),
      { api: args.apiName, version: args.fromVersion, definition: args.fromDefinition },
      { api: args.toApiName ?? args.apiName, version: args.toVersion, definition: args.toDefinition },
    );
    const breaking = r.changes.filter((c) => c.impact === "breaking");
    return {
      structured: { verdict: r.verdict, breaking: breaking.length, nonBreaking: r.changes.length - breaking.length, changes: r.changes },
      text: `${r.verdict}: ${breaking.length} breaking and ${r.changes.length - breaking.length} non-breaking change(s)${breaking.length ? `; first: ${breaking[0]!.message}` : ""}.`,
    };
  },
});
