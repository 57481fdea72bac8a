/**
 * Undoing a plan's writes, newest first, for a plan that failed and for one a crash interrupted.
 * Every undo is conditional and safe to repeat: a created resource is deleted, and a changed one gets
 * its earlier properties back (If-Match), only while it is still as this plan left it; a resource
 * another writer changed since is left alone and named. A step that was sent without an answer is
 * treated as applied: its undo finds out whether it was.
 */
import { formatResourceId } from "../arm/resource-id.js";
import { RESOURCE_TYPES } from "../arm/resource-types.js";
import { DomainError } from "./errors.js";
import type { ApiCenterGateway, Kind, Resource } from "./gateway.js";
import type { JournaledStep, PlanJournal } from "./journal.js";
import { clip } from "../arm/text.js";
import { refOf } from "./scope.js";

export interface UndoReport {
  /** What was put back, e.g. "deleted API 'orders'". */
  undone: string[];
  /** What the plan made or changed that remains, by name, and why. */
  left: string[];
  /** Some undo failed on an error (not on a deliberate refusal): worth trying again later. */
  failed: boolean;
}

/** A step in words: "API 'orders'", "API version 'v1' of API 'orders'". */
export function nameOf(step: Pick<JournaledStep, "kind" | "path">): string {
  const p = step.path;
  if (step.kind === "service") return `service '${p.service?.serviceName ?? ""}'`;
  const own = `${RESOURCE_TYPES[step.kind].label} '${String(p[step.kind] ?? "")}'`;
  if (step.kind === "version" || step.kind === "deployment") return `${own} of API '${p.api}'`;
  if (step.kind === "definition") return `${own} of ${p.api}/${p.version}`;
  return own;
}

/**
 * Whether `actual` holds `expected`: the same values, where the service may add members of its own
 * to objects (defaults such as `deprecated: false`, read-only ones such as `lifecycleStage`).
 */
