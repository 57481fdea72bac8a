/**
 * Every write goes through a plan: the list of steps is built and checked first, then either shown
 * (dry run: exactly the ARM calls, nothing applied) or applied in order. Before the first write, what
 * each step replaces is read and the plan is journaled (when a journal is given), and each step is
 * marked before it is sent, so a crash leaves a record the next start undoes. When a step fails, the
 * plan is undone newest first (undo.ts), the failed step included when its answer was lost: an
 * unanswered write may have been applied. The error then says what was undone and what was left.
 */
import { API_VERSION } from "../arm/api-versions.js";
import { PROPERTIES_SCHEMAS } from "../arm/models.js";
import { formatResourceId } from "../arm/resource-id.js";
import { RESOURCE_TYPES, type ResourceKind } from "../arm/resource-types.js";
import { DomainError } from "./errors.js";
import type { ApiCenterGateway, ArmCall, Step } from "./gateway.js";
import type { JournalEntry, JournaledStep, PlanJournal, PlanRecord } from "./journal.js";
import { clip } from "../arm/text.js";
import { refOf, resolveService } from "./scope.js";
import { undoSteps, withUndoReport } from "./undo.js";

export interface PlanResult {
  dryRun: boolean;
  /** The ARM calls made (or, on a dry run, that would be made). */
  calls: ArmCall[];
  /** Writes applied: on success, every step of the plan. */
  applied: number;
}

export type Progress = (message: string) => void;

export interface PlanOptions {
  dryRun?: boolean;
  onProgress?: Progress;
  /** Cancels the plan between steps and during a long-running import; what was applied is undone. */
  signal?: AbortSignal;
  /** Where plans in flight are recorded, so a crash leaves nothing half-made after the next start. */
  journal?: PlanJournal;
}

/** Refused outright (4xx other than 408/429), with its answer in hand: the step had no effect. */
function refused(e: unknown): boolean {
  const d = e instanceof DomainError ? e.detail : undefined;
  return !!d && !d.unanswered && d.status !== undefined && d.status >= 400 && d.status < 500 && d.status !== 408 && d.status !== 429;
}

/** What the journal keeps of a step: where, what it writes and what it replaces; never a spec's text. */
async function journaled(gateway: ApiCenterGateway, step: Step): Promise<JournaledStep> {
  const path = { ...step.path, service: resolveService(step.path.service, gateway.defaultService) };
  if (step.op === "import") return { op: "import", kind: "definition", path, state: "pending" };
  if (step.op === "importFromApim") return { op: "importFromApim", kind: "service", path, state: "pending" };
  if (step.op === "delete") return { op: "delete", kind: step.kind, path, state: "pending" };
  const found = await gateway.find(step.kind, step.path);
  return {
    op: "put",
    kind: step.kind,
    path,
    properties: step.properties,
    before: found ? { properties: found.properties, ...(found.etag ? { etag: found.etag } : {}) } : null,
    state: "pending",
  };
}

export async function runPlan(gateway: ApiCenterGateway, steps: Step[], opts: PlanOptions = {}): Promise<PlanResult> {
  const calls = steps.map((s) => describeStep(gateway, s));
  if (opts.dryRun || steps.length === 0) return { dryRun: !!opts.dryRun, calls, applied: 0 };
  const record: PlanRecord = { startedAt: new Date().toISOString(), steps: await Promise.all(steps.map((s) => journaled(gateway, s))) };
  record.steps[0]!.state = "sent";
  let entry: JournalEntry | undefined;
  try {
    entry = await opts.journal?.open(record);
  } catch (e) {
    throw new DomainError("configuration", `Could not record the plan before writing (${clip((e as Error).message, 200)}); nothing was changed. Check that the data directory is writable`);
  }
  for (const [i, step] of steps.entries()) {
    const mark = record.steps[i]!;
    try {
      if (i > 0) {
        mark.state = "sent";
        await entry?.save(record);
      }
      if (opts.signal?.aborted) throw new DomainError("upstream", "Cancelled before the plan was complete");
      if (step.op === "put") {
        const { etag } = await gateway.put(step.kind, step.path, step.properties);
        if (etag) mark.etag = etag;
      } else if (step.op === "delete") {
        await gateway.delete(step.kind, step.path);
      } else if (step.op === "importFromApim") {
        await gateway.importFromApim(step.sourceResourceIds, step.path.service, (status) => opts.onProgress?.(`import from API Management: ${status}`));
      } else {
        await gateway.importSpecification(step.path, step.request, {
          onProgress: (status) => opts.onProgress?.(`import: ${status}`),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
      }
      mark.state = "applied";
      opts.onProgress?.(`step ${i + 1}/${steps.length} done: ${calls[i]!.method} ${calls[i]!.url.split("?")[0]!.split("/").slice(-2).join("/")}`);
    } catch (e) {
      if (refused(e)) mark.state = "pending";
      const report = await undoSteps(gateway, record.steps);
      await entry?.close().catch(() => {});
      if (e instanceof DomainError) throw withUndoReport(e, report);
      throw e;
    }
  }
  try {
    await entry?.close();
  } catch (e) {
    // A record left behind would be undone at the next start, taking back a write reported as done.
    const report = await undoSteps(gateway, record.steps);
    throw withUndoReport(new DomainError("configuration", `Could not close the plan's journal record (${clip((e as Error).message, 200)}); check that the data directory is writable`), report);
  }
  return { dryRun: false, calls, applied: steps.length };
}

/** The ARM call a step would make, checked as the service would check it (names, properties): what a dry run shows. */
export function describeStep(gateway: ApiCenterGateway, step: Step): ArmCall {
  const kind: ResourceKind = step.op === "import" ? "definition" : step.op === "importFromApim" ? "service" : step.kind;
  const url = `${gateway.endpoint}${formatResourceId(refOf(kind, step.path, gateway.defaultService))}`;
  const q = `?api-version=${RESOURCE_TYPES[kind].apiVersion ?? API_VERSION}`;
  if (step.op === "importFromApim") return { method: "POST", url: `${url}/importFromApim${q}`, body: { sourceResourceIds: step.sourceResourceIds } };
  if (step.op === "put") {
    const checked = PROPERTIES_SCHEMAS[step.kind].safeParse(step.properties);
    if (!checked.success) {
      const why = checked.error.issues.map((i) => `${i.path.join(".") || "properties"}: ${i.message}`).join("; ");
      throw new DomainError("invalid_input", `the ${RESOURCE_TYPES[step.kind].label} properties are invalid: ${why}`);
    }
    return { method: "PUT", url: url + q, body: { properties: step.properties } };
  }
  if (step.op === "delete") return { method: "DELETE", url: url + q };
  const { value, ...rest } = step.request;
  // The spec text can be megabytes: the dry run shows its size, not its bytes.
  const shown = step.request.format === "inline" ? `<${Buffer.byteLength(value, "utf8")} bytes of specification>` : value;
  return { method: "POST", url: `${url}/importSpecification${q}`, body: { ...rest, value: shown } };
}

