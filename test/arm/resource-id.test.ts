import assert from "node:assert/strict";
import { test } from "node:test";
import {
  formatResourceId,
  formatServiceRelativeId,
  parseResourceId,
  parseServiceRelativeId,
  parentOf,
} from "../../src/arm/resource-id.js";
import { kindChain, nameProblem } from "../../src/arm/resource-types.js";

const DEF_ID =
  "/subscriptions/sub-1/resourceGroups/rg.with_dots(1)/providers/Microsoft.ApiCenter/services/contoso/workspaces/default/apis/echo-api/versions/v2024/definitions/openapi";

test("a full ARM id parses and formats back unchanged", () => {
  const ref = parseResourceId(DEF_ID)!;
  assert.equal(ref.subscriptionId, "sub-1");
  assert.equal(ref.resourceGroupName, "rg.with_dots(1)");
  assert.deepEqual(
    ref.chain.map((c) => c.kind),
    ["service", "workspace", "api", "version", "definition"],
  );
  assert.equal(formatResourceId(ref), DEF_ID);
  assert.equal(formatServiceRelativeId(ref), "/workspaces/default/apis/echo-api/versions/v2024/definitions/openapi");
});

test("ids are read without regard to case, as ARM does", () => {
  const ref = parseResourceId(DEF_ID.replace("/providers/Microsoft.ApiCenter/", "/PROVIDERS/microsoft.apicenter/").replace("/apis/", "/APIs/"))!;
  assert.equal(ref.chain[2]!.kind, "api");
});

test("what is not an ApiCenter resource id is refused", () => {
  assert.equal(parseResourceId("/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/x"), null);
  assert.equal(parseResourceId("/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiCenter/services/x/apis/y"), null, "apis live in a workspace");
  assert.equal(parseResourceId("/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiCenter/services/x/workspaces"), null);
});

test("a workspace-relative id resolves against its service, as deployments carry them", () => {
  const scope = { subscriptionId: "s", resourceGroupName: "r", serviceName: "contoso" };
  const env = parseServiceRelativeId("/workspaces/default/environments/prod", scope)!;
  assert.equal(env.chain[2]!.kind, "environment");
  assert.equal(formatResourceId(env), "/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiCenter/services/contoso/workspaces/default/environments/prod");
  assert.equal(parseServiceRelativeId("/workspaces/default/widgets/x", scope), null);
  assert.equal(parentOf(env)!.chain.length, 2);
});

test("the name rule: 3 to 90 letters, digits and hyphens", () => {
  assert.equal(nameProblem("api", "echo-api"), null);
  assert.match(nameProblem("version", "v1")!, /3 to 90/);
  assert.match(nameProblem("api", "has space")!, /invalid/);
  assert.match(nameProblem("api", "a".repeat(91))!, /invalid/);
  assert.deepEqual(kindChain("deployment"), ["service", "workspace", "api", "deployment"]);
});
