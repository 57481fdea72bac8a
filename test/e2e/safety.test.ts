/**
 * Safety of the running server: read-only mode, HTTP Host/Origin/auth checks, refusing to bind beyond
 * loopback without auth, malformed arguments never killing it, confirmations for deletes, dry runs
 * that apply nothing, and writes undone when a later step fails.
 */
import assert from "node:assert/strict";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { after, before, describe, test } from "node:test";
import { ALL_TOOLS } from "../../src/mcp/tools/index.js";
import { launchCli } from "../helpers/cli-process.js";
import { spawnServer, startClient, type TestClient } from "./clients.js";

const PETSTORE = JSON.stringify({
  openapi: "3.0.1",
  info: { title: "Petstore", version: "1.0.0", contact: { email: "pets@example.com" }, license: { name: "MIT" } },
  paths: { "/pets": { get: { operationId: "listPets", responses: { "200": { description: "ok" } } } } },
});

describe("read-only mode and toolsets", () => {
  test("--read-only exposes exactly the tools whose readOnlyHint is true", async () => {
    const c = await startClient({ era: "modern", transport: "stdio", args: ["--read-only"] });
    try {
      const names = (await c.listTools()).map((t) => t.name).sort();
      assert.deepEqual(names, ALL_TOOLS.filter((t) => t.annotations.readOnlyHint).map((t) => t.name).sort());
      assert.ok(!names.includes("register_api"));
    } finally {
      await c.close();
    }
  });
  test("APICENTER_TOOLSETS selects groups; an unknown toolset stops start-up with the list", async () => {
    const c = await startClient({ era: "legacy", transport: "stdio", env: { APICENTER_TOOLSETS: "metadata" } });
    try {
      assert.deepEqual((await c.listTools()).map((t) => t.name).sort(), ["define_metadata", "delete_resource", "list_metadata_schemas"]);
    } finally {
      await c.close();
    }
    const bad = await spawnServer(["--toolsets", "apis,nonsense"]);
    const code = await new Promise((r) => bad.child.once("exit", r));
    assert.equal(code, 2);
    assert.match(bad.stderr(), /unknown toolset\(s\) nonsense: choose from apis, specs/);
  });
});

/** node:http, not fetch: fetch will not send a Host header of the caller's choosing. */
const initialize = (url: string, headers: Record<string, string>) =>
  new Promise<{ status: number }>((resolve, reject) => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } });
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on("error", reject);
    req.end(body);
  });

describe("HTTP transport guards", () => {
  let server: Awaited<ReturnType<typeof spawnServer>>;
  before(async () => {
    server = await spawnServer(["--http", "--port", "0", "--allowed-origin", "https://app.example.com"]);
  });
  after(() => void server.child.kill());

  test("a bad Host or Origin gets 403; localhost passes", async () => {
    assert.equal((await initialize(server.url!, { host: "evil.example.com" })).status, 403);
    assert.equal((await initialize(server.url!, { host: "127.evil.example.com" })).status, 403, "a name starting with 127. is not loopback");
    assert.equal((await initialize(server.url!, { origin: "https://evil.example.com" })).status, 403);
    assert.equal((await initialize(server.url!, { origin: "http://localhost:5173" })).status, 200);
  });
  test("an allowed origin matches on scheme, host and port", async () => {
    assert.equal((await initialize(server.url!, { origin: "https://app.example.com" })).status, 200);
    assert.equal((await initialize(server.url!, { origin: "http://app.example.com" })).status, 403);
    assert.equal((await initialize(server.url!, { origin: "https://app.example.com:8443" })).status, 403);
  });
  test("only /mcp is served", async () => {
    assert.equal((await fetch(server.url!.replace(/\/mcp$/, "/other"))).status, 404);
  });
});

