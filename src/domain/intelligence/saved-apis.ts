/**
 * The APIs of a saved index, read back lazily: a new process answers its first question from the
 * saved search documents and reads an API's entry only when something asks for it (the rows of that
 * answer), or for all of them when something goes through them all (an audit). 20,000 entries cost
 * half a second to read; the search documents alone, a fraction of that.
 */
import type { IndexedApi } from "./inventory-index.js";
import type { SearchDocument } from "./search.js";

const UNREAD = Symbol("unread");
type Slot = IndexedApi | typeof UNREAD;

/** A map of API key to entry whose entries are read on first use; the search documents saved with them stay valid until an entry is replaced. */
export class SavedApis extends Map<string, IndexedApi> {
  private readonly readers = new Map<string, () => IndexedApi>();
  /** The saved search document of each API whose entry is still the saved one. */
  readonly documents = new Map<string, SearchDocument>();

  constructor(saved: Array<{ key: string; entry: () => IndexedApi; search?: SearchDocument }>) {
    super();
    for (const { key, entry, search } of saved) {
      this.readers.set(key, entry);
      if (search) this.documents.set(key, search);
      super.set(key, UNREAD as unknown as IndexedApi);
    }
  }

  override get(key: string): IndexedApi | undefined {
    const slot = super.get(key) as Slot | undefined;
    if (slot !== UNREAD) return slot;
    const entry = this.readers.get(key)!();
    this.readers.delete(key);
    super.set(key, entry);
    return entry;
  }

  override set(key: string, entry: IndexedApi): this {
    this.readers.delete(key);
    this.documents.delete(key);
    return super.set(key, entry);
  }

  override delete(key: string): boolean {
    this.readers.delete(key);
    this.documents.delete(key);
    return super.delete(key);
  }

  private readAll(): void {
    for (const key of [...this.readers.keys()]) this.get(key);
  }

  override values(): MapIterator<IndexedApi> {
    this.readAll();
    return super.values();
  }

  override entries(): MapIterator<[string, IndexedApi]> {
    this.readAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, IndexedApi]> {
    return this.entries();
  }

  override forEach(fn: (value: IndexedApi, key: string, map: Map<string, IndexedApi>) => void, thisArg?: unknown): void {
    this.readAll();
    super.forEach(fn, thisArg);
  }
}
