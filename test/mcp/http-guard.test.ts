/** The HTTP endpoint's guards: loopback decided from addresses, Host from the server's own names, Origin matched whole. */
import assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import { test } from "node:test";
import { DomainError } from "../../src/domain/errors.js";
import { allowedHostnames, bindsLoopbackOnly, canonicalOrigin, hostAllowed, isLoopbackAddress, originAllowed } from "../../src/mcp/http-guard.js";

test("loopback is an address range, not a prefix", async () => {
  for (const a of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1"]) assert.equal(isLoopbackAddress(a), true, a);
  for (const a of ["127.evil.example", "1270.0.0.1", "10.0.0.1", "0.0.0.0", "::", "localhost.evil.example"]) assert.equal(isLoopbackAddress(a), false, a);
  assert.equal(await bindsLoopbackOnly("127.0.0.1"), true);
  assert.equal(await bindsLoopbackOnly("localhost"), true, "localhost resolves to loopback addresses only");
  assert.equal(await bindsLoopbackOnly("::1"), true);
  for (const h of ["0.0.0.0", "::", "127.evil.example", "no-such-host.invalid"]) assert.equal(await bindsLoopbackOnly(h), false, h);
});

test("Host: loopback names and addresses, the bound address, and --allowed-host names; the port is not part of the name", () => {
  const bound = allowedHostnames("10.1.2.3", ["MCP.Example.com."]);
  for (const h of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "10.1.2.3:3000", "mcp.example.com", "MCP.EXAMPLE.COM:443"]) assert.equal(hostAllowed(h, bound), true, h);
  for (const h of [undefined, "", "evil.example", "127.evil.example", "10.1.2.4:3000", "user@10.1.2.3", "10.1.2.3/x"]) assert.equal(hostAllowed(h, bound), false, String(h));
});

test("Host when bound to every interface: the machine's own addresses and name are accepted, others are not", () => {
  const all = allowedHostnames("0.0.0.0", []);
  const own = Object.values(networkInterfaces()).flatMap((l) => l ?? []).map((i) => i.address);
  assert.ok(own.length > 0);
  for (const a of own) assert.equal(hostAllowed(a.includes(":") ? `[${a.replace(/%.*$/, "")}]:3000` : `${a}:3000`, all), true, a);
  assert.equal(hostAllowed("evil.example:3000", all), false);
  assert.equal(hostAllowed("203.0.113.9:3000", all), false);
});

test("Origin: scheme, host and port must all match an allowed origin; loopback pages pass; no Origin is not a browser", () => {
  const allowed = new Set(["https://app.example.com", "http://tools.example.com:8080"].map(canonicalOrigin));
  for (const o of [undefined, "https://app.example.com", "https://app.example.com:443", "http://tools.example.com:8080", "http://localhost:5173", "http://127.0.0.1:6274", "http://[::1]:1234"]) {
    assert.equal(originAllowed(o, allowed), true, String(o));
  }
  for (const o of ["http://app.example.com", "https://app.example.com:8443", "https://evil.app.example.com", "http://tools.example.com", "https://tools.example.com:8080", "null", "file://", "http://127.evil.example"]) {
    assert.equal(originAllowed(o, allowed), false, o);
  }
});

test("an allowed origin must be a whole origin, with the fix in the message", () => {
  for (const bad of ["app.example.com", "https://app.example.com/path", "ftp://app.example.com", "https://user@app.example.com"]) {
    assert.throws(() => canonicalOrigin(bad), (e: unknown) => e instanceof DomainError && /scheme:\/\/host\[:port\]/.test(e.message), bad);
  }
  assert.equal(canonicalOrigin("HTTPS://App.Example.com:443/"), "https://app.example.com");
});
