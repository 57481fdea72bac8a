/**
 * Every write goes through a plan: the list of steps is built and checked first, then either shown
 * (dry run: exactly the ARM calls, nothing applied) or applied in order. When a step fails, the plan
 * is undone newest first: what it created is deleted, what it changed gets its old properties back,
 * so a failed call leaves no half-written state.
 */
import { DomainError } from "./errors.js";
import type { ApiCenterGateway, ArmCall, Step } from "./gateway.js";

export interface PlanResult {
  dryRun: boolean;
  /** The ARM calls made (or, on a dry run, that would be made). */
  calls: ArmCall[];
}

export type Progress = (message: string) => void;

export async function runPlan(
  gateway: ApiCenterGateway,
  steps: Step[],
  opts: { dryRun?: boolean; onProgress?: Progress } = {},
): Promise<PlanResult> {
  const calls = steps.map((s) => gateway.describe(s));
  if (opts.dryRun) return { dryRun: true, calls };
  const undo: Undo[] = [];
  for (const [i, step] of steps.entries()) {
    try {
      if (step.op === "put") {
        const before = await gateway.find(step.kind, step.path);
        await gateway.put(step.kind, step.path, step.properties);
        undo.push({ step, before: before?.properties ?? null });
      } else if (step.op === "delete") {
        await gateway.delete(step.kind, step.path);
      } else {
        await gateway.importSpecification(step.path, step.request, (status) => opts.onProgress?.(`import: ${status}`));
      }
      opts.onProgress?.(`step ${i + 1}/${steps.length} done: ${calls[i]!.method} ${calls[i]!.url.split("?")[0]!.split("/").slice(-2).join("/")}`);
    } catch (e) {
      const undone = await rollback(gateway, undo);
      if (e instanceof DomainError && undone.length) {
        throw new DomainError(e.kind, `${e.message} (nothing was kept: undid ${undone.join(", ")})`, e.detail);
      }
      throw e;
    }
  }
  return { dryRun: false, calls };
}

/** A put that was applied, and the properties it replaced (null when it created the resource). */
interface Undo {
  step: Extract<Step, { op: "put" }>;
  before: Record<string, unknown> | null;
}

async function rollback(gateway: ApiCenterGateway, applied: Undo[]): Promise<string[]> {
  const undone: string[] = [];
  for (const { step, before } of [...applied].reverse()) {
    try {
      if (before === null) {
        await gateway.delete(step.kind, step.path);
        undone.push(`created ${step.kind} '${nameIn(step)}'`);
      } else {
        await gateway.put(step.kind, step.path, before);
        undone.push(`changes to ${step.kind} '${nameIn(step)}'`);
      }
    } catch {
      // Best effort: a parent removed earlier in the rollback took this one with it.
    }
  }
  return undone;
}

function nameIn(step: Step): string {
  const p = step.path as Record<string, unknown>;
  return String(p[step.op === "import" ? "definition" : step.kind] ?? "");
}
