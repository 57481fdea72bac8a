/** The local ARM's Microsoft.Authorization: permissions on a resource, as an extension of its path. */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import { parseArmPath } from "../../src/emulator/router.js";
import { LOCAL_SCOPE } from "../helpers/backends.js";

const RG = `/subscriptions/${LOCAL_SCOPE.subscriptionId}/resourceGroups/${LOCAL_SCOPE.resourceGroupName}`;
const SVC = `${RG}/providers/Microsoft.ApiCenter/services/${LOCAL_SCOPE.serviceName}`;

const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE });
after(() => api.close());
const send = (method: string, path: string, query = "?api-version=2022-04-01") =>
  api.handle({ method, url: `https://local${path}${query}`, headers: { authorization: "Bearer any" } });

test("an extension resource belongs to the last namespace of its path", () => {
  assert.deepEqual(parseArmPath(`${SVC}/providers/Microsoft.Authorization/permissions`), {
    subscriptionId: LOCAL_SCOPE.subscriptionId,
    resourceGroupName: LOCAL_SCOPE.resourceGroupName,
    namespace: "Microsoft.Authorization",
    segments: ["permissions"],
    scope: SVC,
  });
  assert.deepEqual(parseArmPath(`${SVC}/workspaces/default`)!.namespace, "Microsoft.ApiCenter");
  assert.deepEqual(parseArmPath(`${SVC}/providers`)!.segments, ["services", LOCAL_SCOPE.serviceName, "providers"], "a trailing `providers` names no namespace");
});

test("any caller may do everything, on the service or its resource group", async () => {
  for (const scope of [SVC, RG]) {
    const got = await send("GET", `${scope}/providers/Microsoft.Authorization/permissions`);
    assert.equal(got.status, 200, got.body);
    assert.deepEqual(JSON.parse(got.body!), { value: [{ actions: ["*"], notActions: [], dataActions: [], notDataActions: [] }] });
  }
});

test("Microsoft.Authorization's own api-version and verbs", async () => {
  const path = `${SVC}/providers/Microsoft.Authorization/permissions`;
  const wrongVersion = await send("GET", path, "?api-version=2024-03-01");
  assert.equal(wrongVersion.status, 400);
  assert.match(wrongVersion.body!, /InvalidApiVersionParameter.*'2022-04-01'/);
  assert.equal((await send("POST", path)).status, 405);
  assert.equal((await send("GET", `${SVC}/providers/Microsoft.Authorization/roleEligibilitySchedules`)).status, 404);
});