describe("binding beyond loopback", () => {
  test("refuses to start without an auth token, naming the fix", async () => {
    const server = launchCli(["--http", "--host", "0.0.0.0", "--port", "0", "--db", ":memory:"]);
    const code = await new Promise((r) => server.child.once("exit", r));
    assert.equal(code, 2);
    assert.match(server.stderr(), /refusing to serve HTTP on 0\.0\.0\.0 without authentication: set --auth-token/);
  });
  test("bound to every interface with a token: the machine's own addresses and --allowed-host names pass Host, others get 403", async () => {
    const server = await spawnServer(["--http", "--host", "0.0.0.0", "--port", "0", "--allowed-host", "mcp.example.com"], { APICENTER_MCP_AUTH_TOKEN: "s3cret-token" });
    try {
      const port = new URL(server.url!).port;
      const own = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((i) => i.family === "IPv4");
      const auth = { authorization: "Bearer s3cret-token" };
      for (const i of own) assert.equal((await initialize(`http://127.0.0.1:${port}/mcp`, { ...auth, host: `${i.address}:${port}` })).status, 200, i.address);
      assert.equal((await initialize(`http://127.0.0.1:${port}/mcp`, { ...auth, host: `mcp.example.com:${port}` })).status, 200);
      assert.equal((await initialize(`http://127.0.0.1:${port}/mcp`, { ...auth, host: `other.example.com:${port}` })).status, 403);
    } finally {
      server.child.kill();
    }
  });
  test("a bind name that is not loopback by its addresses needs a token", async () => {
    const server = launchCli(["--http", "--host", "127.evil.invalid", "--port", "0", "--db", ":memory:"]);
    const code = await new Promise((r) => server.child.once("exit", r));
    assert.equal(code, 2);
    assert.match(server.stderr(), /refusing to serve HTTP on 127\.evil\.invalid without authentication/);
  });
  test("with a token, requests without it get 401 and requests with it are served", async () => {
    const server = await spawnServer(["--http", "--port", "0"], { APICENTER_MCP_AUTH_TOKEN: "s3cret-token" });
    try {
      const post = (auth?: string) =>
        fetch(server.url!, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(auth ? { authorization: auth } : {}) },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } }),
        });
      const denied = await post();
      assert.equal(denied.status, 401);
      assert.match(denied.headers.get("www-authenticate") ?? "", /Bearer/);
      assert.equal((await post("Bearer wrong")).status, 401);
      assert.equal((await post("Bearer s3cret-token")).status, 200);
      assert.ok(!server.stderr().includes("s3cret-token"), "the token never reaches the logs");
    } finally {
      server.child.kill();
    }
  });
});

