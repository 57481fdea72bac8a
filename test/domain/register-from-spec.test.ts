/**
 * register_api from whatever a real spec's info block holds: long, empty, unicode, date strings,
 * numbers and YAML's readings of unquoted scalars. Every generated spec registers through the real
 * domain on the local backend (which validates with the service's models), and what was stored
 * fits those models, says what the spec said (cut where it had to be), and the notes say so.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { ApiDefinitionProperties, ApiProperties, ApiVersionProperties } from "../../src/arm/models.js";
import { NAME_PATTERN } from "../../src/arm/resource-types.js";
import { DomainError } from "../../src/domain/errors.js";
import { LIMITS } from "../../src/domain/fit.js";
import { slugify } from "../../src/domain/specs/spec-doc.js";
import { domainOnLocal } from "../helpers/domain.js";

const ws = { workspace: "default" };

/** One scalar as written in YAML and in JSON, and the text a reader should take from it (undefined: none). */
interface Scalar {
  yaml: string;
  json: string;
  expect: string | undefined;
}

/** YAML double-quoted escapes are a superset of JSON's; characters YAML forbids unescaped get escaped too. */
const quoteYaml = (s: string) =>
  JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const quoted = (s: string): Scalar => ({ yaml: quoteYaml(s), json: JSON.stringify(s), expect: s.trim() ? s : undefined });

const ODDITIES: Scalar[] = [
  { yaml: "1.10", json: "1.10", expect: "1.10" },
  { yaml: "1.0", json: "1.0", expect: "1.0" },
  { yaml: "2", json: "2", expect: "2" },
  { yaml: "1e3", json: "1e3", expect: "1e3" },
  { yaml: "-0.5", json: "-0.5", expect: "-0.5" },
  { yaml: "1.10 # minor ten", json: "1.10", expect: "1.10" },
  { yaml: "0x1F", json: '"0x1F"', expect: "0x1F" },
  { yaml: "0o17", json: '"0o17"', expect: "0o17" },
  { yaml: ".inf", json: '".inf"', expect: ".inf" },
  { yaml: "yes", json: '"yes"', expect: "yes" },
  { yaml: "true", json: "true", expect: "true" },
  { yaml: "false", json: "false", expect: "false" },
  { yaml: "null", json: "null", expect: undefined },
  { yaml: "~", json: "null", expect: undefined },
  { yaml: "", json: "null", expect: undefined },
  { yaml: '""', json: '""', expect: undefined },
  { yaml: "'  '", json: '"  "', expect: undefined },
  { yaml: "2024-01-01", json: '"2024-01-01"', expect: "2024-01-01" },
  { yaml: "2024-01-01T10:00:00Z", json: '"2024-01-01T10:00:00Z"', expect: "2024-01-01T10:00:00Z" },
  { yaml: "!!str 1.10", json: '"1.10"', expect: "1.10" },
  { yaml: "'it''s quoted'", json: '"it\'s quoted"', expect: "it's quoted" },
  { yaml: "[a, b]", json: '["a","b"]', expect: undefined },
  { yaml: "{a: 1}", json: '{"a":1}', expect: undefined },
  { yaml: "|\n    line one\n    line two", json: '"line one\\nline two\\n"', expect: "line one\nline two\n" },
  { yaml: ">-\n    folded\n    text", json: '"folded text"', expect: "folded text" },
];

const dateText = fc.date({ noInvalidDate: true, min: new Date("1970-01-01"), max: new Date("2100-01-01") });
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODDITIES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 60 }).map(quoted) },
  { weight: 2, arbitrary: fc.string({ minLength: 40, maxLength: 1500 }).map(quoted) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 80 }).map(quoted) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 80 }).map(quoted) },
  // The field's case: a Date's toString() is 60-odd characters.
  { weight: 2, arbitrary: dateText.map((d) => quoted(d.toString())) },
  { weight: 1, arbitrary: dateText.map((d) => quoted(d.toISOString())) },
  { weight: 1, arbitrary: fc.integer().map((n) => ({ yaml: String(n), json: String(n), expect: String(n) })) },
);
const email = fc.oneof(fc.emailAddress().map(quoted), fc.string({ minLength: 90, maxLength: 200 }).map((s) => quoted(`${s}@example.com`)));
const url = fc.oneof(fc.webUrl().map(quoted), fc.string({ minLength: 150, maxLength: 400 }).map((s) => quoted(`https://example.com/${encodeURIComponent(s)}`)));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const infoBlock = fc.record(
  {
    title: scalar,
    version: scalar,
    summary: scalar,
    description: scalar,
    termsOfService: url,
    contact: fc.record({ name: maybe(scalar), email: maybe(email), url: maybe(url) }),
    license: fc.record({ name: maybe(scalar), url: maybe(url), identifier: maybe(fc.constantFrom("MIT", "Apache-2.0", "x".repeat(60)).map(quoted)) }),
  },
  { requiredKeys: [] },
);
type Info = typeof infoBlock extends fc.Arbitrary<infer T> ? T : never;

