/**
 * One lint of one spec, with Spectral's rules and Spectral's semantics, at the speed a 13 MB spec needs.
 *
 * Spectral spends its time walking every $ref route of the resolved document (nimma), re-compiling an example
 * validator for every route that reaches an example, copying the document through immer while resolving, and
 * building a range for every value while parsing. Here the same rules (Spectral's Ruleset: extends, modes, severities,
 * aliases) run their same functions on the same resolved document, walked as a graph (fast/), and findings are
 * mapped, templated, deduplicated and sorted as Spectral does. A rule this engine cannot run (a `given` outside its
 * JSONPath subset, such as most of the AsyncAPI ruleset) runs on Spectral itself, in the same lint.
 */
import { Document, getDiagnosticSeverity, Ruleset, Spectral, type Rule, type RulesetDefinition } from "@stoplight/spectral-core";
import ParsersModule from "@stoplight/spectral-parsers";
import { Resolver } from "@stoplight/spectral-ref-resolver";
import { SEVERITIES, type LintResult } from "../domain/specs/linter.js";
import { fastExampleFunctions } from "./fast/examples.js";
import { locateInJson, type Position } from "./fast/json-locations.js";
import type { JsonPath } from "./fast/pointer.js";
import { resolveDocument } from "./fast/resolve.js";
import { FastRunner, prepareResults, SOURCE, unsupported, type Finding } from "./fast/runner.js";
import { definitionFor, type LintJob } from "./ruleset.js";

// spectral-parsers is CommonJS whose named exports sit on `default` under ESM.
const Parsers = ((ParsersModule as unknown as { Json?: unknown }).Json ? ParsersModule : (ParsersModule as unknown as { default: typeof ParsersModule }).default) as typeof ParsersModule;

interface Source {
  data: unknown;
  diagnostics: Finding[];
  locate(paths: JsonPath[]): { positions: Position[]; diagnostics: Finding[] };
}

const isJson = (text: string) => text.trimStart().startsWith("{");

function jsonSource(text: string, duplicateKeys: number): Source | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  return {
    data,
    diagnostics: [],
    locate(paths) {
      const { positions, duplicates } = locateInJson(text, paths);
      const diagnostics =
        duplicateKeys === -1 ? [] : duplicates.map((d) => ({ code: "parser", message: `Duplicate key: ${d.key}`, path: d.path, severity: duplicateKeys, at: d.at }));
      return { positions, diagnostics };
    },
  };
}

function yamlSource(text: string, ruleset: Ruleset): Source {
  const doc = new Document(text, Parsers.Yaml, SOURCE);
  const options = ruleset.parserOptions;
  const diagnostics: Finding[] = [];
  for (const d of doc.diagnostics) {
    if (d.code !== "parser") continue;
    const severity = d.message.startsWith("Mapping key must be a string scalar rather than")
      ? getDiagnosticSeverity(options.incompatibleValues)
      : d.message.startsWith("Duplicate key")
        ? getDiagnosticSeverity(options.duplicateKeys)
        : d.severity;
    if (severity !== -1) diagnostics.push({ code: "parser", message: d.message, path: d.path, severity, at: d.range.start });
  }
  return {
    data: doc.data,
    diagnostics,
    locate: (paths) => ({ positions: paths.map((p) => doc.getRangeForJsonPath(p, true)?.start ?? { line: 0, character: 0 }), diagnostics: [] }),
  };
}

/** Spectral itself, on the named rules only (or all of them). */
async function runSpectral(text: string, definition: RulesetDefinition, only?: Set<string>): Promise<Finding[]> {
  const ruleset = new Ruleset(definition);
  if (only) for (const rule of Object.values(ruleset.rules)) if (!only.has(rule.name)) rule.enabled = false;
  const spectral = new Spectral({ resolver: new Resolver({ resolvers: {} }) });
  spectral.setRuleset(ruleset);
  const results = await spectral.run(new Document(text, (isJson(text) ? Parsers.Json : Parsers.Yaml) as never, SOURCE));
  return results
    .filter((r) => !only || only.has(String(r.code)))
    .map((r) => ({ code: String(r.code), message: r.message, path: r.path.map(String), severity: r.severity, at: r.range.start }));
}

export async function lintSpec(job: LintJob): Promise<LintResult[]> {
  const definition = definitionFor(job);
  const ruleset = new Ruleset(definition).fromSource(SOURCE);
  const source = isJson(job.text) ? jsonSource(job.text, getDiagnosticSeverity(ruleset.parserOptions.duplicateKeys)) : yamlSource(job.text, ruleset);
  // What JSON.parse refuses, Spectral's tolerant parser reports on.
  const findings = source ? await lintSource(source, ruleset, job.text, definition) : await runSpectral(job.text, definition);
  return prepareResults(findings).map((f) => ({
    rule: f.code,
    severity: SEVERITIES[f.severity] ?? "hint",
    message: f.message,
    path: f.path.map(String).join("."),
    line: f.at!.line + 1,
  }));
}

async function lintSource(source: Source, ruleset: Ruleset, text: string, definition: RulesetDefinition): Promise<Finding[]> {
  const { resolved, refMap, graphNodes, errors } = resolveDocument(source.data, SOURCE);
  const findings: Finding[] = [...source.diagnostics];

  const found = [...ruleset.formats].filter((format) => format(resolved, SOURCE));
  const formats = found.length > 0 ? new Set<unknown>(found) : null;
  if (!formats && ruleset.formats.size > 0) {
    const names = [...ruleset.formats].map((f) => (f as { displayName?: string }).displayName ?? f.name).join(", ");
    findings.push({ code: "unrecognized-format", message: `The provided document does not match any of the registered formats [${names}]`, path: [], severity: 1 });
  }

  const rules = Object.values(ruleset.rules).filter((r) => r.enabled && r.matchesFormat(formats as never));
  const onSpectral = new Set(rules.filter((r) => unsupported(r, formats) !== null).map((r) => r.name));
  const runner = new FastRunner({ data: source.data, resolved, refMap, graphNodes, formats }, fastExampleFunctions());
  runner.run((rules as Rule[]).filter((r) => !onSpectral.has(r.name)));
  await runner.settle();
  findings.push(...runner.findings);
  if (onSpectral.size > 0) findings.push(...(await runSpectral(text, definition, onSpectral)));

  const invalidRefs = errors.map((e) => ({ code: "invalid-ref", message: e.message, path: [...e.path, "$ref"], severity: 0 }) as Finding);
  const unplaced = [...findings, ...invalidRefs].filter((f) => !f.at);
  const { positions, diagnostics } = source.locate(unplaced.map((f) => f.path));
  unplaced.forEach((f, i) => (f.at = positions[i]));
  // Spectral reports each distinct resolver message once, at its first place in the document.
  const firstRef = new Map<string, Finding>();
  for (const f of invalidRefs) {
    const seen = firstRef.get(f.message);
    if (!seen || f.at!.line < seen.at!.line || (f.at!.line === seen.at!.line && f.at!.character < seen.at!.character)) firstRef.set(f.message, f);
  }
  return [...diagnostics, ...firstRef.values(), ...findings];
}
