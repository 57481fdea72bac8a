/** The contract suites read ../shared; under CI it must be there, so its absence fails instead of skipping them all. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { needsShared, sharedAvailable, sharedMissing } from "./helpers/shared.js";

test("the shared Microsoft.ApiCenter specs, examples and recordings are present", needsShared, () => {
  assert.ok(sharedAvailable, sharedMissing);
});
