/**
 * Every write goes through a plan: the list of steps is built and checked first, then either shown
 * (dry run: exactly the ARM calls, nothing applied) or applied in order. When a step fails, the plan
 * is undone newest first: what it created is deleted, what it changed gets its old properties back,
 * so a failed call leaves no half-written state.
 */
import { API_VERSION } from "../arm/api-versions.js";
import { PROPERTIES_SCHEMAS } from "../arm/models.js";
import { formatResourceId } from "../arm/resource-id.js";
import { RESOURCE_TYPES, type ResourceKind } from "../arm/resource-types.js";
import { DomainError } from "./errors.js";
import type { ApiCenterGateway, ArmCall, Step } from "./gateway.js";
import { refOf } from "./scope.js";

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
  const calls = steps.map((s) => describeStep(gateway, s));
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
      } else if (step.op === "importFromApim") {
        await gateway.importFromApim(step.sourceResourceIds, step.path.service, (status) => opts.onProgress?.(`import from API Management: ${status}`));
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

function nameIn(step: Extract<Step, { op: "put" }>): string {
  return String((step.path as Record<string, unknown>)[step.kind] ?? "");
}
