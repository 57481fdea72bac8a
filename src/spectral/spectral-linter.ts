/**
 * Linting specs with Spectral: the standard OpenAPI and AsyncAPI rulesets, or a custom ruleset
 * (JSON or YAML) that extends them and uses Spectral's core functions. References are resolved
 * inside the document only: a spec never makes the server fetch anything. The adapter behind the
 * domain's SpecLinter port.
 */
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import { Document, Spectral, type RulesetDefinition } from "@stoplight/spectral-core";
import * as functions from "@stoplight/spectral-functions";
import ParsersModule from "@stoplight/spectral-parsers";
import { Resolver } from "@stoplight/spectral-ref-resolver";
import { asyncapi, oas } from "@stoplight/spectral-rulesets";
import { parse as parseYaml } from "yaml";
import { DomainError } from "../domain/errors.js";
import { SEVERITIES, type LintResult, type SpecLinter } from "../domain/specs/linter.js";

// spectral-parsers is CommonJS whose named exports sit on `default` under ESM.
const Parsers = ((ParsersModule as unknown as { Json?: unknown }).Json ? ParsersModule : (ParsersModule as unknown as { default: typeof ParsersModule }).default) as typeof ParsersModule;

const BUILT_IN: Record<string, unknown> = { "spectral:oas": oas, "spectral:asyncapi": asyncapi };

/** A custom ruleset's text (JSON or YAML) as a Spectral ruleset: `extends` names the built-in rulesets, `then.function` names core functions. */
export function parseRuleset(text: string, source: string): RulesetDefinition {
  let raw: Record<string, unknown>;
  try {
    raw = parseYaml(text) as Record<string, unknown>;
  } catch (e) {
    throw new DomainError("configuration", `lint ruleset ${source} is not JSON or YAML: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== "object") throw new DomainError("configuration", `lint ruleset ${source} must be an object with extends and/or rules`);
  const extendsOf = (entry: unknown): unknown => {
    const [name, mode] = Array.isArray(entry) ? entry : [entry, undefined];
    const ruleset = BUILT_IN[String(name)];
    if (!ruleset) throw new DomainError("configuration", `lint ruleset ${source} extends '${String(name)}': only ${Object.keys(BUILT_IN).join(" and ")} can be extended here`);
    return mode ? [ruleset, mode] : ruleset;
  };
  const rules: Record<string, unknown> = {};
  for (const [id, rule] of Object.entries((raw.rules ?? {}) as Record<string, unknown>)) {
    if (!rule || typeof rule !== "object") {
      rules[id] = rule;
      continue;
    }
    const r = { ...(rule as Record<string, unknown>) };
    const thens = (Array.isArray(r.then) ? r.then : [r.then]).map((t) => {
      const then = { ...(t as Record<string, unknown>) };
      const fn = (functions as Record<string, unknown>)[String(then.function)];
      if (!fn) throw new DomainError("configuration", `lint ruleset ${source}, rule '${id}': unknown function '${String(then.function)}'; use one of ${Object.keys(functions).join(", ")}`);
      then.function = fn;
      return then;
    });
    r.then = Array.isArray(rule && (rule as Record<string, unknown>).then) ? thens : thens[0];
    rules[id] = r;
  }
  // `extends` is one ruleset, [ruleset, mode], or a list of either.
  const isMode = (v: unknown) => v === "recommended" || v === "all" || v === "off";
  const ext = raw.extends === undefined ? [] : Array.isArray(raw.extends) ? (isMode(raw.extends[1]) ? [raw.extends] : raw.extends) : [raw.extends];
  return { ...(ext.length ? { extends: ext.map(extendsOf) } : {}), rules } as RulesetDefinition;
}

export interface LintJob {
  text: string;
  family: "spectral:oas" | "spectral:asyncapi";
  custom?: { text: string; source: string };
}

/** Runs Spectral on one spec (in the lint worker thread). */
export async function runSpectral(job: LintJob): Promise<LintResult[]> {
  const ruleset = job.custom ? parseRuleset(job.custom.text, job.custom.source) : ({ extends: [[BUILT_IN[job.family], "recommended"]] } as RulesetDefinition);
  const spectral = new Spectral({ resolver: new Resolver({ resolvers: {} }) });
  spectral.setRuleset(ruleset);
  const parser = job.text.trimStart().startsWith("{") ? Parsers.Json : Parsers.Yaml;
  const raw = await spectral.run(new Document(job.text, parser as never, "spec"));
  return raw.map((r) => ({
    rule: String(r.code),
    severity: SEVERITIES[r.severity] ?? "hint",
    message: r.message,
    path: r.path.map(String).join("."),
    line: r.range.start.line + 1,
  }));
}

/** Lints in a worker thread: a large spec takes Spectral a minute of CPU, which must not stall the server's other clients. */
function lintInWorker(job: LintJob): Promise<LintResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./lint-worker.js", import.meta.url), { workerData: job });
    worker.once("message", (m: { results?: LintResult[]; error?: string }) => (m.error ? reject(new DomainError("upstream", `linting failed: ${m.error}`)) : resolve(m.results!)));
    worker.once("error", (e) => reject(new DomainError("upstream", `linting failed: ${e.message}`)));
    worker.once("exit", (code) => code !== 0 && reject(new DomainError("upstream", `the lint worker stopped (exit ${code}); the spec may be too large to lint here`)));
  });
}

export class SpectralLinter implements SpecLinter {
  private readonly cache = new Map<string, LintResult[]>();
  private readonly custom?: { text: string; source: string };

  constructor(custom?: { text: string; source: string }) {
    if (custom) {
      // Surface a ruleset Spectral itself refuses at start-up, not on the first lint.
      new Spectral().setRuleset(parseRuleset(custom.text, custom.source));
      this.custom = custom;
    }
  }

  /** Lints a spec; results for the same text and ruleset are remembered. */
  async lint(text: string, specName: string | undefined): Promise<{ ruleset: string; results: LintResult[] }> {
    const family = specName?.toLowerCase() === "asyncapi" || /^\s*("asyncapi"|asyncapi\s*:)/m.test(text.slice(0, 2000)) ? "spectral:asyncapi" : "spectral:oas";
    const ruleset = this.custom ? "custom" : family;
    const key = createHash("sha256").update(ruleset).update("\0").update(text).digest("hex");
    let results = this.cache.get(key);
    if (!results) {
      results = await lintInWorker({ text, family, ...(this.custom ? { custom: this.custom } : {}) });
      if (this.cache.size >= 16) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, results);
    }
    return { ruleset, results };
  }
}
