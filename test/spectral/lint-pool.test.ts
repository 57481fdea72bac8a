/**
 * Lint workers: concurrent lints of one spec share one run; a lint past the deadline or the memory cap stops
 * with an error that says which limit it hit, and the linter keeps working. No timing is asserted.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { DomainError } from "../../src/domain/errors.js";
import { SpectralLinter } from "../../src/spectral/spectral-linter.js";

const spec = (paths: number, title = "Things") =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title, version: "1" },
    paths: Object.fromEntries(
      Array.from({ length: paths }, (_, i) => [
        `/things${i}`,
        { get: { operationId: `op${i}`, responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "integer" }, example: "not a number" } } } } } },
      ]),
    ),
  });

const linters: SpectralLinter[] = [];
const linter = (limits?: ConstructorParameters<typeof SpectralLinter>[1]) => {
  const l = new SpectralLinter(undefined, limits);
  linters.push(l);
  return l;
};
after(() => Promise.all(linters.map((l) => l.close())));

test("concurrent lints of the same spec share one run; another spec gets its own; a repeat is remembered", async () => {
  const l = linter();
  const text = spec(50);
  const [a, b, c] = await Promise.all([l.lint(text, "openapi"), l.lint(text, "openapi"), l.lint(text, "openapi")]);
  assert.equal(l.runs, 1);
  assert.ok(a.results.some((r) => r.rule === "oas3-valid-media-example"));
  assert.deepEqual(b, a);
  assert.deepEqual(c, a);
  await l.lint(spec(50, "Other"), "openapi");
  assert.equal(l.runs, 2);
  await l.lint(text, "openapi");
  assert.equal(l.runs, 2);
});

test("a lint past the deadline stops with an error naming the deadline, and so does the next one", async () => {
  const l = linter({ deadlineMs: 1 });
  for (const text of [spec(2000), spec(2000, "Again")]) {
    await assert.rejects(l.lint(text, "openapi"), (e: Error) => e instanceof DomainError && /stopped at the server's 0\.001 s lint deadline; lint a smaller spec/.test(e.message));
  }
});

test("a lint past the memory cap stops with an error naming the limit, and the linter stays usable", async () => {
  const l = linter({ memoryMb: 16 });
  await assert.rejects(l.lint(spec(4000), "openapi"), (e: Error) => e instanceof DomainError && /needed more than the server's 16 MB lint memory limit/.test(e.message));
  await assert.rejects(l.lint(spec(4000, "Again"), "openapi"), /16 MB lint memory limit/);
  const roomy = linter();
  assert.ok((await roomy.lint(spec(10), "openapi")).results.length > 0);
});