function contains(actual: unknown, expected: unknown): boolean {
  if (expected === undefined || expected === null) return actual === undefined || actual === null;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => contains(actual[i], e));
  if (typeof expected === "object") {
    if (!actual || typeof actual !== "object" || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}

/** Whether `actual` holds every value `expected` names, or the ones under `keys`. */
function holds(actual: Record<string, unknown>, expected: Record<string, unknown>, keys = Object.keys(expected)): boolean {
  return keys.every((k) => contains(actual[k], expected[k]));
}

const reason = (e: unknown) => clip(e instanceof Error ? e.message : String(e), 200);

const idOf = (gateway: ApiCenterGateway, step: JournaledStep) => formatResourceId(refOf(step.kind, step.path, gateway.defaultService)).toLowerCase();

/** Undoes the steps that were sent, newest first; never throws: what it could not undo is in `left`. */
export async function undoSteps(gateway: ApiCenterGateway, steps: readonly JournaledStep[]): Promise<UndoReport> {
  const report: UndoReport = { undone: [], left: [], failed: false };
  const started = steps.filter((s) => s.state !== "pending");
  // A resource this plan created takes everything below it when deleted: those need no undo of their own.
  const created = started.filter((s) => s.op === "put" && s.before === null).map((s) => idOf(gateway, s));
  const below = (s: JournaledStep) => created.some((id) => idOf(gateway, s).startsWith(`${id}/`));
  for (const step of [...started].reverse()) {
    if (step.op === "delete" || below(step)) continue;
    const id = idOf(gateway, step);
    // What this plan made under a resource it created goes, or stays, with it.
    const under = step.before === null ? started.filter((s) => s.op === "put" && idOf(gateway, s).startsWith(`${id}/`)).map((s) => `${RESOURCE_TYPES[s.kind].label} '${String(s.path[s.kind] ?? "")}'`) : [];
    const what = `${nameOf(step)}${under.length ? ` with the ${under.join(" and ")} under it` : ""}`;
    if (step.op === "importFromApim") {
      report.left.push("what the import from API Management brought in, which may have been imported in part (an import cannot be undone; list_apis shows the APIs)");
      continue;
    }
    if (step.op === "import") {
      report.left.push(`the spec of ${what}, which may have been replaced (an import into an existing definition cannot be undone; import the old spec again if it was)`);
      continue;
    }
    try {
      // Only puts remain here, and a put writes a resource kind below the service.
      const put = step as PutStep;
      const outcome = put.before === null ? await undoCreate(gateway, put, what) : await undoUpdate(gateway, put, what);
      if (outcome.undone) report.undone.push(outcome.undone);
      if (outcome.left) report.left.push(outcome.left);
    } catch (e) {
      report.failed = true;
      report.left.push(`${what} (${step.before === null ? "its delete" : "restoring it"} failed: ${reason(e)})`);
    }
  }
  return report;
}

type PutStep = JournaledStep & { kind: Kind };

interface Outcome {
  undone?: string;
  left?: string;
}

/** Whether the resource is as this step left it: the etag its answer carried, or else the values it wrote. */
function ours(step: PutStep, now: Resource): boolean {
  return (step.etag !== undefined && now.etag === step.etag) || holds(now.properties, step.properties ?? {});
}

async function undoCreate(gateway: ApiCenterGateway, step: PutStep, what: string): Promise<Outcome> {
  const now = await gateway.find(step.kind, step.path);
  if (!now) return {};
  if (!ours(step, now)) return { left: `${what} (changed by another writer since this call created it, so not deleted)` };
  try {
    await gateway.delete(step.kind, step.path, now.etag ? { ifMatch: now.etag } : {});
  } catch (e) {
    if (!(e instanceof DomainError && e.kind === "precondition_failed")) throw e;
    if (await gateway.find(step.kind, step.path)) return { left: `${what} (changed by another writer while it was being undone, so not deleted)` };
  }
  return { undone: `deleted ${what}` };
}

async function undoUpdate(gateway: ApiCenterGateway, step: PutStep, what: string): Promise<Outcome> {
  const before = step.before!;
  const written = Object.keys(step.properties ?? {});
  const now = await gateway.find(step.kind, step.path);
  if (!now) return { left: `${what} (deleted by another writer since this call changed it, so not restored)` };
  if (holds(now.properties, before.properties, written)) return {};
  if (!ours(step, now)) return { left: `${what} (changed by another writer since this call changed it, so not restored)` };
  try {
    await gateway.put(step.kind, step.path, before.properties, now.etag ? { ifMatch: now.etag } : {});
  } catch (e) {
    if (!(e instanceof DomainError && e.kind === "precondition_failed")) throw e;
    const again = await gateway.find(step.kind, step.path);
    if (!again || !holds(again.properties, before.properties, written)) return { left: `${what} (changed by another writer while it was being restored, so not restored)` };
  }
  return { undone: `restored ${what}` };
}

/** The failure of a plan, with what its undo did: the whole truth in one message. */
export function withUndoReport(e: DomainError, report: UndoReport): DomainError {
  const said = e.message.replace(/[.;\s]+$/, "");
  const tail = report.left.length
    ? `Not cleanly undone: left behind ${report.left.join("; ")}${report.undone.length ? `; undone: ${report.undone.join(", ")}` : ""}. Run the call again to complete it, or delete what was left`
    : report.undone.length
      ? `Undone cleanly, nothing was kept: ${report.undone.join(", ")}`
      : "Nothing was changed";
  return new DomainError(e.kind, `${said}. ${tail}.`, e.detail);
}

export interface RecoveredPlan {
  startedAt: string;
  /** The plan's steps, in words. */
  steps: string;
  report: UndoReport;
  /** Left in the journal for the next start, because some undo failed on an error. */
  retryLater: boolean;
}

/**
 * Undoes the plans a crash interrupted. None of them was acknowledged, so undoing is what the caller
 * who saw no answer expects; a plan whose undo failed on an error stays journaled for the next start.
 */
export async function recoverPlans(gateway: ApiCenterGateway, journal: PlanJournal): Promise<RecoveredPlan[]> {
  const out: RecoveredPlan[] = [];
  for (const plan of await journal.claimAbandoned()) {
    const report = await undoSteps(gateway, plan.record.steps);
    if (report.failed) await plan.release();
    else await plan.done();
    out.push({
      startedAt: plan.record.startedAt,
      steps: plan.record.steps.map((s) => `${s.op} ${nameOf(s)}${s.state === "pending" ? " (not sent)" : ""}`).join(", "),
      report,
      retryLater: report.failed,
    });
  }
  return out;
}

/** One log line for a recovered plan. */
export function recoveredLine(p: RecoveredPlan): string {
  const r = p.report;
  const did = r.undone.length ? `undone: ${r.undone.join(", ")}` : "nothing of it had been applied";
  return `recovered a plan interrupted at ${p.startedAt} (${p.steps}): ${did}${r.left.length ? `; left: ${r.left.join("; ")}` : ""}${p.retryLater ? "; will try again at the next start" : ""}`;
}
