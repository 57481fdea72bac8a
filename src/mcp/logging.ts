/**
 * MCP logging: the server's log lines (the same ones stderr gets) reach clients as notifications/message.
 * 2025-era clients choose a level with logging/setLevel (until they do, they hear what stderr hears);
 * 2026-era clients ask per request (the envelope's log level) and hear that request's lines only.
 * A line logged while a tool call runs goes to that call's client; other lines go to every 2025-era
 * connection that stays open (stdio), since a 2026-era client only hears lines of its own requests.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { LoggingLevel, McpServer, ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { Era } from "./registry.js";

/** The server's own levels (those of --log-level). */
export type LogLevel = "error" | "warn" | "info" | "debug";

/** The logger the composition root hands in: the MCP layer logs through it and hears every line it writes. */
export interface ServerLog {
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  /** The lowest level written to stderr. */
  readonly level: LogLevel;
  /** Hears every line, whatever the stderr level; returns the unsubscribe. */
  subscribe(listener: (level: LogLevel, message: string) => void): () => void;
}

const TO_MCP: Record<LogLevel, LoggingLevel> = { error: "error", warn: "warning", info: "info", debug: "debug" };
const SEVERITY = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] as const satisfies readonly LoggingLevel[];
// Its own params schema, so an unknown level is refused as invalid params (-32602), as the specification asks.
const SET_LEVEL = { params: z.looseObject({ level: z.enum(SEVERITY) }) };
const LOGGER = "apicenter-mcp";

interface Connection {
  server: McpServer;
  /** Set by logging/setLevel. */
  level?: LoggingLevel;
}

type Send = (level: LoggingLevel, message: string) => Promise<void>;

export class LogRelay {
  private readonly current = new AsyncLocalStorage<Send>();
  /** The 2025-era connections, which hear the lines logged outside any call. */
  private readonly legacy = new Set<Connection>();
  private readonly connections = new WeakMap<McpServer, Connection>();
  private readonly fallback: LoggingLevel;

  constructor(log: ServerLog) {
    this.fallback = TO_MCP[log.level];
    log.subscribe((level, message) => this.deliver(TO_MCP[level], message));
  }

  /** Declares the logging capability on a new server and, for the 2025 era, honours logging/setLevel. */
  attach(server: McpServer, era: Era): void {
    server.server.registerCapabilities({ logging: {} });
    if (era !== "legacy") return;
    const connection: Connection = { server };
    server.server.setRequestHandler("logging/setLevel", SET_LEVEL, (params) => {
      connection.level = params.level;
      return {};
    });
    this.legacy.add(connection);
    this.connections.set(server, connection);
    const previous = server.server.onclose;
    server.server.onclose = () => {
      this.legacy.delete(connection);
      previous?.();
    };
  }

  /**
   * Runs a tool call so that the lines logged meanwhile reach its client, at the level it chose; the
   * answer waits for them, so no line of a call arrives after its result.
   */
  async within<T>(server: McpServer, era: Era, ctx: ServerContext, work: () => Promise<T>): Promise<T> {
    const connection = this.connections.get(server);
    const pending: Array<Promise<void>> = [];
    const send: Send = (level, message) => {
      const sent =
        era === "modern"
          ? ctx.mcpReq.log(level, message, LOGGER)
          : this.audible(level, connection?.level)
            ? ctx.mcpReq.notify({ method: "notifications/message", params: { level, logger: LOGGER, data: message } })
            : Promise.resolve();
      const settled = sent.catch(() => {});
      pending.push(settled);
      return settled;
    };
    const result = await this.current.run(send, work);
    await Promise.all(pending);
    return result;
  }

  private audible(level: LoggingLevel, chosen: LoggingLevel | undefined): boolean {
    return SEVERITY.indexOf(level) >= SEVERITY.indexOf(chosen ?? this.fallback);
  }

  private deliver(level: LoggingLevel, message: string): void {
    const send = this.current.getStore();
    if (send) {
      void send(level, message);
      return;
    }
    for (const c of this.legacy) {
      if (!this.audible(level, c.level)) continue;
      c.server.server.notification({ method: "notifications/message", params: { level, logger: LOGGER, data: message } }).catch(() => {});
    }
  }
}
