/**
 * The local API Management's resources in the shared store: services, their APIs, and the APIs'
 * operations and schemas, keyed by their lower-cased ARM ids so that deleting a service or an API
 * takes everything below it. Knows nothing of HTTP.
 */
import { formatApimId, type ApimRef, type ApimServiceRef } from "../../arm/apim/resource-id.js";
import { resourceGroupPath } from "../../arm/resource-id.js";
import type { ResourceDoc, Store, StoredResource } from "../store.js";

export type ApimKind = "apimService" | "apimApi" | "apimOperation" | "apimSchema";

export const keyOfApim = (ref: ApimRef): string => formatApimId(ref).toLowerCase();

export const kindOfApim = (ref: ApimRef): ApimKind =>
  ref.operationId !== undefined ? "apimOperation" : ref.schemaId !== undefined ? "apimSchema" : ref.apiId !== undefined ? "apimApi" : "apimService";

export function parentOfApim(ref: ApimRef): ApimRef | null {
  if (ref.operationId !== undefined || ref.schemaId !== undefined) return { ...serviceOfApim(ref), apiId: ref.apiId! };
  if (ref.apiId !== undefined) return serviceOfApim(ref);
  return null;
}

export const serviceOfApim = (ref: ApimServiceRef): ApimServiceRef => ({
  subscriptionId: ref.subscriptionId,
  resourceGroupName: ref.resourceGroupName,
  serviceName: ref.serviceName,
});

/** APIM's etags are 8 bytes in base64 (`AAAAAAHFEpo=`); here they are drawn from the store's own etag. */
export const apimEtag = (r: StoredResource): string => Buffer.from(r.etag.replace(/-/g, "").slice(0, 16), "hex").toString("base64");

export class ApimResources {
  constructor(readonly store: Store) {}

  transaction<T>(fn: () => T): T {
    return this.store.transaction(fn);
  }

  get(ref: ApimRef): StoredResource | undefined {
    return this.store.get(keyOfApim(ref));
  }

  put(ref: ApimRef, doc: ResourceDoc): { created: boolean; resource: StoredResource } {
    const parent = parentOfApim(ref);
    const id = formatApimId(ref);
    return this.store.upsert({
      key: id.toLowerCase(),
      parentKey: parent ? keyOfApim(parent) : null,
      kind: kindOfApim(ref),
      id,
      name: ref.operationId ?? ref.schemaId ?? ref.apiId ?? ref.serviceName,
      scopeKey: resourceGroupPath(ref.subscriptionId, ref.resourceGroupName).toLowerCase(),
      doc,
      now: new Date().toISOString(),
    });
  }

  /** Rewrites what the service derives (an activation that finished) without counting as a write. */
  updateDoc(r: StoredResource, doc: ResourceDoc): void {
    this.store.updateDoc(r.key, doc);
  }

  remove(ref: ApimRef): boolean {
    return this.store.delete(keyOfApim(ref));
  }

  /** Children of a service (APIs) or of an API (operations, schemas), in creation order. */
  children(parent: StoredResource, kind: ApimKind, page: { afterRowid: number; limit: number } = { afterRowid: 0, limit: -1 }): StoredResource[] {
    return this.store.listChildren(parent.key, kind, page);
  }

  /** The services of a subscription or resource group, given as its lower-cased path. */
  services(scopeKey: string, page: { afterRowid: number; limit: number }): StoredResource[] {
    return this.store.listKind("apimService", scopeKey, page);
  }
}
