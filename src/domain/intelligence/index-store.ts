/**
 * The inventory index's ports to the outside: where it is saved between processes (IndexStore), and
 * what tells it about writes it did not make (ChangeSource). Adapters live outside the domain.
 */
import type { Kind, Path, Resource } from "../gateway.js";
import type { IndexedApi } from "./inventory-index.js";
import type { SearchDocument } from "./search.js";

/** The index of one scope as saved: enough for a new process to answer at once. */
export interface SavedIndex {
  /** When the crawl it came from started (epoch ms): its data is at least that fresh. */
  builtAt: number;
  /** The backend's ChangeSource position its data reflects every change up to, when the backend has one. */
  cursor?: string;
  /** Each API by its key, its entry read when called (so a process reads only what it uses), and its search document. */
  apis: Array<{ key: string; entry: () => IndexedApi; search?: SearchDocument }>;
  environments: Resource[];
  metadataSchemas: Resource[];
  apiSources: Resource[];
}

/** What changed since the last save of a scope. */
export interface IndexUpdate {
  builtAt: number;
  /**
   * See SavedIndex.cursor. Absent, the saved index has no position any more and the next process
   * revalidates it: an older position kept beside entries this update makes newer could, with two
   * processes saving in turn, vouch for an entry older than it.
   */
  cursor?: string;
  /** APIs to store, replacing those of the same name, each with its search document (worked out when written). */
  put: Array<{ entry: IndexedApi; search: () => SearchDocument }>;
  /** APIs to drop, by lower-cased name. */
  remove: string[];
  /** Everything else the scope's index holds; absent when unchanged. */
  environments?: Resource[];
  metadataSchemas?: Resource[];
  apiSources?: Resource[];
  /** The update is the whole index: APIs not in `put` are dropped. */
  replace?: boolean;
}

/**
 * Saved indexes, keyed by scope (Scope.key). Several processes may share one store: each update is
 * applied whole or not at all, and a load sees some complete state. An update may be written after
 * `save` returns (off the path of the answer that made it), but before the next load and at close.
 */
export interface IndexStore {
  load(scopeKey: string): Promise<SavedIndex | undefined>;
  save(scopeKey: string, update: IndexUpdate): Promise<void>;
}

/** A change, as the path of what changed (the whole inventory: `all`). */
export type ForeignChange = { kind: Kind; path: Path } | "all";

/**
 * A backend's history of changes (the local API Center's database keeps one). With it the index sees
 * writes other processes make to the same backend before its next answer, and a saved index is
 * brought up to date by reading only what changed since it was saved.
 */
export interface ChangeSource {
  /** Whether anyone else wrote since the last call; cheap, asked before every answer. */
  changedElsewhere(): Promise<boolean>;
  /** The position in the history now. */
  cursor(): Promise<string>;
  /** What changed after `cursor`, and the position now; null when `cursor` is not in this history. */
  since(cursor: string): Promise<{ changes: ForeignChange[]; cursor: string } | null>;
}
