/**
 * A whole workspace read straight from the store, for the embedded backend's inventory index: what
 * ARM would answer to one list per API, version and definition (tens of thousands of calls for a
 * large inventory), in two range scans. Resources come as ARM lists them; spec texts are read only
 * when asked for, so an index that already holds a definition's unchanged spec never loads it.
 */
import { formatResourceId, type ResourceRef } from "../../arm/resource-id.js";
import type { Store, StoredResource } from "../store.js";

/** A resource as ARM lists it, less what the reader knows already (its type and id). */
export interface RenderedResource {
  name: string;
  properties: Record<string, unknown>;
  systemData: { createdAt: string; lastModifiedAt: string };
}

const render = (r: StoredResource): RenderedResource => ({ name: r.name, properties: r.doc.properties, systemData: { createdAt: r.createdAt, lastModifiedAt: r.modifiedAt } });

export interface WorkspaceTree {
  apis: Array<{
    resource: RenderedResource;
    versions: Array<{ resource: RenderedResource; definitions: Array<{ resource: RenderedResource; spec(): string | undefined }> }>;
    deployments: RenderedResource[];
  }>;
  environments: RenderedResource[];
  metadataSchemas: RenderedResource[];
  apiSources: RenderedResource[];
}

/** The workspace `ref` names, or null when it (or its service) does not exist. */
export function readWorkspace(store: Store, ref: ResourceRef): WorkspaceTree | null {
  const key = formatResourceId(ref).toLowerCase();
  if (!store.get(key)) return null;
  const children = new Map<string, StoredResource[]>();
  for (const r of store.descendants(key)) {
    const list = children.get(r.parentKey!);
    if (list) list.push(r);
    else children.set(r.parentKey!, [r]);
  }
  const below = (parentKey: string, kind: string) => (children.get(parentKey) ?? []).filter((r) => r.kind === kind);
  const serviceKey = formatResourceId({ ...ref, chain: ref.chain.slice(0, 1) }).toLowerCase();
  return {
    apis: below(key, "api").map((api) => ({
      resource: render(api),
      versions: below(api.key, "version").map((v) => ({
        resource: render(v),
        definitions: below(v.key, "definition").map((d) => ({ resource: render(d), spec: () => store.getSpec(d.key) })),
      })),
      deployments: below(api.key, "deployment").map(render),
    })),
    environments: below(key, "environment").map(render),
    apiSources: below(key, "apiSource").map(render),
    metadataSchemas: store.allChildren(serviceKey, "metadataSchema").map(render),
  };
}
