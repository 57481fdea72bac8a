/**
 * Fetching a document a caller named by URL (a spec link, an API Management import link) without
 * becoming a way into the network the local API Center runs in. Every URL, the first and each redirect, is resolved and every address
 * checked against the ranges a public document cannot live in (loopback, private, link-local, CGNAT,
 * multicast, unspecified, cloud metadata); the connection then goes to a checked address, pinned
 * through the request's `lookup`, so a second DNS answer cannot swap it. Names the operator allows
 * (for a docs server on the same machine, or tests) skip the range check, nothing else.
 * Whatever goes wrong on the network reads the same, so the answers cannot map ports.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { clip } from "../arm/text.js";

export interface FetchOptions {
  /** Host names (or IP literals) fetched even when they resolve to a refused address. */
  allowHosts?: readonly string[];
  /** The largest document accepted, in bytes after decoding. */
  maxBytes: number;
  /** The whole fetch, redirects included, must end within this. */
  timeoutMs?: number;
  maxRedirects?: number;
}

/** Why a link could not be read, with a code the caller's answer carries. */
export class LinkProblem extends Error {
  constructor(
    /** The ARM-style error code the import operation ends with. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_REDIRECTS = 5;

/** [first address, prefix length, why it is refused]. */
const REFUSED_V4: Array<[string, number, string]> = [
  ["0.0.0.0", 8, "an unspecified address"],
  ["10.0.0.0", 8, "a private address"],
  ["100.64.0.0", 10, "a carrier-grade NAT address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address (where cloud metadata services answer)"],
  ["172.16.0.0", 12, "a private address"],
  ["192.0.0.0", 24, "an IETF protocol address"],
  ["192.0.2.0", 24, "a documentation address"],
  ["192.88.99.0", 24, "a 6to4 relay address"],
  ["192.168.0.0", 16, "a private address"],
  ["198.18.0.0", 15, "a benchmarking address"],
  ["198.51.100.0", 24, "a documentation address"],
  ["203.0.113.0", 24, "a documentation address"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved address"],
  // Azure's host endpoint (WireServer) is a public address reachable only from inside Azure.
  ["168.63.129.16", 32, "a cloud metadata address"],
];
const REFUSED_V6: Array<[string, number, string]> = [
  ["::", 128, "an unspecified address"],
  ["::1", 128, "a loopback address"],
  // IPv4-compatible, NAT64 and 6to4 addresses carry an IPv4 address that may be internal.
  ["::", 96, "an IPv4-compatible address"],
  ["64:ff9b::", 96, "a NAT64 address"],
  ["64:ff9b:1::", 48, "a NAT64 address"],
  ["100::", 64, "a discard address"],
  ["2001::", 32, "a Teredo address"],
  ["2001:db8::", 32, "a documentation address"],
  ["2002::", 16, "a 6to4 address"],
  ["fc00::", 7, "a private (unique local) address"],
  ["fe80::", 10, "a link-local address"],
  ["fec0::", 10, "a site-local address"],
  ["ff00::", 8, "a multicast address"],
];

const refused = REFUSED_V4.map(([net, prefix, why]) => ({ list: blockOf(net, prefix, "ipv4"), why, family: 4 }))
  .concat(REFUSED_V6.map(([net, prefix, why]) => ({ list: blockOf(net, prefix, "ipv6"), why, family: 6 })))
  // Longest prefix first, so ::1 reads "loopback" rather than "IPv4-compatible".
  .sort((a, b) => b.list.prefix - a.list.prefix);

function blockOf(net: string, prefix: number, type: "ipv4" | "ipv6") {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return { list, prefix };
}

/** Why a document may not be fetched from `address`, or null when it may. IPv4-mapped IPv6 is read as the IPv4 it carries. */
export function addressProblem(spelled: string): string | null {
  // A zone (fe80::1%eth0) names an interface, not another address.
  const address = spelled.replace(/%.*$/, "");
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  if (family === 6) {
    const mapped = v4Mapped(address);
    if (mapped) return addressProblem(mapped);
  }
  const type = family === 4 ? "ipv4" : "ipv6";
  return refused.find((r) => r.family === family && r.list.list.check(address, type))?.why ?? null;
}

/** The IPv4 address an IPv4-mapped IPv6 address carries, however it is spelled (`::ffff:127.0.0.1`, `0:0:0:0:0:ffff:7f00:1`). */
function v4Mapped(address: string): string | undefined {
  // URL parsing writes IPv6 in its one canonical form.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!m) return undefined;
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
}

/** The link as it may be shown: no credentials, no query (a SAS token lives there), cut to a readable length. */
export function shownLink(link: string | URL): string {
  try {
    const u = typeof link === "string" ? new URL(link) : link;
    return clip(`${u.protocol}//${u.host}${u.pathname}`);
  } catch {
    return clip(String(link));
  }
}

const unreachable = (url: URL, timeoutMs: number) =>
  new LinkProblem(
    "SpecificationLinkUnreachable",
    `could not fetch '${shownLink(url)}': no answer from the host (it may not exist, may refuse the connection, or took over ${timeoutMs / 1000} s): check the URL is public and the server is up`,
  );

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (e, addresses) => (e ? reject(e) : resolve(addresses))));
}

