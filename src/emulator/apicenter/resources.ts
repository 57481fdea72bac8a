/**
 * The Microsoft.ApiCenter resources as the store keeps them, addressed by ARM reference, with the
 * state the service derives on every write: a new service's `default` workspace and an API's
 * read-only lifecycle stage. Knows nothing of HTTP; handlers call it inside their transactions.
 */
import {
  childRef,
  formatResourceId,
  kindOf,
  nameOf,
  parentOf,
  resourceGroupPath,
  serviceRef,
  type ResourceRef,
  type ServiceScope,
} from "../../arm/resource-id.js";
import type { ResourceKind } from "../../arm/resource-types.js";
import type { SqlCondition } from "../filter.js";
import type { ResourceDoc, Store, StoredResource } from "../store.js";

/** The store's key of a resource: its ARM id lower-cased, as ARM names are case-insensitive. */
const keyOf = (ref: ResourceRef): string => formatResourceId(ref).toLowerCase();

/** The service a resource belongs to. */
export const serviceOf = (ref: ResourceRef): ResourceRef => ({ ...ref, chain: ref.chain.slice(0, 1) });

export class ApiCenterResources {
  constructor(readonly store: Store) {}

  transaction<T>(fn: () => T): T {
    return this.store.transaction(fn);
  }

  get(ref: ResourceRef): StoredResource | undefined {
    return this.store.get(keyOf(ref));
  }

  /** The shortest prefix of `ref`'s chain that does not exist (the service itself, say), or null when all of it does. */
  firstMissing(ref: ResourceRef): ResourceRef | null {
    for (let n = 1; n <= ref.chain.length; n++) {
      const partial = { ...ref, chain: ref.chain.slice(0, n) };
      if (!this.get(partial)) return partial;
    }
    return null;
  }

  /** Creates the service on first start, so that a newcomer can register at once. */
  seed(scope: ServiceScope & { location?: string }): void {
    if (this.store.countServices() > 0) return;
    this.transaction(() => this.put(serviceRef(scope), { properties: {}, location: scope.location ?? "local", tags: {} }));
  }

  /** Writes a resource and what derives from it; returns it as now stored. */
  put(ref: ResourceRef, doc: ResourceDoc): { created: boolean; resource: StoredResource } {
    const { created } = this.write(ref, doc);
    const kind = kindOf(ref);
    // A new service comes with its `default` workspace, as on Azure.
    if (kind === "service" && created) this.write(childRef(ref, "workspace", "default"), { properties: { title: "default" } });
    if (kind === "version") this.deriveApiLifecycle(parentOf(ref)!);
    if (kind === "api") this.deriveApiLifecycle(ref);
    return { created, resource: this.get(ref)! };
  }

  /** Deletes a resource and, through the store's cascade, everything below it. */
  remove(ref: ResourceRef): void {
    this.store.delete(keyOf(ref));
    if (kindOf(ref) === "version") this.deriveApiLifecycle(parentOf(ref)!);
  }

  children(parent: StoredResource, kind: ResourceKind, page: { where?: SqlCondition; afterRowid: number; limit: number }): StoredResource[] {
    return this.store.listChildren(parent.key, kind, page);
  }

  /** The services in a subscription or resource group, given as its lower-cased path. */
  services(scopeKey: string, page: { afterRowid: number; limit: number }): StoredResource[] {
    return this.store.listServices(scopeKey, page);
  }

  /** The metadata schemas of the service `ref` belongs to, for custom-property rules. */
  metadataSchemas(ref: ResourceRef): StoredResource[] {
    return this.store.allChildren(keyOf(serviceOf(ref)), "metadataSchema");
  }

  private write(ref: ResourceRef, doc: ResourceDoc) {
    const parent = parentOf(ref);
    return this.store.upsert({
      key: keyOf(ref),
      parentKey: parent ? keyOf(parent) : null,
      kind: kindOf(ref),
      id: formatResourceId(ref),
      name: nameOf(ref),
      scopeKey: resourceGroupPath(ref.subscriptionId, ref.resourceGroupName).toLowerCase(),
      doc,
      now: new Date().toISOString(),
    });
  }

  /** An API's lifecycle stage is read-only: that of its most recently written version. */
  private deriveApiLifecycle(apiRef: ResourceRef): void {
    const api = this.get(apiRef);
    if (!api) return;
    const latest = this.store
      .allChildren(api.key, "version")
      .reduce<StoredResource | undefined>((best, v) => (!best || v.modifiedAt >= best.modifiedAt ? v : best), undefined);
    const stage = latest?.doc.properties.lifecycleStage;
    const props = { ...api.doc.properties };
    if (stage === props.lifecycleStage) return;
    if (stage === undefined) delete props.lifecycleStage;
    else props.lifecycleStage = stage;
    this.store.updateDoc(api.key, { ...api.doc, properties: props });
  }
}
