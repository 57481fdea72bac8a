/** Logs go to stderr: stdout belongs to the stdio transport. Listeners (MCP logging) hear every line. */
export type LogLevel = "error" | "warn" | "info" | "debug";
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  /** The lowest level written to stderr. */
  readonly level: LogLevel;
  /** Hears every line, whatever the stderr level (an MCP client chooses its own); returns the unsubscribe. */
  subscribe(listener: (level: LogLevel, msg: string) => void): () => void;
}

export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stderr): Logger {
  const listeners = new Set<(level: LogLevel, msg: string) => void>();
  const at = (l: LogLevel) => (msg: string) => {
    if (ORDER[l] <= ORDER[level]) stream.write(`apicenter-mcp ${l}: ${msg}\n`);
    for (const listener of listeners) listener(l, msg);
  };
  return {
    error: at("error"),
    warn: at("warn"),
    info: at("info"),
    debug: at("debug"),
    level,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
