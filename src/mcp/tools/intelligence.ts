/** Inventory intelligence: search, governance audit, spec analysis, lint and diff, answered from the index. */
import { z } from "zod";
import { AUDIT_RULES } from "../../domain/intelligence/audit.js";
import { API_KINDS, LIFECYCLE_STAGES } from "../../domain/vocabulary.js";
import { READ, arg, defineTool, upTo, given, jsonObject, nameField, where, whereFields, type ToolContext } from "../define-tool.js";
import { apiRowOutput, definitionUsedOutput, freshnessNote, freshnessOutput, freshnessView as freshness, operationOutput, specSummaryOutput } from "../schemas.js";
import { definitionFields } from "./specs.js";

const refreshField = z.boolean().default(false).describe("Rebuild the index first");
const crawlProgress = (ctx: ToolContext) => (_done: number, _total: number, message: string) => void ctx.progress(message);

export const searchApis = defineTool({
  name: "search_apis",
  title: "Search APIs",
  description:
    "Ranked search by words over names, descriptions, contacts, custom properties and the specs' operations ('refunds' finds POST /refunds), with list_apis' filters. " +
    "Rows say what matched and carry the latest version's definitions.",
  toolset: "intelligence",
  input: z.object({
    query: arg().optional().describe("Words; omit to list what the filters keep"),
    kind: z.enum(API_KINDS).optional().describe("Only this kind"),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).optional().describe("Only this stage"),
    environmentName: nameField("Environment").optional().describe("Only APIs deployed there"),
    customProperties: jsonObject().optional().describe("Values to match"),
    limit: z.number().int().min(1).max(100).default(10).describe("Rows"),
    refresh: refreshField,
    ...whereFields,
  }),
  output: z.object({
    results: z.array(apiRowOutput.extend({ score: z.number().optional(), matched: z.array(z.string()).optional(), origin: z.string().optional() })),
    total: z.number(),
    freshness: freshnessOutput,
  }),
  annotations: READ,
  async handler(args, ctx) {
    const r = await ctx.intelligence.search(
      {
        ...where(args),
        limit: args.limit,
        refresh: args.refresh,
        ...given({ query: args.query, kind: args.kind, lifecycleStage: args.lifecycleStage, environment: args.environmentName, customProperties: args.customProperties }),
      },
      crawlProgress(ctx),
    );
    return { structured: { ...r, freshness: freshness(r.freshness) }, summary: `${r.total} API(s) match; the best ${r.results.length} follow.${freshnessNote(r.freshness)}` };
  },
});

const ruleIds = AUDIT_RULES.map((r) => r.id) as [string, ...string[]];

export const auditInventory = defineTool({
  name: "audit_inventory",
  title: "Audit the inventory",
  description:
    "Audits the whole inventory: one group per rule (no version, definition, spec, contact or license; bad custom properties; deprecated versions in production; dangling deployments; duplicate titles; API Management drift) with its fix and entities.",
  toolset: "intelligence",
  input: z.object({
    rules: upTo(z.enum(ruleIds), ruleIds.length).optional().describe("Only these rules"),
    minSeverity: z.enum(["error", "warning", "info"]).default("info").describe("Leave out findings below it"),
    limit: z.number().int().min(1).max(1000).default(50).describe("Entities listed per group"),
    refresh: refreshField,
    ...whereFields,
  }),
  output: z.object({
    total: z.number(),
    findings: z.array(z.object({ rule: z.string(), severity: z.string(), message: z.string(), fix: z.string(), count: z.number(), entities: z.array(z.record(z.string(), z.string())) })),
    freshness: freshnessOutput,
  }),
  annotations: READ,
  async handler(args, ctx) {
    const r = await ctx.intelligence.audit({ ...where(args), minSeverity: args.minSeverity, refresh: args.refresh, ...given({ rules: args.rules }) }, crawlProgress(ctx));
    const findings = r.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, fix: f.fix, count: f.entities.length, entities: f.entities.slice(0, args.limit) }));
    const total = findings.reduce((n, f) => n + f.count, 0);
    const errors = findings.filter((f) => f.severity === "error").reduce((n, f) => n + f.count, 0);
    return {
      structured: { total, findings, freshness: freshness(r.freshness) },
      summary: `${total} finding(s), ${errors} error(s), under ${new Set(findings.map((f) => f.rule)).size} rule(s).${freshnessNote(r.freshness)}`,
    };
  },
});

