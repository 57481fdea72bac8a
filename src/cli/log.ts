/** Logs go to stderr: stdout belongs to the stdio transport. */
export type LogLevel = "error" | "warn" | "info" | "debug";
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
}

export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stderr): Logger {
  const at = (l: LogLevel) => (msg: string) => {
    if (ORDER[l] <= ORDER[level]) stream.write(`apicenter-mcp ${l}: ${msg}\n`);
  };
  return { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
}
