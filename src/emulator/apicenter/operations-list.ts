import { PROVIDER, RESOURCE_TYPES } from "../../arm/resource-types.js";
import { ACTIONS } from "./actions.js";

interface ProviderOperation {
  name: string;
  isDataAction: boolean;
  display: { provider: string; resource: string; operation: string; description: string };
}

/** `GET /providers/Microsoft.ApiCenter/operations`: read/write/delete per resource type, plus the actions. */
export function providerOperations(): ProviderOperation[] {
  const ops: ProviderOperation[] = [];
  for (const t of Object.values(RESOURCE_TYPES)) {
    for (const [verb, word] of [
      ["read", "Reads"],
      ["write", "Creates or updates"],
      ["delete", "Deletes"],
    ] as const) {
      ops.push({
        name: `${t.armType}/${verb}`,
        isDataAction: false,
        display: { provider: PROVIDER, resource: t.segment, operation: `${word} ${t.label}s`, description: `${word} ${t.label}s` },
      });
    }
  }
  for (const a of ACTIONS) {
    const t = RESOURCE_TYPES[a.kind];
    ops.push({
      name: `${t.armType}/${a.name}/action`,
      isDataAction: false,
      display: { provider: PROVIDER, resource: t.segment, operation: a.title, description: a.title },
    });
  }
  return ops;
}
