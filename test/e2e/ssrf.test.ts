/** Through the built CLI: a link import aimed inside the network is refused, and nothing it could have read comes back. */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { startClient, type TestClient } from "./clients.js";

let c: TestClient;
const hits: string[] = [];
const docs = createServer((req, res) => {
  hits.push(req.url ?? "");
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("openapi: 3.0.0\ninfo: {title: 'INTERNAL-ONLY: db_password=hunter2', version: '1'}\npaths: {}\n");
});

before(async () => {
  await new Promise<void>((r) => docs.listen(0, "127.0.0.1", r));
  c = await startClient({ era: "modern", transport: "stdio" });
});
after(async () => {
  await c.close();
  docs.close();
});

test("import_spec and register_api refuse loopback and metadata links; export_spec never returns their content", async () => {
  const port = (docs.address() as AddressInfo).port;
  assert.ok(!(await c.callTool("register_api", { apiName: "inside", title: "Inside", versionName: "v1-0", lifecycleStage: "design" })).isError);
  for (const host of ["127.0.0.1", "[::1]", "localhost", "0.0.0.0", "2130706433", "0x7f.1", "169.254.169.254", "[::ffff:127.0.0.1]"]) {
    const url = `http://${host}:${port}/openapi.yaml`;
    const r = await c.callTool("import_spec", { apiName: "inside", versionName: "v1-0", definitionName: "openapi", specUrl: url });
    assert.equal(r.isError, true, `${host}: ${r.content[0]?.text}`);
    assert.match(r.content[0]!.text!, /refused to fetch/, host);
    const exported = await c.callTool("export_spec", { apiName: "inside", versionName: "v1-0", definitionName: "openapi", mode: "whole" });
    assert.doesNotMatch(JSON.stringify(exported), /hunter2/, host);
  }
  const registered = await c.callTool("register_api", { apiName: "inside-too", title: "Inside too", specUrl: `http://2130706433:${port}/openapi.yaml`, specificationName: "openapi" });
  assert.equal(registered.isError, true);
  assert.match(registered.content[0]!.text!, /refused to fetch/);
  assert.deepEqual(hits, [], "no request reached the internal server");
});
