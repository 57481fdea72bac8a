/**
 * Linting as the inventory sees it: a port any engine can implement (src/spectral implements it with
 * Spectral in a worker thread), and the report an assistant gets: counts by severity, then one group
 * per rule and message (said once) with the places it applies to.
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

/** One rule's findings that share a message: the message once, then where (JSON path, with the line when known). */
export interface LintGroup {
  rule: string;
  severity: LintSeverity;
  message: string;
  count: number;
  at: string[];
}

export interface LintReport {
  ruleset: string;
  total: number;
  bySeverity: Record<LintSeverity, number>;
  findings: LintGroup[];
}

export interface SpecLinter {
  /** Every finding on one spec, and the name of the ruleset that produced them. */
  lint(text: string, specName: string | undefined): Promise<{ ruleset: string; results: LintResult[] }>;
}

/** The findings at `severity` or worse, grouped, the worst and most frequent first; at most `limit` places listed per group (counts cover all). */
export function lintReport(ruleset: string, results: LintResult[], opts: { limit: number; severity?: LintSeverity }): LintReport {
  const rank = (s: LintSeverity) => SEVERITIES.indexOf(s);
  const min = rank(opts.severity ?? "hint");
  const kept = results.filter((r) => rank(r.severity) <= min);
  const groups = new Map<string, LintGroup>();
  for (const r of kept) {
    const key = `${r.rule}\u0000${r.message}`;
    const g = groups.get(key) ?? { rule: r.rule, severity: r.severity, message: r.message, count: 0, at: [] };
    g.count += 1;
    if (g.at.length < opts.limit) g.at.push(r.line === undefined ? r.path : `${r.path} (line ${r.line})`);
    groups.set(key, g);
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, kept.filter((r) => r.severity === s).length])) as Record<LintSeverity, number>;
  return {
    ruleset,
    total: kept.length,
    bySeverity,
    findings: [...groups.values()].sort((a, b) => rank(a.severity) - rank(b.severity) || b.count - a.count),
  };
}
