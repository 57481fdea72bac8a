/**
 * The two transports, each serving both protocol eras from one factory: stdio (serveStdio over
 * LineTransport, which answers bad frames instead of dropping them) and
 * Streamable HTTP at /mcp (createMcpHandler: the 2026-07-28 path plus stateless 2025 serving),
 * with Host and Origin checks, a bearer token when configured, and a body size limit.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { timingSafeEqual } from "node:crypto";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler, type McpServer } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { clip, DomainError } from "../domain/errors.js";
import type { ServerFactory } from "./server.js";
import { allowedHostnames, bindsLoopbackOnly, canonicalOrigin, hostAllowed, originAllowed } from "./http-guard.js";
import { LineTransport } from "./stdio-transport.js";

export interface Running {
  /** What to print at start-up. */
  where: string;
  /** Sends resource list-changed notifications to every connected client. */
  inventoryChanged(): void;
  close(): Promise<void>;
}

/** The largest message either transport takes: an inline spec can be tens of megabytes (GitHub's is 13). */
export const MAX_MESSAGE_BYTES = 96 * 1024 * 1024;

/**
 * Serves stdio. `warn` gets one line per frame that was refused (not JSON, not JSON-RPC, too large)
 * and per protocol complaint of the SDK's stdio entry: a client's mistakes, not the server's, so no stack.
 */
export function runStdio(factory: ServerFactory, warn: (message: string) => void): Running {
  const live = new Set<McpServer>();
  const handle = serveStdio(
    (ctx) => {
      const server = factory(ctx);
      live.add(server);
      const previous = server.server.onclose;
      server.server.onclose = () => {
        live.delete(server);
        previous?.();
      };
      return server;
    },
    { onerror: (e) => warn(`stdio: ${clip(e.message, 300)}`), transport: new LineTransport(process.stdin, process.stdout, { maxLineBytes: MAX_MESSAGE_BYTES, warn }) },
  );
  return {
    where: "stdio",
    inventoryChanged() {
      for (const s of live) {
        try {
          s.sendResourceListChanged();
        } catch {
          // A connection that is closing has nobody left to tell.
        }
      }
    },
    close: () => handle.close(),
  };
}

export interface HttpOptions {
  host: string;
  port: number;
  authToken?: string;
  /** Browser origins allowed besides loopback pages: scheme://host[:port], matched whole. */
  allowedOrigins: string[];
  /** Host names a request may use besides loopback and the bound address (a reverse proxy's, a DNS name). */
  allowedHosts: string[];
  /** Largest request body, in bytes; MAX_MESSAGE_BYTES by default. */
  maxBodyBytes?: number;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

/**
 * Serves Streamable HTTP. The SDK's complaints about requests (a body that is not JSON-RPC, a wrong
 * header) are a client's mistakes: one `warn` line each. A handler that fails outright is a bug: `onError`.
 */
export async function runHttp(factory: ServerFactory, opts: HttpOptions, onError: (e: Error) => void, warn: (message: string) => void): Promise<Running> {
  if (!opts.authToken && !(await bindsLoopbackOnly(opts.host))) {
    throw new DomainError(
      "configuration",
      `refusing to serve HTTP on ${opts.host} without authentication: set --auth-token (or APICENTER_MCP_AUTH_TOKEN), or bind to 127.0.0.1`,
    );
  }
  const origins = new Set(opts.allowedOrigins.map(canonicalOrigin));
  const hosts = allowedHostnames(opts.host, opts.allowedHosts);
  const maxRequestBodySize = opts.maxBodyBytes ?? MAX_MESSAGE_BYTES;
  const complaint = (e: Error) => warn(`http: ${clip(e.message, 300)}`);
  const handler = createMcpHandler(factory, { legacy: "stateless", maxRequestBodySize, onerror: complaint });
  const serve = toNodeHandler(handler, { onerror: complaint, maxRequestBodySize });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path !== "/mcp") return refuse(res, 404, "not found: the MCP endpoint is /mcp");
    if (!hostAllowed(req.headers.host, hosts)) {
      return refuse(res, 403, `Host '${clip(req.headers.host ?? "")}' is not a name of this server: start it with --allowed-host for the names clients use`);
    }
    if (!originAllowed(req.headers.origin, origins)) {
      return refuse(res, 403, `Origin '${clip(req.headers.origin ?? "")}' is not allowed: start the server with --allowed-origin scheme://host[:port] for it`);
    }
    if (opts.authToken) {
      const auth = req.headers.authorization ?? "";
      const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1] ?? "";
      if (!sameToken(token, opts.authToken)) {
        return refuse(res, 401, "missing or wrong bearer token: send Authorization: Bearer <the server's --auth-token>", { "www-authenticate": 'Bearer realm="apicenter-mcp"' });
      }
    }
    serve(req, res).catch((e: Error) => {
      onError(e);
      if (!res.headersSent) refuse(res, 500, "internal error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    where: `http://${shown}:${addr.port}/mcp`,
    inventoryChanged: () => handler.notify.resourcesChanged(),
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
