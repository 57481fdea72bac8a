/**
 * Long-running operations, against a small scripted ARM on loopback: each header style
 * (Azure-AsyncOperation, Operation-Location, Location), Retry-After in seconds and as an HTTP date,
 * the final result read where ARM puts it, failures reported as failures, every wait ended by the
 * deadline, and cancellation.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";
import { ApiCenterArmClient, type ArmClientOptions } from "../../src/azure/arm-client.js";
import { credentialFor } from "../../src/azure/credentials.js";
import { DomainError } from "../../src/domain/errors.js";
import { LOCAL_SCOPE, ref } from "../helpers/backends.js";

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** What the scripted ARM answers, by method and path (the first matching rule's next answer; the last one repeats). */
let script: Array<{ method: string; path: RegExp; answers: Answer[] }> = [];
let log: Array<{ method: string; path: string; at: number }> = [];
let base = "";

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume();
  req.on("end", () => {
    const path = (req.url ?? "").split("?")[0]!;
    log.push({ method: req.method!, path, at: Date.now() });
    const rule = script.find((r) => r.method === req.method && r.path.test(path));
    const answer = rule ? (rule.answers.length > 1 ? rule.answers.shift()! : rule.answers[0]!) : { status: 404, body: { error: { code: "NotFound", message: `no script for ${req.method} ${path}` } } };
    const headers = Object.fromEntries(Object.entries(answer.headers ?? {}).map(([k, v]) => [k, v.replace("{base}", base)]));
    res.writeHead(answer.status, { "content-type": "application/json", ...headers });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  });
});

before(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  script = [];
  log = [];
});

const definition = ref(LOCAL_SCOPE, ["workspace", "default"], ["api", "orders"], ["version", "v-1"], ["definition", "openapi"]);
const client = (opts: Partial<ArmClientOptions> = {}) => new ApiCenterArmClient({ endpoint: base, credential: credentialFor(base), pollIntervalMs: 10, maxRetries: 0, ...opts });
const SPEC = '{"openapi":"3.0.3"}';
const exported = { format: "inline", value: SPEC };
const polls = (path: RegExp) => log.filter((l) => l.method === "GET" && path.test(l.path));

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DomainError, String(e));
    return e;
  }
  assert.fail("should have failed");
}

describe("final results, by header style", () => {
  test("Azure-AsyncOperation with a Location: the status is polled, then the result read from the Location", async () => {
    script = [
      { method: "POST", path: /exportSpecification$/, answers: [{ status: 202, headers: { "azure-asyncoperation": "{base}/ops/1", location: "{base}/results/1" } }] },
      { method: "GET", path: /^\/ops\/1$/, answers: [{ status: 200, body: { status: "InProgress" } }, { status: 200, body: { status: "Succeeded" } }] },
      { method: "GET", path: /^\/results\/1$/, answers: [{ status: 200, body: exported }] },
    ];
    assert.deepEqual(await client().exportSpecification(definition), { format: "inline", value: SPEC });
    assert.equal(polls(/^\/ops\/1$/).length, 2);
    assert.equal(polls(/^\/results\/1$/).length, 1);
  });

  test("Azure-AsyncOperation alone: the result in the operation's properties", async () => {
    script = [
      { method: "POST", path: /exportSpecification$/, answers: [{ status: 202, headers: { "azure-asyncoperation": "{base}/ops/2" } }] },
      { method: "GET", path: /^\/ops\/2$/, answers: [{ status: 200, body: { status: "Running" } }, { status: 200, body: { status: "Succeeded", properties: exported } }] },
    ];
    assert.equal((await client().exportSpecification(definition)).value, SPEC);
  });

  test("Azure-AsyncOperation alone with no result anywhere: an error, never an empty spec", async () => {
    script = [
      { method: "POST", path: /exportSpecification$/, answers: [{ status: 202, headers: { "azure-asyncoperation": "{base}/ops/3" } }] },
      { method: "GET", path: /^\/ops\/3$/, answers: [{ status: 200, body: { status: "Succeeded" } }] },
    ];
    const e = await rejection(client().exportSpecification(definition));
    assert.match(e.message, /holds no specification/);
  });

  test("Operation-Location is polled like Azure-AsyncOperation", async () => {
    script = [
      { method: "POST", path: /exportSpecification$/, answers: [{ status: 202, headers: { "operation-location": "{base}/ops/4", location: "{base}/results/4" } }] },
      { method: "GET", path: /^\/ops\/4$/, answers: [{ status: 200, body: { status: "NotStarted" } }, { status: 200, body: { status: "Succeeded" } }] },
      { method: "GET", path: /^\/results\/4$/, answers: [{ status: 200, body: exported }] },
    ];
    assert.equal((await client().exportSpecification(definition)).value, SPEC);
    assert.equal(polls(/^\/ops\/4$/).length, 2);
  });

  test("Location alone: polled while it answers 202; the final 200 carries the result", async () => {
    script = [
      { method: "POST", path: /exportSpecification$/, answers: [{ status: 202, headers: { location: "{base}/results/5" } }] },
      { method: "GET", path: /^\/results\/5$/, answers: [{ status: 202, headers: { location: "{base}/results/5" } }, { status: 202 }, { status: 200, body: exported }] },
    ];
    assert.equal((await client().exportSpecification(definition)).value, SPEC);
    assert.equal(polls(/^\/results\/5$/).length, 3);
  });

  test("progress reports each poll's status", async () => {
    script = [
      { method: "POST", path: /importSpecification$/, answers: [{ status: 202, headers: { "azure-asyncoperation": "{base}/ops/6" } }] },
      { method: "GET", path: /^\/ops\/6$/, answers: [{ status: 200, body: { status: "NotStarted" } }, { status: 200, body: { status: "InProgress" } }, { status: 200, body: { status: "Succeeded" } }] },
    ];
    const seen: string[] = [];
    await client().importSpecification(definition, { format: "link", value: "https://example.com/spec.json" }, { onProgress: (p) => seen.push(p.status) });
    assert.deepEqual(seen, ["NotStarted", "InProgress", "Succeeded"]);
  });
});