/** The addresses `url` may be fetched from; throws when any of its addresses is refused. */
async function checkedAddresses(url: URL, allowHosts: ReadonlySet<string>, timeoutMs: number): Promise<LookupAddress[]> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LinkProblem("SpecificationLinkRefused", `'${shownLink(url)}' is not an http(s) URL: redirects may only lead to http or https`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const allowed = allowHosts.has(host) || allowHosts.has(host.replace(/\.$/, ""));
  let addresses: LookupAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookupAll(host);
    } catch {
      throw unreachable(url, timeoutMs);
    }
  }
  if (!allowed) {
    for (const a of addresses) {
      const why = addressProblem(a.address);
      if (why) {
        throw new LinkProblem(
          "SpecificationLinkRefused",
          `refused to fetch '${shownLink(url)}': ${host === a.address ? "it is" : `'${clip(host)}' resolves to`} ${why}, and the local API Center fetches only public documents` +
            ` (to import from a server on this machine or network, start it with --allow-fetch-host ${clip(host)})`,
        );
      }
    }
  }
  return addresses;
}

interface Answer {
  status: number;
  location?: string;
  body: IncomingMessage;
}

function requestOnce(url: URL, address: LookupAddress, signal: AbortSignal): Promise<Answer> {
  const pinned = (_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options.all) cb(null, [address]);
    else cb(null, address.address, address.family);
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: "GET",
        lookup: pinned as never,
        signal,
        headers: { accept: "*/*", "accept-encoding": "gzip, deflate, br", "user-agent": "apicenter-mcp-local-api-center" },
      },
      (res) => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}), body: res }),
    );
    req.on("error", reject);
    req.end();
  });
}

/** Tries each checked address in turn, as a browser does for a dual-stack host. */
async function connect(url: URL, addresses: LookupAddress[], signal: AbortSignal, timeoutMs: number): Promise<Answer> {
  for (const address of addresses) {
    if (signal.aborted) break;
    try {
      return await requestOnce(url, address, signal);
    } catch {
      // The next address may answer; every failure reads the same in the end.
    }
  }
  throw unreachable(url, timeoutMs);
}

async function readBody(res: IncomingMessage, url: URL, maxBytes: number): Promise<string> {
  const encoding = String(res.headers["content-encoding"] ?? "identity").toLowerCase();
  const decoder = encoding === "gzip" ? createGunzip() : encoding === "deflate" ? createInflate() : encoding === "br" ? createBrotliDecompress() : undefined;
  const stream = decoder ? res.pipe(decoder) : res;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      // Counted after decoding: a small compressed body may unfold into gigabytes.
      if (size > maxBytes) throw new LinkProblem("SpecificationTooLarge", `'${shownLink(url)}' is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } finally {
    res.destroy();
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The document at `link` (a spec link, an API import link), fetched under the rules above. */
export async function fetchDocument(link: string, options: FetchOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const allowHosts = new Set((options.allowHosts ?? []).map(canonicalHost));
  const signal = AbortSignal.timeout(timeoutMs);
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new LinkProblem("ValidationError", `'${clip(link)}' is not a URL: with format 'link' pass the specification's http(s) URL`);
  }
  for (let hop = 0; ; hop++) {
    const addresses = await checkedAddresses(url, allowHosts, timeoutMs);
    const answer = await connect(url, addresses, signal, timeoutMs);
    if ([301, 302, 303, 307, 308].includes(answer.status) && answer.location) {
      answer.body.destroy();
      if (hop >= maxRedirects) throw new LinkProblem("SpecificationLinkFailed", `'${shownLink(link)}' redirects more than ${maxRedirects} times`);
      try {
        url = new URL(answer.location, url);
      } catch {
        throw new LinkProblem("SpecificationLinkFailed", `'${shownLink(url)}' redirects to something that is not a URL`);
      }
      continue;
    }
    if (answer.status < 200 || answer.status > 299) {
      answer.body.destroy();
      throw new LinkProblem("SpecificationLinkFailed", `fetching '${shownLink(url)}' answered HTTP ${answer.status}: check the URL is public and points at the document`);
    }
    try {
      return await readBody(answer.body, url, options.maxBytes);
    } catch (e) {
      if (e instanceof LinkProblem) throw e;
      throw unreachable(url, timeoutMs);
    }
  }
}

/** An allowed-host entry as URL parsing spells it: lower case, IPv4 in dotted decimal, IPv6 bare. */
export function canonicalHost(entry: string): string {
  const trimmed = entry.trim().toLowerCase();
  try {
    const host = new URL(`http://${isIP(trimmed) === 6 ? `[${trimmed}]` : trimmed}/`).hostname;
    return host.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  } catch {
    return trimmed;
  }
}
