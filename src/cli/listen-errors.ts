/** What to do when a port cannot be had, in place of Node's bare `listen EADDRINUSE`. */
import { ConfigError } from "../config/config.js";

export function listenHint(e: Error & { code?: string }, host: string, port: number): Error {
  const where = `${host}:${port}`;
  switch (e.code) {
    case "EADDRINUSE":
      return new ConfigError(`port ${port} on ${host} is already in use (another apicenter-mcp?): pass --port with a free port, or --port 0 to pick one`);
    case "EACCES":
      return new ConfigError(`not allowed to listen on ${where}: ports below 1024 need privileges; pass --port 1024 or above`);
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return new ConfigError(`cannot listen on ${where}: ${host} is not an address of this machine; pass --host 127.0.0.1 (or another local address)`);
    default:
      return e;
  }
}
