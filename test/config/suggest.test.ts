import assert from "node:assert/strict";
import { test } from "node:test";
import { closest, editDistance } from "../../src/config/suggest.js";

test("edit distance counts a swap of neighbours as one edit", () => {
  assert.equal(editDistance("port", "port"), 0);
  assert.equal(editDistance("prot", "port"), 1);
  assert.equal(editDistance("hots", "host"), 1);
  assert.equal(editDistance("db", "dbx"), 1);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
});

test("the closest candidate, a prefix, or nothing", () => {
  const flags = ["port", "host", "http", "read-only", "service", "subscription"];
  assert.equal(closest("prot", flags), "port");
  assert.equal(closest("hots", flags), "host");
  assert.equal(closest("read", flags), "read-only");
  assert.equal(closest("sub", flags), "subscription");
  assert.equal(closest("Servce", flags), "service");
  assert.equal(closest("zzzzzz", flags), undefined);
  assert.equal(closest("doctr", ["doctor", "emulator"]), "doctor");
});
