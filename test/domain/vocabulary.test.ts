import assert from "node:assert/strict";
import { test } from "node:test";
import * as wire from "../../src/arm/models.js";
import * as domain from "../../src/domain/vocabulary.js";

test("the domain's vocabulary is the wire contract's", () => {
  for (const name of ["LIFECYCLE_STAGES", "API_KINDS", "ENVIRONMENT_KINDS", "ENVIRONMENT_SERVER_TYPES", "DEPLOYMENT_STATES", "METADATA_ENTITIES"] as const) {
    assert.deepEqual([...domain[name]], [...wire[name]], name);
  }
});