describe("failures", () => {
  test("Azure-AsyncOperation that fails: its error, not a success", async () => {
    script = [
      { method: "POST", path: /importSpecification$/, answers: [{ status: 202, headers: { "azure-asyncoperation": "{base}/ops/7" } }] },
      { method: "GET", path: /^\/ops\/7$/, answers: [{ status: 200, body: { status: "Failed", error: { code: "ImportFailed", message: "the link answered 404" } } }] },
    ];
    const e = await rejection(client().importSpecification(definition, { format: "link", value: "https://example.com/x" }));
    assert.match(e.message, /the operation failed: the link answered 404/);
  });

  test("a Location whose final 200 reports Failed in its body (as live Azure's operation results do) is a failure", async () => {
    script = [
      { method: "POST", path: /importSpecification$/, answers: [{ status: 202, headers: { location: "{base}/results/8" } }] },
      { method: "GET", path: /^\/results\/8$/, answers: [{ status: 202 }, { status: 200, body: { status: "Failed", error: { code: "ImportFailed", message: "not a spec" } } }] },
    ];
    const e = await rejection(client().importSpecification(definition, { format: "link", value: "https://example.com/x" }));
    assert.match(e.message, /the operation failed: not a spec/);
  });
});

describe("waits", () => {
  test("Retry-After in seconds is waited before the next poll, the first one included", async () => {
    script = [
      { method: "POST", path: /exportSpecification$/, answers: [{ status: 202, headers: { location: "{base}/results/9", "retry-after": "1" } }] },
      { method: "GET", path: /^\/results\/9$/, answers: [{ status: 202, headers: { "retry-after": "1" } }, { status: 200, body: exported }] },
    ];
    await client().exportSpecification(definition);
    const [post] = log;
    const [p1, p2] = polls(/^\/results\/9$/);
    assert.ok(p1!.at - post!.at >= 900, `the first poll waited the first answer's Retry-After (${p1!.at - post!.at} ms)`);
    assert.ok(p2!.at - p1!.at >= 900, `the second poll waited the poll's Retry-After (${p2!.at - p1!.at} ms)`);
  });

  test("Retry-After as an HTTP date is waited until that date", async () => {
    const at = new Date(Date.now() + 2000).toUTCString();
    script = [
      { method: "POST", path: /exportSpecification$/, answers: [{ status: 202, headers: { location: "{base}/results/10", "retry-after": at } }] },
      { method: "GET", path: /^\/results\/10$/, answers: [{ status: 200, body: exported }] },
    ];
    await client().exportSpecification(definition);
    const [post] = log;
    const [p1] = polls(/^\/results\/10$/);
    assert.ok(p1!.at >= Date.parse(at) - 50, `polled at ${new Date(p1!.at).toISOString()}, not before ${at} (posted ${new Date(post!.at).toISOString()})`);
  });

  test("a Retry-After past the deadline ends at the deadline, in seconds", async () => {
    script = [
      { method: "POST", path: /importSpecification$/, answers: [{ status: 202, headers: { location: "{base}/results/11", "retry-after": "3600" } }] },
      { method: "GET", path: /^\/results\/11$/, answers: [{ status: 202, headers: { "retry-after": "3600" } }] },
    ];
    const e = await rejection(client({ maxPollMs: 300 }).importSpecification(definition, { format: "link", value: "https://example.com/x" }));
    assert.match(e.message, /still running after 300 ms; it may still be applied; check it later/);
    assert.equal(e.detail?.unanswered, true, "an import that may still apply counts as applied");
  });

  test("an HTTP-date Retry-After an hour away also ends at the deadline", async () => {
    script = [
      { method: "POST", path: /exportSpecification$/, answers: [{ status: 202, headers: { location: "{base}/results/12", "retry-after": new Date(Date.now() + 3_600_000).toUTCString() } }] },
      { method: "GET", path: /^\/results\/12$/, answers: [{ status: 200, body: exported }] },
    ];
    const e = await rejection(client({ maxPollMs: 300 }).exportSpecification(definition));
    assert.match(e.message, /still running after/);
    assert.equal(polls(/^\/results\/12$/).length, 0);
  });

  test("a 429's Retry-After ends at the call's deadline", async () => {
    script = [{ method: "GET", path: /\/apis\/orders$/, answers: [{ status: 429, headers: { "retry-after": "3600" }, body: { error: { code: "TooManyRequests", message: "slow down" } } }] }];
    const e = await rejection(client({ maxRetries: 3, callDeadlineMs: 300 }).get("api", ref(LOCAL_SCOPE, ["workspace", "default"], ["api", "orders"])));
    assert.match(e.message, /no complete answer within 300 ms/);
  });

  test("cancellation ends the wait at once and says so", async () => {
    script = [
      { method: "POST", path: /importSpecification$/, answers: [{ status: 202, headers: { "azure-asyncoperation": "{base}/ops/13", "retry-after": "3600" } }] },
      { method: "GET", path: /^\/ops\/13$/, answers: [{ status: 200, body: { status: "InProgress" } }] },
    ];
    const controller = new AbortController();
    const call = client().importSpecification(definition, { format: "link", value: "https://example.com/x" }, { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const e = await rejection(call);
    assert.match(e.message, /cancelled while the operation ran; it may still be applied/);
    assert.equal(polls(/^\/ops\/13$/).length, 0);
  });
});

describe("an export answered with a link", () => {
  const served: string[] = [];
  const blobs = createServer((req, res) => {
    served.push(req.url ?? "");
    if (req.url === "/blob/spec") return void res.end(SPEC);
    if (req.url === "/blob/moved") return void res.writeHead(302, { location: `${base}/blob/spec` }).end();
    if (req.url === "/blob/huge") {
      // 65 MiB, in 1 MiB writes: past the limit, read no further.
      const chunk = Buffer.alloc(1024 * 1024, "x");
      let left = 65;
      const more = () => {
        while (left > 0) {
          left--;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end();
      };
      res.on("error", () => undefined);
      return more();
    }
    res.writeHead(404).end();
  });
  let blobBase = "";
  before(async () => {
    await new Promise<void>((r) => blobs.listen(0, "127.0.0.1", r));
    blobBase = `http://localhost:${(blobs.address() as AddressInfo).port}`;
  });
  after(() => {
    blobs.closeAllConnections();
    return new Promise<void>((r) => blobs.close(() => r()));
  });
  const linkTo = (url: string) => [{ method: "POST", path: /exportSpecification$/, answers: [{ status: 200, body: { format: "link", value: url } }] }];

  test("from the ARM endpoint's own origin (a local API Center), the spec is read", async () => {
    script = [...linkTo(`${base}/blob/spec`), { method: "GET", path: /^\/blob\/spec$/, answers: [{ status: 200, body: { openapi: "3.0.3" } }] }];
    assert.deepEqual(await client().exportSpecification(definition), { format: "inline", value: SPEC });
  });

  test("over plain HTTP to another host it is not read at all", async () => {
    served.length = 0;
    script = linkTo(`${blobBase}/blob/spec`);
    const e = await rejection(client().exportSpecification(definition));
    assert.match(e.message, /export link over http, not HTTPS; it was not read/);
    assert.deepEqual(served, []);
  });

  test("a redirect is not followed, and a link past 64 MiB is cut off", async () => {
    const endpoint = blobBase.replace("localhost", "127.0.0.1");
    // The blob server as the ARM endpoint's origin, so that only the redirect and the size are in question.
    const own = new ApiCenterArmClient({ endpoint, credential: credentialFor(endpoint), maxRetries: 0 });
    assert.match((await rejection(own.fetchLink(`${endpoint}/blob/moved`, "export it"))).message, /answered HTTP 302 \(a redirect, not followed\)/);
    assert.match((await rejection(own.fetchLink(`${endpoint}/blob/huge`, "export it"))).message, /larger than 64 MiB/);
    assert.equal(await own.fetchLink(`${endpoint}/blob/spec`, "export it"), SPEC);
  });
});