const specCase = fc.record({
  format: fc.constantFrom("yaml", "json"),
  /** missing: no info at all; odd: an info that is not an object. */
  shape: fc.constantFrom("info", "info", "info", "info", "missing", "odd"),
  info: infoBlock,
  docsUrl: maybe(url),
  /** The caller names the API itself (needed when the spec gives no title). */
  apiName: maybe(fc.constantFrom("named-by-caller", "other-name")),
});

function render(format: "yaml" | "json", shape: string, info: Info, docsUrl: Scalar | undefined): string {
  const entries = (o: Record<string, Scalar | Record<string, Scalar | undefined> | undefined>) =>
    Object.entries(o).filter((e): e is [string, Scalar | Record<string, Scalar | undefined>] => e[1] !== undefined);
  const isScalar = (v: unknown): v is Scalar => typeof (v as Scalar).yaml === "string";
  if (format === "json") {
    const j = (o: Record<string, Scalar | Record<string, Scalar | undefined> | undefined>): string =>
      `{${entries(o).map(([k, v]) => `${JSON.stringify(k)}:${isScalar(v) ? v.json : j(v)}`).join(",")}}`;
    const infoJson = shape === "missing" ? "" : `"info":${shape === "odd" ? '"just text"' : j(info)},`;
    return `{"openapi":"3.0.3",${infoJson}${docsUrl ? `"externalDocs":{"url":${docsUrl.json}},` : ""}"paths":{"/things":{"get":{"responses":{"200":{"description":"ok"}}}}}}`;
  }
  const y = (o: Record<string, Scalar | Record<string, Scalar | undefined> | undefined>, indent: string): string =>
    entries(o)
      .map(([k, v]) => (isScalar(v) ? `${indent}${k}: ${v.yaml.replace(/\n {4}/g, `\n${indent}  `)}` : `${indent}${k}:\n${y(v, `${indent}  `) || `${indent}  {}`}`))
      .join("\n");
  const infoYaml = shape === "missing" ? "" : shape === "odd" ? "info: just text\n" : `info:\n${y(info, "  ") || "  {}"}\n`;
  return `openapi: 3.0.3\n${infoYaml}${docsUrl ? `externalDocs:\n  url: ${docsUrl.yaml}\n` : ""}paths:\n  /things:\n    get:\n      responses:\n        "200": { description: ok }\n`;
}

/** What a reader should store for a text it was given: the whole text folded, or its start and an ellipsis. */
function assertFaithful(stored: string | undefined, expected: string | undefined, max: number, what: string, notes: string[], oneLine: boolean) {
  if (expected === undefined) return assert.equal(stored, undefined, `${what}: nothing to take`);
  const want = oneLine ? expected.replace(/\s+/g, " ").trim() : expected;
  assert.ok(stored !== undefined, `${what} kept`);
  if (want.length <= max) return assert.equal(stored, want, what);
  assert.ok(stored.length <= max && stored.endsWith("…"), `${what} cut within ${max}: ${stored.length}`);
  assert.ok(want.startsWith(stored.slice(0, -1).trimEnd()), `${what} is the start of the spec's text`);
  assert.ok(notes.some((n) => n.startsWith(`${what} cut to ${max} characters`)), `${what}: the notes say it was cut (${notes.join("; ")})`);
}

