/**
 * The sliver of Microsoft.Authorization that importing from API Management rests on: the built-in
 * roles that let API Center's managed identity read an API Management service, and role assignments
 * (api-version 2022-04-01; role definitions are read at 2022-05-01-preview, as `az` does).
 */
import { z } from "zod";

export const AUTHORIZATION_PROVIDER = "Microsoft.Authorization";
export const ROLE_ASSIGNMENTS_API_VERSION = "2022-04-01";
export const ROLE_DEFINITIONS_API_VERSION = "2022-05-01-preview";

export interface BuiltInRole {
  /** The role definition's GUID, the same in every subscription. */
  id: string;
  roleName: string;
  description: string;
  actions: string[];
  notActions: string[];
  createdOn: string;
  updatedOn: string;
}

/** The role API Center's identity needs on an API Management service, by its documented name. */
export const APIM_READER_ROLE = "API Management Service Reader Role";

/** Built-in roles whose actions include reading an API Management service and its APIs. */
export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    id: "71522526-b88f-4d52-b57f-d31fc3546d0d",
    roleName: APIM_READER_ROLE,
    description: "Read-only access to service and APIs",
    actions: [
      "Microsoft.ApiManagement/service/*/read",
      "Microsoft.ApiManagement/service/read",
      "Microsoft.Authorization/*/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.ResourceHealth/availabilityStatuses/read",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Support/*",
    ],
    notActions: ["Microsoft.ApiManagement/service/users/keys/read"],
    createdOn: "2016-11-09T00:26:45.1540473Z",
    updatedOn: "2021-11-11T20:13:11.8704466Z",
  },
  {
    id: "e022efe7-f5ba-4159-bbe4-b44f577e9b61",
    roleName: "API Management Service Operator Role",
    description: "Can manage service but not the APIs",
    actions: ["Microsoft.ApiManagement/service/*/read", "Microsoft.ApiManagement/service/read", "Microsoft.ApiManagement/service/backup/action"],
    notActions: ["Microsoft.ApiManagement/service/users/keys/read"],
    createdOn: "2016-11-09T00:03:42.1194019Z",
    updatedOn: "2021-11-11T20:13:11.3764365Z",
  },
  {
    id: "312a565d-c81f-4fd8-895a-4e21e48d571c",
    roleName: "API Management Service Contributor",
    description: "Can manage service and the APIs",
    actions: ["Microsoft.ApiManagement/service/*"],
    notActions: [],
    createdOn: "2015-06-02T00:18:27.3542698Z",
    updatedOn: "2021-11-11T20:13:11.0334486Z",
  },
  {
    id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    roleName: "Reader",
    description: "View all resources, but does not allow you to make any changes.",
    actions: ["*/read"],
    notActions: [],
    createdOn: "2015-02-02T21:55:09.8806423Z",
    updatedOn: "2021-11-11T20:13:47.8628684Z",
  },
  {
    id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    roleName: "Contributor",
    description: "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.",
    actions: ["*"],
    notActions: ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"],
    createdOn: "2015-02-02T21:55:09.8806423Z",
    updatedOn: "2021-11-11T20:13:28.6061853Z",
  },
  {
    id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    roleName: "Owner",
    description: "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
    actions: ["*"],
    notActions: [],
    createdOn: "2015-02-02T21:55:09.8806423Z",
    updatedOn: "2021-11-11T20:13:29.9823526Z",
  },
];

/** The role definition's full id in a subscription, as role assignments name it. */
export const roleDefinitionId = (subscriptionId: string, roleId: string): string =>
  `/subscriptions/${subscriptionId}/providers/${AUTHORIZATION_PROVIDER}/roleDefinitions/${roleId}`;

/** The GUID at the end of a role definition id (full or bare). */
export const roleGuidOf = (id: string): string => id.replace(/\/+$/, "").split("/").pop()!.toLowerCase();

/** Whether a built-in role lets its holder read an API Management service's APIs. */
export function canReadApim(roleId: string): boolean {
  const role = BUILT_IN_ROLES.find((r) => r.id === roleGuidOf(roleId));
  return !!role && role.actions.some((a) => a === "*" || a === "*/read" || a.startsWith("Microsoft.ApiManagement/service/"));
}

export const RoleAssignmentProperties = z.object({
  roleDefinitionId: z.string().min(1),
  principalId: z.string().min(1),
  principalType: z.string().optional(),
  description: z.string().nullish(),
  condition: z.string().nullish(),
  conditionVersion: z.string().nullish(),
  delegatedManagedIdentityResourceId: z.string().nullish(),
});
export type RoleAssignmentProperties = z.infer<typeof RoleAssignmentProperties>;

/** The exact command that grants API Center's identity read access to an API Management service. */
export function grantReaderCommand(principalId: string, apimServiceId: string): string {
  return `az role assignment create --assignee ${principalId} --role "${APIM_READER_ROLE}" --scope ${apimServiceId}`;
}
