/**
 * Link imports must not become a way into the network the local API Center runs in: every spelling
 * of an internal address is refused before any connection, redirects are checked hop by hop, and
 * what goes wrong on the network reads the same whatever the port's state.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import { DomainError } from "../../src/domain/errors.js";
import { addressProblem, fetchDocument, LinkProblem } from "../../src/emulator/fetch-document.js";
import { LOCAL_SCOPE, ref, startEmulator } from "../helpers/backends.js";

const SECRET = "INTERNAL-ONLY: db_password=hunter2";

/** A document server on loopback that counts what reaches it. */
async function docsServer(routes: Record<string, (res: import("node:http").ServerResponse, port: number) => void>) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hits.push(path);
    const route = routes[path];
    if (route) route(res, (server.address() as AddressInfo).port);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { hits, port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const secret = (res: import("node:http").ServerResponse) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(SECRET);
};

async function refusal(p: Promise<unknown>): Promise<LinkProblem> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof LinkProblem, String(e));
    return e;
  }
  assert.fail("the fetch was not refused");
}

describe("addresses a public document cannot live at", () => {
  test("every internal range, in IPv4, IPv6 and IPv4-mapped IPv6, is refused; public addresses are not", () => {
    const refused = [
      "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
      "169.254.169.254", "168.63.129.16", "224.0.0.251", "255.255.255.255", "::", "::1", "fd00::", "fd00:ec2::254",
      "fe80::1", "fe80::1%eth0", "ff02::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:ffff:a9fe:a9fe", "64:ff9b::a9fe:a9fe", "::127.0.0.1",
    ];
    for (const a of refused) assert.ok(addressProblem(a), `${a} is refused`);
    for (const a of ["8.8.8.8", "140.82.112.3", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]) assert.equal(addressProblem(a), null, a);
    assert.match(addressProblem("169.254.169.254")!, /link-local/);
    assert.match(addressProblem("::ffff:10.0.0.1")!, /private/);
  });
});