describe("register_api from generated info blocks", () => {
  let d: ReturnType<typeof domainOnLocal>;
  before(() => (d = domainOnLocal()));
  after(() => d.close());

  test("every spec with a title (or a caller's apiName) registers, and everything stored fits and says what the spec said", async () => {
    await fc.assert(
      fc.asyncProperty(specCase, async ({ format, shape, info, docsUrl, apiName }) => {
        const content = render(format, shape, info, docsUrl);
        const inInfo = shape === "info" ? info : {};
        const title = inInfo.title?.expect;
        if (title === undefined && !apiName) {
          await assert.rejects(
            d.curation.registerApi({ ...ws, spec: { content } }),
            (e: DomainError) => e.kind === "invalid_input" && /give a title \(or an apiName\)/.test(e.message),
          );
          return;
        }
        const r = await d.curation.registerApi({ ...ws, ...(apiName ? { apiName } : {}), spec: { content } });
        assert.match(r.apiName, NAME_PATTERN);
        assert.match(r.versionName!, NAME_PATTERN);
        assert.equal(r.definitionName, "openapi");
        const apiPath = { ...ws, api: r.apiName };
        const api = (await d.gateway.find("api", apiPath))!.properties;
        const version = (await d.gateway.find("version", { ...apiPath, version: r.versionName! }))!.properties;
        const definition = (await d.gateway.find("definition", { ...apiPath, version: r.versionName!, definition: "openapi" }))!.properties;
        ApiProperties.loose().parse(api);
        ApiVersionProperties.loose().parse(version);
        ApiDefinitionProperties.loose().parse(definition);
        assert.equal(await d.gateway.exportSpecification({ ...apiPath, version: r.versionName!, definition: "openapi" }), content);

        assertFaithful(api.title as string, title ?? apiName, LIMITS.apiTitle, "title", r.notes, true);
        assertFaithful(api.summary as string | undefined, inInfo.summary?.expect, LIMITS.summary, "summary", r.notes, false);
        assertFaithful(api.description as string | undefined, inInfo.description?.expect, LIMITS.description, "description", r.notes, false);
        assertFaithful(version.title as string, inInfo.version?.expect ?? "1.0.0", LIMITS.versionTitle, "version title", r.notes, true);
        if (!apiName) assert.ok(r.notes.includes(`apiName '${r.apiName}' made from the title`), r.notes.join("; "));

        const contact = (api.contacts as Array<Record<string, string>>)[0];
        const email = inInfo.contact?.email?.expect;
        if (email !== undefined && email.length > LIMITS.contactEmail) {
          assert.equal(contact?.email, undefined);
          assert.ok(r.notes.some((n) => n.startsWith("contact email left out")), r.notes.join("; "));
        } else assert.equal(contact?.email, email);
        const docs = docsUrl?.expect;
        const storedDocs = (api.externalDocumentation as Array<{ url: string }>)[0];
        assert.equal(storedDocs?.url, docs !== undefined && docs.length <= LIMITS.docsUrl ? docs : undefined);
      }),
      { numRuns: 150 },
    );
  });

  test("a 63-character date string as info.version (the field's case) registers with the version title cut and the whole date in the name", async () => {
    const date = "Mon Jan 15 2024 09:30:00 GMT+0000 (Coordinated Universal Time)!";
    assert.equal(date.length, 63);
    const r = await d.curation.registerApi({ ...ws, spec: { content: `openapi: 3.0.3\ninfo:\n  title: Dated\n  version: ${date}\npaths: {}\n` } });
    assert.equal(r.versionName, "mon-jan-15-2024-09-30-00-gmt-0000-coordinated-universal-time");
    const version = await d.gateway.find("version", { ...ws, api: "dated", version: r.versionName! });
    assert.equal(version!.properties.title, `${date.slice(0, 49).trimEnd()}…`);
    assert.ok(r.notes.includes(`version title cut to ${LIMITS.versionTitle} characters (the service's limit)`), r.notes.join("; "));
  });

  test("YAML's unquoted 1.10 stays '1.10' and `title: true` is a title", async () => {
    const r = await d.curation.registerApi({ ...ws, spec: { content: "openapi: 3.0.3\ninfo:\n  title: true\n  version: 1.10\npaths: {}\n" } });
    assert.equal(r.apiName, "true");
    assert.equal(r.versionName, "1-10");
    assert.equal((await d.gateway.find("version", { ...ws, api: "true", version: "1-10" }))!.properties.title, "1.10");
  });

  test("an empty spec is an error naming the fix, not a registration without a definition", async () => {
    for (const content of ["", "  \n"]) {
      await assert.rejects(
        d.curation.registerApi({ ...ws, apiName: "empty-spec", spec: { content } }),
        (e: DomainError) => e.kind === "invalid_input" && /the spec's content is empty: give the spec's text, or leave the spec out/.test(e.message),
      );
    }
    await assert.rejects(d.curation.registerApi({ ...ws, apiName: "empty-spec", spec: { url: " " } }), /the spec's url is empty/);
    assert.equal(await d.gateway.find("api", { ...ws, api: "empty-spec" }), null, "nothing was written");
  });

  test("a spec without a title asks for one, naming the fields", async () => {
    await assert.rejects(
      d.curation.registerApi({ ...ws, spec: { content: '{"openapi":"3.0.3","info":{"version":"1"},"paths":{}}' } }),
      /give a title \(or an apiName\): the spec's info block has no title/,
    );
  });
});

describe("names made from titles", () => {
  test("always follow the service's rule", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary", maxLength: 300 })), fc.constantFrom("api", "version"), (text, prefix) => {
        assert.match(slugify(text, prefix), NAME_PATTERN);
      }),
    );
  });

  test("keep titles in other scripts apart, and read Latin letters with marks", () => {
    assert.notEqual(slugify("支付服务"), slugify("订单服务"));
    assert.match(slugify("支付服务"), /^api-[0-9a-f]{8}$/);
    assert.equal(slugify("Café Ünïcode Straße"), "cafe-unicode-strasse");
    assert.equal(slugify("Swagger Petstore - OpenAPI 3.0"), "swagger-petstore-openapi-3-0");
    assert.equal(slugify("1", "version"), "version-1");
    assert.match(slugify("x".repeat(200)), /^x{90}$/);
    assert.match(slugify(`${"x".repeat(200)} 支付`), /^x{81}-[0-9a-f]{8}$/);
  });
});
