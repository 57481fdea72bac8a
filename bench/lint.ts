/**
 * lint_spec against the field, side by side in one run: lint_spec's engine (SpectralLinter, in its worker thread, as
 * the server runs it), Redocly's recommended rules (@redocly/openapi-core) and stock Spectral (spectral:oas
 * recommended), each lint in a process of its own for its own peak memory; then every finding compared rule by
 * rule with stock Spectral, on GitHub's spec and on small ones.
 *   node dist/bench/lint.js                        the section, written into BENCHMARKS.md (also part of npm run bench)
 *   node dist/bench/lint.js run <engine> <file>    one lint in this process, one JSON line
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createConfig, lint as redoclyLint } from "@redocly/openapi-core";
import { Document, Spectral } from "@stoplight/spectral-core";
import ParsersModule from "@stoplight/spectral-parsers";
import { Resolver } from "@stoplight/spectral-ref-resolver";
import { oas } from "@stoplight/spectral-rulesets";
import { SpectralLinter } from "../src/spectral/spectral-linter.js";
import { SHARED_ARM } from "../test/helpers/shared.js";
import { CASES } from "../test/spectral/lint-corpus.js";
import { writeSection } from "./markdown.js";
import { median } from "./timing.js";

type Engine = "apicenter-mcp" | "redocly" | "spectral";
interface Run {
  ms: number;
  peakMiB: number;
  findings: number;
  byRule: Record<string, number>;
}

const Parsers = ((ParsersModule as any).Json ? ParsersModule : (ParsersModule as any).default) as typeof ParsersModule;
const GITHUB = createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");

const countBy = (codes: string[]) => codes.reduce<Record<string, number>>((m, c) => ((m[c] = (m[c] ?? 0) + 1), m), {});

async function runOne(engine: Engine, file: string): Promise<Run> {
  const text = readFileSync(file, "utf8");
  let codes: string[];
  const t = performance.now();
  if (engine === "apicenter-mcp") {
    const linter = new SpectralLinter();
    codes = (await linter.lint(text, undefined)).results.map((r) => r.rule);
    await linter.close();
  } else if (engine === "redocly") {
    const config = await createConfig({ extends: ["recommended"] });
    codes = (await redoclyLint({ ref: file, config })).map((p) => p.ruleId);
  } else {
    const spectral = new Spectral({ resolver: new Resolver({ resolvers: {} }) });
    spectral.setRuleset({ extends: [[oas, "recommended"]] } as never);
    const parser = text.trimStart().startsWith("{") ? Parsers.Json : Parsers.Yaml;
    codes = (await spectral.run(new Document(text, parser as never, "spec"))).map((r) => String(r.code));
  }
  const ms = performance.now() - t;
  return { ms, peakMiB: Math.round(process.resourceUsage().maxRSS / 1024), findings: codes.length, byRule: countBy(codes) };
}

function spawnRun(engine: Engine, file: string): Run {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "run", engine, file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split("\n").pop()!) as Run;
}

const secs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

export function lintSection(): string[] {
  const runs = Number(process.env.BENCH_LINT_RUNS ?? 3);
  const stock = !process.env.BENCH_SKIP_STOCK;
  const measured = (engine: Engine, n: number) => {
    const rs = Array.from({ length: n }, () => spawnRun(engine, GITHUB));
    return { engine, runs: rs, ms: median(rs.map((r) => r.ms)), peakMiB: median(rs.map((r) => r.peakMiB)) };
  };
  const rows = [measured("apicenter-mcp", runs), measured("redocly", runs), ...(stock ? [measured("spectral", 1)] : [])];
  const label: Record<Engine, string> = {
    "apicenter-mcp": "lint_spec (this server: Spectral's rules on its own engine, in its lint worker)",
    redocly: "Redocly `recommended` (@redocly/openapi-core)",
    spectral: "Spectral `spectral:oas` recommended (stock @stoplight/spectral-core)",
  };

  const dir = mkdtempSync(join(tmpdir(), "apicenter-lint-bench-"));
  const small: Array<[string, string]> = [];
  for (const name of ["OpenAPI 3.0, JSON", "OpenAPI 2.0"]) {
    const file = join(dir, `${name.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, CASES.find((c) => c.name === name)!.text);
    small.push([`test corpus: ${name} (every recommended rule tripped)`, file]);
  }
  for (const [name, rel] of [
    ["Petstore (API Center test asset)", "recordings/test_assets/petstore.json"],
    ["Azure API Center ARM spec 2024-03-01 (Swagger 2.0)", "spec/2024-03-01/apicenter.json"],
  ]) {
    if (existsSync(join(SHARED_ARM, rel!))) small.push([name!, join(SHARED_ARM, rel!)]);
  }
  const comparisons: Array<[string, Run, Run | undefined]> = [
    ["GitHub's api.github.com.json (13 MB)", rows[0]!.runs[0]!, stock ? rows[2]!.runs[0]! : undefined],
    ...small.map(([name, file]) => [name, spawnRun("apicenter-mcp", file), spawnRun("spectral", file)] as [string, Run, Run]),
  ];
  rmSync(dir, { recursive: true, force: true });

  const differences = comparisons.flatMap(([name, ours, theirs]) =>
    theirs ? Object.keys({ ...ours.byRule, ...theirs.byRule }).filter((rule) => ours.byRule[rule] !== theirs.byRule[rule]).map((rule) => `${name}: ${rule}`) : [],
  );
  return [
    "## lint_spec against Redocly and stock Spectral",
    "",
    `Command: \`npm run bench\`, or this section alone: \`npm run build && node dist/bench/lint.js\` (BENCH_LINT_RUNS=${runs}${stock ? "" : ", BENCH_SKIP_STOCK"}).`,
    "Each lint runs in a process of its own on `@octokit/openapi`'s api.github.com.json; time is the lint call (parsing included), peak memory the",
    `process's maximum resident set; medians of ${runs} runs (stock Spectral: one run).`,
    "",
    "| engine | findings | time | peak memory |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${label[r.engine]} | ${r.runs[0]!.findings} | ${secs(r.ms)} | ${r.peakMiB} MiB |`),
    "",
    "Redocly's recommended rules are other rules (different checks, different counts); they are here for speed. lint_spec runs Spectral's own",
    "rulesets and rule functions, so its findings are compared with stock Spectral's, rule by rule (same command, same run):",
    "",
    ...comparisons.flatMap(([name, ours, theirs]) => [
      `${name}: ${ours.findings} findings from lint_spec${theirs ? `, ${theirs.findings} from Spectral` : " (Spectral skipped)"}.`,
      "",
      "| rule | Spectral | lint_spec |",
      "|---|---|---|",
      ...Object.keys({ ...ours.byRule, ...(theirs?.byRule ?? {}) })
        .sort()
        .map((rule) => `| ${rule} | ${theirs ? (theirs.byRule[rule] ?? 0) : "-"} | ${ours.byRule[rule] ?? 0} |`),
      "",
    ]),
    differences.length === 0
      ? "Differences in findings: none (same rules, same counts; test/spectral/lint-equivalence.test.ts checks path, line, message and order too)."
      : `Differences in findings: ${differences.join("; ")}.`,
    "Where they could differ by construction (not seen on any spec here): a custom rule whose function depends on the order of integer-like",
    "keys (lint_spec reads JSON with JSON.parse, which puts them first) or on which $ref route reached an object (lint_spec runs it once per",
    "object, on the first route; Spectral runs it per route and keeps the distinct findings).",
    "",
  ];
}

const [mode, engine, file] = process.argv.slice(2);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (mode === "run") {
    runOne(engine as Engine, file!).then(
      (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
      (e: Error) => {
        process.stderr.write(`${e.stack ?? e.message}\n`);
        process.exit(1);
      },
    );
  } else {
    const lines = lintSection();
    writeSection(lines);
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