describe("tool calls", () => {
  let c: TestClient;
  before(async () => {
    // The failing document server below runs on this machine.
    c = await startClient({ era: "legacy", transport: "stdio", args: ["--allow-fetch-host", "127.0.0.1"] });
  });
  after(async () => {
    await c.close();
  });

  test("malformed arguments to every tool are isError results, and the server keeps serving", async () => {
    for (const tool of ALL_TOOLS) {
      // A nested empty array fits none of the fields' types, whatever they are.
      const malformed = Object.fromEntries(Object.keys(tool.input.shape).map((k) => [k, [[]]]));
      const r = await c.callTool(tool.name, malformed);
      assert.equal(r.isError, true, `${tool.name} refused malformed arguments`);
      assert.match(r.content[0]!.text!, /validation|invalid|expected|must|name/i, `${tool.name}: ${r.content[0]!.text}`);
    }
    const fine = await c.callTool("list_apis", {});
    assert.ok(!fine.isError);
  });

  test("an unknown argument is refused with the valid ones, not ignored", async () => {
    const r = await c.callTool("list_apis", { lifecycle: "retired" });
    assert.equal(r.isError, true, "a misspelt filter must not return every API");
    assert.match(r.content[0]!.text!, /lifecycle: not an argument of list_apis \(did you mean lifecycleStage\?\); its arguments are kind, lifecycleStage,/);
  });

  test('"" is not "omitted": an empty string is refused naming the field', async () => {
    const empty = await c.callTool("register_api", { title: "Empty", specContent: "" });
    assert.equal(empty.isError, true);
    assert.match(empty.content[0]!.text!, /specContent: is empty: give a value, or leave specContent out/);
    const nested = await c.callTool("register_api", { title: "Nested", contacts: [{ name: "" }] });
    assert.match(nested.content[0]!.text!, /contacts\.0\.name: is empty/);
    const filter = await c.callTool("list_apis", { environmentName: "" });
    assert.match(filter.content[0]!.text!, /environmentName: is empty/);
  });

  test("another service is named in one string, checked before any call", async () => {
    const r = await c.callTool("list_apis", { service: "not a service" });
    assert.equal(r.isError, true);
    assert.match(r.content[0]!.text!, /service 'not a service' names no service: give an ARM id .* or '<group>\/<name>\[\/<workspace>\]'/);
    const bad = await c.callTool("list_apis", { service: "/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.ApiCenter/services/svc" });
    assert.match(bad.content[0]!.text!, /service\.subscriptionId 'not-a-guid' is not a subscription id/);
  });

  test("names that break the service's rule are refused before any call, with the rule", async () => {
    const r = await c.callTool("create_version", { apiName: "petstore", versionName: "v1", lifecycleStage: "design" });
    assert.equal(r.isError, true);
    assert.match(r.content[0]!.text!, /3 to 90 letters, digits or hyphens/);
  });

  test("a dry run shows the ARM calls and applies nothing", async () => {
    const r = await c.callTool("register_api", { specContent: PETSTORE, dryRun: true });
    assert.ok(!r.isError, r.content[0]?.text);
    assert.equal(r.structuredContent.dryRun, true);
    assert.deepEqual(
      r.structuredContent.calls.map((x: { method: string; url: string }) => `${x.method} ${x.url.split("/providers/Microsoft.ApiCenter/services/local")[1]!.split("?")[0]}`),
      [
        "PUT /workspaces/default/apis/petstore",
        "PUT /workspaces/default/apis/petstore/versions/1-0-0",
        "PUT /workspaces/default/apis/petstore/versions/1-0-0/definitions/openapi",
        "POST /workspaces/default/apis/petstore/versions/1-0-0/definitions/openapi/importSpecification",
      ],
    );
    assert.equal(r.structuredContent.calls[0].body.properties.title, "Petstore");
    assert.equal((await c.callTool("list_apis", {})).structuredContent.total, 0, "nothing was written");
  });

  test("when a later step fails, what the call created is undone", async () => {
    const docs = createServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => docs.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(docs.address() as AddressInfo).port}/missing.json`;
      const r = await c.callTool("register_api", { apiName: "half-done", title: "Half done", specUrl: url, specificationName: "openapi" });
      assert.equal(r.isError, true);
      assert.match(r.content[0]!.text!, /answered HTTP 404.*nothing was kept/s);
      assert.equal((await c.callTool("get_api", { apiName: "half-done" })).isError, true, "the API was removed again");
    } finally {
      docs.close();
    }
  });

  test("a client that cannot ask the user must pass confirm: true to delete", async () => {
    assert.ok(!(await c.callTool("register_api", { specContent: PETSTORE })).isError);
    const refused = await c.callTool("delete_resource", { kind: "api", apiName: "petstore" });
    assert.equal(refused.isError, true);
    assert.match(refused.content[0]!.text!, /Delete API 'petstore' with its 1 version\(s\).*call again with confirm: true/s);
    const incomplete = await c.callTool("delete_resource", { kind: "version", apiName: "petstore" });
    assert.match(incomplete.content[0]!.text!, /kind 'version' needs apiName and versionName: give versionName/);
    const dry = await c.callTool("delete_resource", { kind: "api", apiName: "petstore", dryRun: true });
    assert.equal(dry.structuredContent.calls[0].method, "DELETE");
    const done = await c.callTool("delete_resource", { kind: "api", apiName: "petstore", confirm: true });
    assert.equal(done.structuredContent.deleted, true);
    assert.equal((await c.callTool("get_api", { apiName: "petstore" })).isError, true);
  });
});

for (const era of ["legacy", "modern"] as const) {
  describe(`confirmation through elicitation (${era} era)`, () => {
    test("the user is asked; yes deletes, no keeps", async () => {
      let answer: "accept" | "decline" = "decline";
      const questions: string[] = [];
      const c = await startClient({
        era,
        transport: era === "legacy" ? "stdio" : "http",
        elicit: (message) => {
          questions.push(message);
          return answer === "accept" ? { action: "accept", content: { confirm: true } } : { action: "decline" };
        },
      });
      try {
        assert.ok(!(await c.callTool("register_api", { specContent: PETSTORE })).isError);
        const kept = await c.callTool("delete_resource", { kind: "api", apiName: "petstore" });
        assert.ok(!kept.isError, kept.content[0]?.text);
        assert.equal(kept.structuredContent.deleted, false);
        assert.match(questions[0]!, /Delete API 'petstore'/);
        answer = "accept";
        const gone = await c.callTool("delete_resource", { kind: "api", apiName: "petstore" });
        assert.equal(gone.structuredContent.deleted, true, gone.content[0]?.text);
        assert.equal((await c.callTool("get_api", { apiName: "petstore" })).isError, true);
      } finally {
        await c.close();
      }
    });
  });
}

test("writes tell a connected client that the resource list changed", async () => {
  const c = await startClient({ era: "legacy", transport: "stdio" });
  try {
    await c.callTool("create_environment", { environmentName: "staging", kind: "staging" });
    for (let i = 0; i < 50 && !c.notifications.includes("notifications/resources/list_changed"); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(c.notifications.includes("notifications/resources/list_changed"), c.notifications.join(","));
  } finally {
    await c.close();
  }
});

for (const [era, transport] of [["modern", "stdio"], ["legacy", "http"]] as const) {
  test(`a long-running import reports progress (${era} era, ${transport})`, async () => {
    // A slow document server, as real ones are: the import is still running at the first poll.
    const docs = createServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(PETSTORE);
      }, 400);
    });
    await new Promise<void>((r) => docs.listen(0, "127.0.0.1", r));
    const c = await startClient({ era, transport, args: ["--allow-fetch-host", "127.0.0.1"] });
    try {
      assert.ok(!(await c.callTool("register_api", { apiName: "petstore", title: "Petstore", versionName: "v1-0", lifecycleStage: "design" })).isError);
      const seen: string[] = [];
      const r = await c.callTool(
        "import_spec",
        { apiName: "petstore", versionName: "v1-0", specUrl: `http://127.0.0.1:${(docs.address() as AddressInfo).port}/petstore.json`, specificationName: "openapi" },
        { onprogress: (p) => void seen.push(p.message ?? "") },
      );
      assert.ok(!r.isError, r.content[0]?.text);
      assert.equal(r.structuredContent.specification, "openapi 3.0.1", "the version is completed from the fetched content");
      assert.ok(seen.some((m) => /import: InProgress/.test(m)), `progress seen: ${seen.join(" | ")}`);
    } finally {
      await c.close();
      docs.close();
    }
  });
}
