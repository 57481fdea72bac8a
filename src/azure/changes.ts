/**
 * The local API Center's history of changes as the domain's ChangeSource: its lower-cased ARM ids
 * become the paths the inventory index re-reads.
 */
import { parseResourceId } from "../arm/resource-id.js";
import type { ChangeSource, ForeignChange } from "../domain/intelligence/index-store.js";

/** What the local API Center offers (LocalApiCenter's methods of the same names). */
export interface ChangeHistory {
  changedElsewhere(): boolean;
  changeCursor(): string;
  changesSince(cursor: string): { keys: string[]; cursor: string } | null;
}

export function changeOf(id: string): ForeignChange | null {
  const ref = parseResourceId(id);
  if (!ref) return null;
  const service = { subscriptionId: ref.subscriptionId, resourceGroup: ref.resourceGroupName, serviceName: ref.chain[0]!.name };
  const name = (kind: string) => ref.chain.find((c) => c.kind === kind)?.name;
  const workspace = name("workspace");
  const api = name("api");
  const environment = name("environment");
  const metadataSchema = name("metadataSchema");
  const apiSource = name("apiSource");
  if (metadataSchema) return { kind: "metadataSchema", path: { service, metadataSchema } };
  if (workspace && api) return { kind: "api", path: { service, workspace, api } };
  if (workspace && environment) return { kind: "environment", path: { service, workspace, environment } };
  if (workspace && apiSource) return { kind: "apiSource", path: { service, workspace, apiSource } };
  // A service or a workspace itself: everything below may have changed.
  return "all";
}

export function changeSourceOf(history: ChangeHistory): ChangeSource {
  return {
    changedElsewhere: async () => history.changedElsewhere(),
    cursor: async () => history.changeCursor(),
    async since(cursor) {
      const found = history.changesSince(cursor);
      if (!found) return null;
      const changes = found.keys.map(changeOf).filter((c): c is ForeignChange => c !== null);
      return { changes, cursor: found.cursor };
    },
  };
}
