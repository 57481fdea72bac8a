/**
 * The fast engine against Spectral itself: for every case of the corpus (every OpenAPI rule tripped, every kind of
 * $ref, three OpenAPI versions, JSON and YAML, custom rulesets including rules that fall back to Spectral), a slice
 * of GitHub's spec and Azure API Center's own ARM spec, the findings must be Spectral's, in Spectral's order.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Document, Ruleset, Spectral } from "@stoplight/spectral-core";
import ParsersModule from "@stoplight/spectral-parsers";
import { Resolver } from "@stoplight/spectral-ref-resolver";
import { oas } from "@stoplight/spectral-rulesets";
import { SEVERITIES, type LintResult } from "../../src/domain/specs/linter.js";
import { unsupported } from "../../src/spectral/fast/runner.js";
import { lintSpec } from "../../src/spectral/lint.js";
import { definitionFor, type LintJob } from "../../src/spectral/ruleset.js";
import { needsShared, SHARED_ARM } from "../helpers/shared.js";
import { CASES, githubSlice } from "./lint-corpus.js";

const Parsers = ((ParsersModule as any).Json ? ParsersModule : (ParsersModule as any).default) as typeof ParsersModule;

async function spectral(job: LintJob): Promise<LintResult[]> {
  const s = new Spectral({ resolver: new Resolver({ resolvers: {} }) });
  s.setRuleset(new Ruleset(definitionFor(job)));
  const parser = job.text.trimStart().startsWith("{") ? Parsers.Json : Parsers.Yaml;
  const results = await s.run(new Document(job.text, parser as never, "spec"));
  return results.map((r) => ({ rule: String(r.code), severity: SEVERITIES[r.severity]!, message: r.message, path: r.path.map(String).join("."), line: r.range.start.line + 1 }));
}

const jobOf = (text: string, ruleset?: string): LintJob => ({
  text,
  family: /asyncapi/.test(text.slice(0, 50)) ? "spectral:asyncapi" : "spectral:oas",
  ...(ruleset ? { custom: { text: ruleset, source: "ruleset.yaml" } } : {}),
});

async function assertSameAsSpectral(job: LintJob): Promise<void> {
  const [fast, stock] = await Promise.all([lintSpec(job), spectral(job)]);
  assert.ok(stock.length > 0, "the case trips at least one rule");
  assert.deepEqual(fast, stock);
}

for (const c of CASES) test(`same findings as Spectral: ${c.name}`, () => assertSameAsSpectral(jobOf(c.text, c.ruleset)));

test("same findings as Spectral: a slice of GitHub's spec", () => assertSameAsSpectral(jobOf(githubSlice(30))));

test("same findings as Spectral: Azure API Center's ARM spec (Swagger 2.0, external $refs)", needsShared, () =>
  assertSameAsSpectral(jobOf(readFileSync(join(SHARED_ARM, "spec", "2024-03-01", "apicenter.json"), "utf8"))),
);

test("every rule of Spectral's OpenAPI ruleset runs on the fast engine, for every OpenAPI version", () => {
  const ruleset = new Ruleset({ extends: [[oas, "all"]] } as never);
  const formats = (oas as unknown as { formats: Array<{ name: string }> }).formats.filter((f) => ["oas2", "oas3_0", "oas3_1", "oas3_2"].includes(f.name));
  assert.equal(formats.length, 4);
  for (const format of formats) {
    const formats = new Set([format]);
    const refused = Object.values(ruleset.rules)
      .filter((r) => r.matchesFormat(formats as never))
      .map((r) => [r.name, unsupported(r, formats)])
      .filter(([, why]) => why !== null);
    assert.deepEqual(refused, [], `${format.name}: rules that would run on Spectral`);
  }
});
