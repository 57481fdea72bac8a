/**
 * A fault-injecting HTTP proxy for ARM traffic, to put between the ARM client and a local API Center
 * (in tests and benchmarks). Each request either passes or meets one fault, chosen by a script
 * (tests: "cut the answer to this PUT") or at random from a mix of probabilities with a seeded
 * generator (benchmarks: the same seed gives the same faults). Faults:
 *
 * - throttle: 429 with Retry-After, not forwarded;
 * - unavailable: 503 with Retry-After, not forwarded;
 * - error500: forwarded (the work is done), its answer replaced by a 500;
 * - resetBefore: forwarded, then the connection is dropped before any byte of the answer;
 * - cutMidBody: forwarded, then the answer's headers and half its body are sent and the connection dropped;
 * - slow: forwarded after a delay.
 *
 * Bounded: delays are capped (slowMs), and `maxFaults` caps the faults injected in all.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const FAULTS = ["throttle", "unavailable", "error500", "resetBefore", "cutMidBody", "slow"] as const;
export type Fault = (typeof FAULTS)[number];

/** The probability of each fault per request (their sum at most 1). */
export type FaultMix = Partial<Record<Fault, number>>;

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  fault?: Fault;
  /** The status the proxy answered with (the upstream's, or its own for a fault); absent when it cut the connection. */
  status?: number;
}

/** Chooses a request's fault; `n` counts the requests seen with the same method and path, from 1. */
export type FaultScript = (req: { method: string; path: string; n: number; headers: SeenRequest["headers"] }) => Fault | undefined | Promise<Fault | undefined>;

export interface FaultProxyOptions {
  /** The upstream origin, e.g. the URL `apicenter-mcp emulator` announces. */
  target: string;
  mix?: FaultMix;
  script?: FaultScript;
  seed?: number;
  /** The Retry-After sent with 429 and 503, in seconds. */
  retryAfterSeconds?: number;
  /** The delay of a slow answer: uniformly between the two, in milliseconds. */
  slowMs?: [number, number];
  maxFaults?: number;
}

export interface FaultProxy {
  url: string;
  /** Requests seen and faults injected, by kind. */
  counts: Record<Fault | "requests", number>;
  seen: SeenRequest[];
  setMix(mix: FaultMix): void;
  setScript(script: FaultScript | undefined): void;
  close(): Promise<void>;
}

/** mulberry32: small, fast and seedable; plenty for choosing faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host };
    const out = httpRequest({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (res) => {
      readAll(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
    });
    out.on("error", reject);
    out.end(body);
  });
}

const armError = (code: string, message: string) => JSON.stringify({ error: { code, message } });

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = seededRandom(options.seed ?? 1);
  let mix: FaultMix = options.mix ?? {};
  let script = options.script;
  const counts = Object.fromEntries([...FAULTS, "requests"].map((k) => [k, 0])) as FaultProxy["counts"];
  const perKey = new Map<string, number>();
  const seen: SeenRequest[] = [];
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const [slowMin, slowMax] = options.slowMs ?? [50, 500];
  let injected = 0;

  const choose = async (method: string, path: string, headers: SeenRequest["headers"]): Promise<Fault | undefined> => {
    const key = `${method} ${path}`;
    const n = (perKey.get(key) ?? 0) + 1;
    perKey.set(key, n);
    if (options.maxFaults !== undefined && injected >= options.maxFaults) return undefined;
    if (script) return script({ method, path, n, headers });
    let r = random();
    for (const f of FAULTS) {
      const p = mix[f] ?? 0;
      if (r < p) return f;
      r -= p;
    }
    return undefined;
  };

  const server: Server = createServer(async (req, res) => {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0]!;
    const seenReq: SeenRequest = { method, path, headers: req.headers };
    seen.push(seenReq);
    counts.requests += 1;
    try {
      const body = await readAll(req);
      const fault = await choose(method, path, req.headers);
      if (fault) {
        injected += 1;
        counts[fault] += 1;
        seenReq.fault = fault;
      }
      if (fault === "throttle" || fault === "unavailable") {
        const status = fault === "throttle" ? 429 : 503;
        res.writeHead(status, { "content-type": "application/json", "retry-after": retryAfter });
        seenReq.status = status;
        res.end(armError(fault === "throttle" ? "TooManyRequests" : "ServiceUnavailable", "injected by the fault proxy"));
        return;
      }
      if (fault === "slow") await new Promise((r) => setTimeout(r, slowMin + random() * (slowMax - slowMin)));
      const up = await forward(target, req, body);
      if (fault === "error500") {
        res.writeHead(500, { "content-type": "application/json" });
        seenReq.status = 500;
        res.end(armError("InternalServerError", "injected by the fault proxy after the request was applied"));
        return;
      }
      if (fault === "resetBefore" || (fault === "cutMidBody" && up.body.length < 2)) {
        req.socket.destroy();
        return;
      }
      const headers = { ...up.headers };
      delete headers["transfer-encoding"];
      headers["content-length"] = String(up.body.length);
      res.writeHead(up.status, headers);
      if (fault === "cutMidBody") {
        res.write(up.body.subarray(0, Math.floor(up.body.length / 2)), () => setImmediate(() => req.socket.destroy()));
        return;
      }
      seenReq.status = up.status;
      res.end(method === "HEAD" ? undefined : up.body);
    } catch (e) {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(armError("BadGateway", `the fault proxy could not reach ${target.origin}: ${(e as Error).message}`));
      } else {
        req.socket.destroy();
      }
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    seen,
    setMix: (m) => {
      mix = m;
    },
    setScript: (s) => {
      script = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
