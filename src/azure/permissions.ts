/**
 * What the signed-in identity may do on a resource, from ARM's Permissions - List For Resource
 * (`{resourceId}/providers/Microsoft.Authorization/permissions`): a check of write access that
 * writes nothing. It goes through the one pipeline (auth, retries, the loopback rule), keeping
 * Microsoft.Authorization's own api-version.
 */
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { z } from "zod";
import { DomainError } from "../domain/errors.js";
import { errorFromResponse, errorFromThrown } from "./errors.js";
import { createArmPipelineClient, type PipelineOptions } from "./pipeline.js";

export const AUTHORIZATION_API_VERSION = "2022-04-01";

const Permission = z.object({
  actions: z.array(z.string()).default([]),
  notActions: z.array(z.string()).default([]),
});
export type Permission = z.infer<typeof Permission>;
const PermissionPage = z.object({ value: z.array(Permission), nextLink: z.string().nullish() });

export async function listPermissions(options: PipelineOptions, resourceId: string): Promise<Permission[]> {
  const client = createArmPipelineClient(options).pipeline;
  const endpoint = new URL(options.endpoint).origin;
  const doing = "list the permissions of the signed-in identity on the service";
  const out: Permission[] = [];
  let url: string | undefined = `${endpoint}${resourceId}/providers/Microsoft.Authorization/permissions?api-version=${AUTHORIZATION_API_VERSION}`;
  while (url) {
    const request = createPipelineRequest({ url, method: "GET", headers: createHttpHeaders({ accept: "application/json" }) });
    const res = await client.sendRequest(request).catch((e: unknown) => {
      throw errorFromThrown(e, doing, { endpoint, write: false });
    });
    if (res.status >= 400) throw errorFromResponse(res.status, res.bodyAsText ?? undefined, doing);
    let body: unknown;
    try {
      body = JSON.parse(res.bodyAsText ?? "");
    } catch {
      body = undefined;
    }
    const parsed = PermissionPage.safeParse(body);
    if (!parsed.success) throw new DomainError("upstream", `Could not ${doing}: ${endpoint} answered something that is not a list of permissions`);
    out.push(...parsed.data.value);
    url = parsed.data.nextLink ?? undefined;
  }
  return out;
}

/** ARM's wildcard match: `*` stands for any run of characters; case does not matter. */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`, "i");
  return re.test(action);
}

/** Whether the permissions allow an action: some entry grants it and that same entry does not exclude it. */
export function allows(permissions: Permission[], action: string): boolean {
  return permissions.some((p) => p.actions.some((a) => matches(a, action)) && !p.notActions.some((n) => matches(n, action)));
}
