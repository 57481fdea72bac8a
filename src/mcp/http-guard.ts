/**
 * Who may talk to the HTTP endpoint, decided from addresses and whole origins, never from prefixes:
 * whether the bind address is loopback (then no token is needed), which Host names a request may use
 * (loopback, the bound address and the machine's own names when bound to all interfaces, and the
 * names given with --allowed-host, e.g. a reverse proxy's), and which browser Origins may call it
 * (any loopback page, and exactly the scheme, host and port given with --allowed-origin).
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import { DomainError } from "../domain/errors.js";

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Whether `address` (an IP literal, IPv4-mapped IPv6 included) is a loopback address. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  return family !== 0 && loopback.check(bare, family === 4 ? "ipv4" : "ipv6");
}

const WILDCARDS = new Set(["0.0.0.0", "::", ""]);

/** Whether binding to `host` serves loopback only: an IP literal by its range, a name by every address it resolves to. */
export async function bindsLoopbackOnly(host: string): Promise<boolean> {
  const bare = host.replace(/^\[|\]$/g, "");
  if (WILDCARDS.has(bare)) return false;
  if (isIP(bare)) return isLoopbackAddress(bare);
  try {
    const addresses = await lookup(bare, { all: true });
    return addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address));
  } catch {
    return false;
  }
}

/** A host name or IP literal as Host headers and URLs spell it once normalised: lower case, IPv6 bare, no trailing dot. */
export function canonicalHostname(host: string): string {
  const bare = host.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return bare;
}

/** The hostname of a Host header value (`name:port`, `[v6]:port`), or null when it is not one. */
function hostOfHeader(value: string): string | null {
  try {
    const u = new URL(`http://${value}/`);
    return u.username || u.password || u.pathname !== "/" ? null : canonicalHostname(u.hostname);
  } catch {
    return null;
  }
}

/** The names a request may address this server by. */
export function allowedHostnames(bindHost: string, extra: readonly string[]): Set<string> {
  const names = new Set(["localhost", ...extra.map(canonicalHostname)]);
  const bound = canonicalHostname(bindHost);
  if (WILDCARDS.has(bound)) {
    // Bound to every interface: a remote client may use any of the machine's addresses, or its name.
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(canonicalHostname(i.address.replace(/%.*$/, "")));
    names.add(canonicalHostname(hostname()));
  } else names.add(bound);
  return names;
}

export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (!header) return false;
  const host = hostOfHeader(header);
  return host !== null && (allowed.has(host) || isLoopbackAddress(host));
}

/** An allowed origin as browsers send it: `scheme://host[:port]`, default ports left out. */
export function canonicalOrigin(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new DomainError("configuration", `allowed origin '${value}' is not an origin: give scheme://host[:port], e.g. https://app.example.com`);
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.pathname !== "/" || u.search || u.hash || u.username) {
    throw new DomainError("configuration", `allowed origin '${value}' is not an origin: give only scheme://host[:port], e.g. https://app.example.com`);
  }
  return u.origin;
}

/** No Origin is a client that is not a browser; a browser page may call from loopback, or from exactly an allowed origin. */
export function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return false;
  const host = canonicalHostname(u.hostname);
  return host === "localhost" || isLoopbackAddress(host) || allowed.has(u.origin);
}
