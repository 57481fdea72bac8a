/** The local API Center served over HTTP, for `apicenter-mcp emulator` and the wire tests. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalApiCenter } from "./local-api-center.js";
import { fail, type EmulatorResponse } from "./wire.js";

export interface EmulatorServerOptions {
  host?: string;
  port?: number;
  /** Delay added to every answer, to stand in for the network in benchmarks. */
  latencyMs?: number;
  /** The largest request body accepted, in bytes. */
  maxBodyBytes?: number;
}

export interface RunningEmulator {
  server: Server;
  /** `http://host:port` */
  url: string;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function serveEmulator(api: LocalApiCenter, options: EmulatorServerOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const maxBody = options.maxBodyBytes ?? 96 * 1024 * 1024;
  const latency = options.latencyMs ?? 0;
  const server = createServer(async (req, res) => {
    const send = (answer: EmulatorResponse) => {
      res.writeHead(answer.status, answer.headers);
      res.end(req.method === "HEAD" ? undefined : answer.body);
    };
    let body: string;
    try {
      body = await readBody(req, maxBody);
    } catch (e) {
      send(
        e instanceof BodyTooLarge
          ? fail(413, "RequestEntityTooLarge", `the request body is larger than ${maxBody} bytes`)
          : fail(400, "BadRequest", "the request body could not be read"),
      );
      return;
    }
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    const hostHeader = req.headers.host ?? `${host}:${(server.address() as AddressInfo).port}`;
    send(
      await api.handle({
        method: req.method ?? "GET",
        url: `http://${hostHeader}${req.url ?? "/"}`,
        headers,
        ...(body ? { body } : {}),
      }),
    );
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${shownHost}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
