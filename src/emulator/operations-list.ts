import { RESOURCE_TYPES } from "../arm/resource-types.js";

interface ProviderOperation {
  name: string;
  isDataAction: boolean;
  display: { provider: string; resource: string; operation: string; description: string };
}

const ACTIONS: Array<[string, string, string]> = [
  ["Microsoft.ApiCenter/services/exportMetadataSchema/action", "services", "Export metadata schema"],
  ["Microsoft.ApiCenter/services/workspaces/apis/versions/definitions/importSpecification/action", "definitions", "Import API specification"],
  ["Microsoft.ApiCenter/services/workspaces/apis/versions/definitions/exportSpecification/action", "definitions", "Export API specification"],
];

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
        display: { provider: "Microsoft.ApiCenter", resource: t.segment, operation: `${word} ${t.label}s`, description: `${word} ${t.label}s` },
      });
    }
  }
  for (const [name, resource, operation] of ACTIONS) {
    ops.push({ name, isDataAction: false, display: { provider: "Microsoft.ApiCenter", resource, operation, description: operation } });
  }
  return ops;
}
