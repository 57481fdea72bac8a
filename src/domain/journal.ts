/**
 * The journal of plans in flight, a port: before a plan's first write, its steps and what each one
 * replaces are recorded; each step is marked before it is sent; the record goes when the plan ends,
 * applied or undone and reported. A record that outlives its process is a plan a crash interrupted,
 * never acknowledged to anyone: the next start undoes it (see recoverPlans in undo.ts).
 */
import type { Kind, Path } from "./gateway.js";

/** pending: not sent yet; sent: sent, and may have been applied; applied: its answer came back. */
export type StepState = "pending" | "sent" | "applied";

/** A step as the journal keeps it: enough to undo it, never the spec text an import sends. */
export interface JournaledStep {
  op: "put" | "delete" | "import" | "importFromApim";
  /** What the step writes; an import writes a definition's spec, an import from API Management the service's APIs. */
  kind: Kind | "service";
  /** Where, with the service spelled out, so a recovery under another configuration addresses the same one. */
  path: Path;
  /** put: the properties written, to recognise the write as ours when its answer was lost. */
  properties?: Record<string, unknown>;
  /** put: what it replaced, read just before; null when the step created the resource. */
  before?: { properties: Record<string, unknown>; etag?: string } | null;
  state: StepState;
  /** put: the etag its answer carried. */
  etag?: string;
}

export interface PlanRecord {
  startedAt: string;
  steps: JournaledStep[];
}

export interface PlanJournal {
  /** Records a plan before its first write (durably: the call returns once it would survive a crash). */
  open(record: PlanRecord): Promise<JournalEntry>;
  /** Plans whose process is gone, each claimed so that no other process recovers it too. */
  claimAbandoned(): Promise<ClaimedPlan[]>;
}

export interface JournalEntry {
  /** Replaces the record, durably. */
  save(record: PlanRecord): Promise<void>;
  /** The plan ended: applied, or undone as far as it could be and the caller told. */
  close(): Promise<void>;
}

export interface ClaimedPlan {
  record: PlanRecord;
  /** Recovered: the record goes. */
  done(): Promise<void>;
  /** Not recovered now (the service could not be reached): left for the next start. */
  release(): Promise<void>;
}
