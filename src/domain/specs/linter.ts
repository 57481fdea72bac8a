/**
 * Linting as the inventory sees it: a port any engine can implement (src/spectral implements it with
 * Spectral in a worker thread), and the report an assistant gets, counted by severity and rule.
 */
export type LintSeverity = "error" | "warning" | "info" | "hint";
export const SEVERITIES: LintSeverity[] = ["error", "warning", "info", "hint"];

export interface LintResult {
  rule: string;
  severity: LintSeverity;
  message: string;
  /** JSON path of the offending node, e.g. paths./pets.get.responses */
  path: string;
  line?: number;
}

export interface LintReport {
  ruleset: string;
  total: number;
  bySeverity: Record<LintSeverity, number>;
  byRule: Array<{ rule: string; severity: LintSeverity; count: number }>;
  results: LintResult[];
}

export interface SpecLinter {
  /** Every finding on one spec, and the name of the ruleset that produced them. */
  lint(text: string, specName: string | undefined): Promise<{ ruleset: string; results: LintResult[] }>;
}

/** The findings at `severity` or worse, counted, the worst first, at most `limit` of them listed. */
export function lintReport(ruleset: string, results: LintResult[], opts: { limit: number; severity?: LintSeverity }): LintReport {
  const rank = (s: LintSeverity) => SEVERITIES.indexOf(s);
  const min = rank(opts.severity ?? "hint");
  const kept = results.filter((r) => rank(r.severity) <= min);
  const byRule = new Map<string, { rule: string; severity: LintSeverity; count: number }>();
  for (const r of kept) {
    const e = byRule.get(r.rule) ?? { rule: r.rule, severity: r.severity, count: 0 };
    e.count += 1;
    byRule.set(r.rule, e);
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, kept.filter((r) => r.severity === s).length])) as Record<LintSeverity, number>;
  const ordered = [...kept].sort((a, b) => rank(a.severity) - rank(b.severity));
  return {
    ruleset,
    total: kept.length,
    bySeverity,
    byRule: [...byRule.values()].sort((a, b) => rank(a.severity) - rank(b.severity) || b.count - a.count),
    results: ordered.slice(0, opts.limit),
  };
}
