/**
 * The two transports, each serving both protocol eras from one factory: stdio (serveStdio over
 * LineTransport, which answers bad frames instead of dropping them) and
 * Streamable HTTP at /mcp (createMcpHandler: the 2026-07-28 path plus stateless 2025 serving),
 * with Host and Origin checks, a bearer token when configured, and a body size limit.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { timingSafeEqual } from "node:crypto";
import { hostHeaderValidation, originValidation, toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler, type McpServer } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { clip, DomainError } from "../domain/errors.js";
import type { ServerFactory } from "./server.js";
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
  allowedOrigins: string[];
  /** Largest request body, in bytes; MAX_MESSAGE_BYTES by default. */
  maxBodyBytes?: number;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
export const isLoopback = (host: string) => LOOPBACK.has(host) || /^127\./.test(host);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

export async function runHttp(factory: ServerFactory, opts: HttpOptions, onError: (e: Error) => void): Promise<Running> {
  if (!isLoopback(opts.host) && !opts.authToken) {
    throw new DomainError(
      "configuration",
      `refusing to serve HTTP on ${opts.host} without authentication: set --auth-token (or APICENTER_MCP_AUTH_TOKEN), or bind to 127.0.0.1`,
    );
  }
  const maxRequestBodySize = opts.maxBodyBytes ?? MAX_MESSAGE_BYTES;
  const handler = createMcpHandler(factory, { legacy: "stateless", maxRequestBodySize, onerror: onError });
  const serve = toNodeHandler(handler, { onerror: onError, maxRequestBodySize });
  const hosts = ["localhost", "127.0.0.1", "[::1]", ...(isLoopback(opts.host) || opts.host === "0.0.0.0" || opts.host === "::" ? [] : [opts.host])];
  const checkHost = hostHeaderValidation(hosts);
  const checkOrigin = originValidation(["localhost", "127.0.0.1", "[::1]", ...opts.allowedOrigins.map((o) => (/^https?:\/\//.test(o) ? new URL(o).hostname : o))]);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path !== "/mcp") return refuse(res, 404, "not found: the MCP endpoint is /mcp");
    if (!checkHost(req, res) || !checkOrigin(req, res)) return;
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