export const analyzeSpec = defineTool({
  name: "analyze_spec",
  title: "Analyze a specification",
  description:
    "Overview of an OpenAPI or AsyncAPI spec of any size: servers, counts by tag and method, auth, models, a page of operations (of one tag), one in full.",
  toolset: "intelligence",
  input: z.object({
    ...definitionFields,
    tag: arg().optional().describe("Only operations with this tag"),
    operationId: arg().optional().describe("Also this operation in full"),
    limit: z.number().int().min(1).max(2000).default(200).describe("Operations per page"),
    cursor: arg().optional().describe("nextCursor of the previous page"),
    ...whereFields,
  }),
  output: z.object({
    ...definitionUsedOutput,
    specification: z.string().optional(),
    bytes: z.number(),
    summary: specSummaryOutput,
    models: z.array(z.string()),
    operations: z.array(operationOutput),
    nextCursor: z.string().optional(),
    operation: z.unknown().optional(),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const w = where(args);
    const { ref, defaulted } = await ctx.inventory.resolveDefinition(w, { api: args.apiName, ...given({ version: args.versionName, definition: args.definitionName }) });
    const r = await ctx.intelligence.analyze(w, ref, { limit: args.limit, ...given({ tag: args.tag, operationId: args.operationId, cursor: args.cursor }) });
    return {
      structured: { versionName: ref.version, definitionName: ref.definition, ...r },
      summary: `${r.summary.title ?? ref.api}: ${r.summary.operationCount} operation(s), ${r.operations.length} listed${r.nextCursor ? ", more with nextCursor" : ""}${defaulted ? ` (${defaulted})` : ""}.`,
    };
  },
});

export const lintSpec = defineTool({
  name: "lint_spec",
  title: "Lint a specification",
  description:
    "Lints a spec with Spectral (recommended or configured rules): counts by severity, one group per rule and message with its paths. 13 MB takes seconds, with progress.",
  toolset: "intelligence",
  input: z.object({
    ...definitionFields,
    minSeverity: z.enum(["error", "warning", "info", "hint"]).default("hint").describe("Leave out findings below it"),
    limit: z.number().int().min(1).max(1000).default(10).describe("Paths listed per group"),
    ...whereFields,
  }),
  output: z.object({
    ...definitionUsedOutput,
    ruleset: z.string(),
    total: z.number(),
    bySeverity: z.record(z.string(), z.number()),
    findings: z.array(z.object({ rule: z.string(), severity: z.string(), message: z.string(), count: z.number(), at: z.array(z.string()) })),
  }),
  annotations: READ,
  async handler(args, ctx) {
    const w = where(args);
    const { ref, defaulted } = await ctx.inventory.resolveDefinition(w, { api: args.apiName, ...given({ version: args.versionName, definition: args.definitionName }) });
    const started = Date.now();
    const ticker = setInterval(() => void ctx.progress(`linting, ${Math.round((Date.now() - started) / 1000)} s`), 5000);
    try {
      const r = await ctx.intelligence.lint(w, ref, { limit: args.limit, severity: args.minSeverity });
      return {
        structured: { versionName: ref.version, definitionName: ref.definition, ruleset: r.ruleset, total: r.total, bySeverity: r.bySeverity, findings: r.findings },
        summary: `${r.total} finding(s) with ${r.ruleset}: ${r.bySeverity.error} error(s), ${r.bySeverity.warning} warning(s)${defaulted ? ` (${defaulted})` : ""}.`,
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
    "Compares two OpenAPI definitions (e.g. two versions): breaking changes (removed operations, new required inputs, changed types, removed responses), non-breaking ones, a verdict.",
  toolset: "intelligence",
  input: z.object({
    apiName: nameField("API"),
    fromVersion: nameField("Older version"),
    fromDefinition: nameField("Definition").default("openapi").describe("Its definition"),
    toVersion: nameField("Newer version"),
    toDefinition: nameField("Definition").default("openapi").describe("Its definition"),
    toApiName: nameField("API").optional().describe("Compare with another API"),
    ...whereFields,
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
    const breaking = r.changes.filter((c) => c.impact === "breaking").length;
    return {
      structured: { verdict: r.verdict, breaking, nonBreaking: r.changes.length - breaking, changes: r.changes },
      summary: `${r.verdict}: ${breaking} breaking and ${r.changes.length - breaking} non-breaking change(s).`,
    };
  },
});