describe("fetchDocument", () => {
  let docs: Awaited<ReturnType<typeof docsServer>>;
  before(async () => {
    docs = await docsServer({
      "/secret": secret,
      "/spec.json": (res) => {
        res.writeHead(200);
        res.end('{"openapi":"3.0.0"}');
      },
      "/to-secret": (res, port) => {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` });
        res.end();
      },
      "/to-mapped": (res, port) => {
        res.writeHead(307, { location: `http://[::ffff:7f00:1]:${port}/secret` });
        res.end();
      },
      "/to-metadata": (res) => {
        res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" });
        res.end();
      },
      "/to-spec": (res) => {
        res.writeHead(308, { location: "/spec.json" });
        res.end();
      },
      "/loop": (res) => {
        res.writeHead(302, { location: "/loop" });
        res.end();
      },
      "/hang": () => {},
      "/reset": (res) => res.socket?.destroy(),
      "/bomb": (res) => {
        res.writeHead(200, { "content-encoding": "gzip" });
        res.end(gzipSync(Buffer.alloc(5_000_000, 0x20)));
      },
    });
  });
  after(() => docs.close());

  test("every spelling of an internal address is refused before connecting", async () => {
    const spellings = [
      "127.0.0.1", "[::1]", "localhost", "LOCALHOST", "0.0.0.0", "0", "2130706433", "0x7f.1", "017700000001", "0177.0.0.1", "127.1",
      "%31%32%37.0.0.1", "[::ffff:127.0.0.1]", "[0:0:0:0:0:ffff:7f00:1]", "[::]", "169.254.169.254", "[fd00::]", "[fe80::1]", "10.0.0.1", "100.100.100.200",
    ];
    for (const host of spellings) {
      const e = await refusal(fetchDocument(`http://${host}:${docs.port}/secret`, { maxBytes: 1_000_000 }));
      assert.equal(e.code, "SpecificationLinkRefused", `${host}: ${e.message}`);
      assert.match(e.message, /fetches only public documents.*--allow-fetch-host/, host);
    }
    assert.deepEqual(docs.hits, [], "nothing reached the server");
  });

  test("an allowed host name is fetched; a redirect is checked again at every hop", async () => {
    docs.hits.length = 0;
    const allow = { maxBytes: 1_000_000, allowHosts: ["localhost"] };
    assert.equal(await fetchDocument(`http://localhost:${docs.port}/to-spec`, allow), '{"openapi":"3.0.0"}', "redirects are followed");
    for (const hop of ["/to-secret", "/to-mapped", "/to-metadata"]) {
      const e = await refusal(fetchDocument(`http://localhost:${docs.port}${hop}`, allow));
      assert.equal(e.code, "SpecificationLinkRefused", `${hop}: ${e.message}`);
      assert.doesNotMatch(e.message, /hunter2/);
    }
    assert.ok(!docs.hits.includes("/secret"), `the redirect target was never fetched: ${docs.hits.join(", ")}`);
    assert.match((await refusal(fetchDocument(`http://localhost:${docs.port}/loop`, allow))).message, /redirects more than 5 times/);
  });

  test("the allow list names hosts, whatever the spelling of the entry", async () => {
    assert.equal(await fetchDocument(`http://2130706433:${docs.port}/spec.json`, { maxBytes: 1000, allowHosts: ["127.0.0.1"] }), '{"openapi":"3.0.0"}');
    assert.equal(await fetchDocument(`http://127.0.0.1:${docs.port}/spec.json`, { maxBytes: 1000, allowHosts: ["127.1"] }), '{"openapi":"3.0.0"}');
    await refusal(fetchDocument(`http://127.0.0.1:${docs.port}/spec.json`, { maxBytes: 1000, allowHosts: ["localhost"] }));
  });

  test("closed, hanging and resetting servers read the same: the answer does not tell port states apart", async () => {
    const allow = { maxBytes: 1_000_000, allowHosts: ["127.0.0.1"], timeoutMs: 400 };
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const messages = [];
    for (const url of [`http://127.0.0.1:${closedPort}/x`, `http://127.0.0.1:${docs.port}/hang`, `http://127.0.0.1:${docs.port}/reset`, "http://no-such-host.invalid/x"]) {
      const e = await refusal(fetchDocument(url, allow));
      assert.equal(e.code, "SpecificationLinkUnreachable", e.message);
      messages.push(e.message.replace(/'[^']*'/, "'URL'"));
    }
    assert.equal(new Set(messages).size, 1, messages.join("\n"));
  });

  test("size is capped after decoding, and errors never carry the query string", async () => {
    const e = await refusal(fetchDocument(`http://127.0.0.1:${docs.port}/bomb?sig=SECRET-SAS`, { maxBytes: 1_000_000, allowHosts: ["127.0.0.1"] }));
    assert.equal(e.code, "SpecificationTooLarge");
    assert.doesNotMatch(e.message, /SECRET-SAS/);
  });
});

describe("link imports in the local API Center", () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let docs: Awaited<ReturnType<typeof docsServer>>;
  const d = ref(LOCAL_SCOPE, ["workspace", "default"], ["api", "ssrf"], ["version", "v1-0"], ["definition", "openapi"]);
  before(async () => {
    emu = await startEmulator();
    docs = await docsServer({ "/secret": secret });
    await emu.client.createOrUpdate("api", ref(LOCAL_SCOPE, ["workspace", "default"], ["api", "ssrf"]), { title: "SSRF", kind: "rest" });
    await emu.client.createOrUpdate("version", ref(LOCAL_SCOPE, ["workspace", "default"], ["api", "ssrf"], ["version", "v1-0"]), { title: "1", lifecycleStage: "design" });
    await emu.client.createOrUpdate("definition", d, { title: "OpenAPI" });
  });
  after(async () => {
    await docs.close();
    await emu.close();
  });

  test("a refused link ends the operation Failed, and the export never returns what was there", async () => {
    for (const host of ["127.0.0.1", "[::1]", "localhost", "2130706433", "169.254.169.254"]) {
      await assert.rejects(emu.client.importSpecification(d, { format: "link", value: `http://${host}:${docs.port}/secret` }), (e: unknown) => {
        assert.ok(e instanceof DomainError);
        assert.match(e.message, /refused to fetch .*fetches only public documents/, host);
        return true;
      });
      await assert.rejects(emu.client.exportSpecification(d), (e: unknown) => e instanceof DomainError && e.kind === "not_found" && !/hunter2/.test(e.message));
    }
    assert.deepEqual(docs.hits, []);
  });
});
