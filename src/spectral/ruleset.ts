/**
 * Lint rulesets: the standard OpenAPI and AsyncAPI rulesets, or a custom ruleset (JSON or YAML) that extends them
 * and uses Spectral's core functions, read into the RulesetDefinition Spectral itself builds rules from.
 */
import { createRequire } from "node:module";
import { Ruleset, type RulesetDefinition } from "@stoplight/spectral-core";
import * as functions from "@stoplight/spectral-functions";
import { parse as parseYaml } from "yaml";
import { DomainError } from "../domain/errors.js";

// Each built-in ruleset is loaded when a lint needs it (the package's index loads all of them, AsyncAPI's schemas included).
const require = createRequire(import.meta.url);
const BUILT_IN: Record<string, () => unknown> = {
  "spectral:oas": () => (require("@stoplight/spectral-rulesets/dist/oas/index.js") as { default: unknown }).default,
  "spectral:asyncapi": () => (require("@stoplight/spectral-rulesets/dist/asyncapi/index.js") as { default: unknown }).default,
};

export type Family = "spectral:oas" | "spectral:asyncapi";

export interface LintJob {
  text: string;
  family: Family;
  custom?: { text: string; source: string };
}

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
    const ruleset = BUILT_IN[String(name)]?.();
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

/** Checks a custom ruleset as Spectral would, so that a bad one is refused at start-up rather than on the first lint. */
export function checkRuleset(custom: { text: string; source: string }): void {
  new Ruleset(parseRuleset(custom.text, custom.source));
}

export function definitionFor(job: LintJob): RulesetDefinition {
  return job.custom ? parseRuleset(job.custom.text, job.custom.source) : ({ extends: [[BUILT_IN[job.family]!(), "recommended"]] } as RulesetDefinition);
}
