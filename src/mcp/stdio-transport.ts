/**
 * The stdio wire: newline-delimited JSON-RPC on stdin/stdout, answering bad frames as JSON-RPC 2.0
 * says instead of dropping them. The SDK's StdioServerTransport skips a line that is not JSON without
 * a word, reports one that is not JSON-RPC as an error with its stack and no answer (a client waiting
 * on that id hangs), and closes the connection when a line outgrows its buffer (the server then exits
 * 0). This transport answers -32700 (not JSON), -32600 (not a JSON-RPC message, with the id when one
 * can be read), discards an oversized line up to its newline and answers it, logs one line per bad
 * frame, and keeps serving. serveStdio takes it in place of the SDK's.
 */
import type { Readable, Writable } from "node:stream";
import { parseJSONRPCMessage, type JSONRPCMessage, type Transport } from "@modelcontextprotocol/server";

export interface LineTransportOptions {
  /** The longest line taken, in bytes; a longer one is discarded and answered. */
  maxLineBytes: number;
  /** One line per bad frame. */
  warn(message: string): void;
}

type Id = string | number | null;

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
/** How much of an oversized line is kept to find its id: its first and last bytes. */
const SNIFF_BYTES = 4096;
const ID = String.raw`(-?\d+|"(?:[^"\\]|\\.){0,200}")`;
const LEADING_ID = new RegExp(String.raw`^\s*\{(?:\s*"jsonrpc"\s*:\s*"2\.0"\s*,)?\s*"id"\s*:\s*${ID}`);
// The last member of the top-level object: a nested one would be followed by more closing braces.
const TRAILING_ID = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${ID}\s*\}\s*$`);

/** The id of a request, when it is one a response can carry. */
function idOf(value: unknown): Id {
  const id = value && typeof value === "object" && !Array.isArray(value) ? (value as { id?: unknown }).id : undefined;
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id)) ? id : null;
}

function sniffedId(head: string, tail: string): Id {
  const m = LEADING_ID.exec(head) ?? TRAILING_ID.exec(tail);
  if (!m) return null;
  try {
    return JSON.parse(m[1]!) as string | number;
  } catch {
    return null;
  }
}

/** The first or last SNIFF_BYTES of a line held in pieces. */
function edge(pieces: Buffer[], which: "first" | "last"): string {
  const kept: Buffer[] = [];
  let size = 0;
  for (const p of which === "first" ? pieces : [...pieces].reverse()) {
    const take = Math.min(p.length, SNIFF_BYTES - size);
    kept.push(which === "first" ? p.subarray(0, take) : p.subarray(p.length - take));
    size += take;
    if (size >= SNIFF_BYTES) break;
  }
  return Buffer.concat(which === "first" ? kept : kept.reverse()).toString("utf8");
}

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private size = 0;
  /** While an oversized line is being skipped: its size so far and the bytes kept to find its id. */
  private skipping: { bytes: number; head: string; tail: Buffer } | null = null;
  private started = false;
  private closed = false;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly options: LineTransportOptions,
  ) {}

  async start(): Promise<void> {
    if (this.started) throw new Error("the stdio transport is already started");
    this.started = true;
    this.input.on("data", this.onData);
    this.input.on("error", this.onInputError);
    this.input.on("end", this.onEnd);
    this.input.on("close", this.onEnd);
    this.output.on("error", this.onOutputError);
    if (this.input.readableEnded || this.input.destroyed) setImmediate(this.onEnd);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the stdio transport is closed"));
    return new Promise((resolve, reject) => this.output.write(`${JSON.stringify(message)}\n`, (e) => (e ? reject(e) : resolve())));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off("data", this.onData);
    this.input.off("error", this.onInputError);
    this.input.off("end", this.onEnd);
    this.input.off("close", this.onEnd);
    if (this.input.listenerCount("data") === 0) this.input.pause();
    this.chunks = [];
    this.skipping = null;
    this.onclose?.();
  }

  private readonly onEnd = () => void this.close();
  private readonly onInputError = (e: Error) => this.onerror?.(e);
  private readonly onOutputError = (e: Error) => {
    if (this.closed) return;
    this.onerror?.(e);
    void this.close();
  };

  private readonly onData = (chunk: Buffer) => {
    let rest = chunk;
    while (rest.length > 0 && !this.closed) {
      const nl = rest.indexOf(0x0a);
      const piece = nl === -1 ? rest : rest.subarray(0, nl);
      if (this.skipping) this.skip(piece);
      else if (this.size + piece.length > this.options.maxLineBytes) {
        const line = [...this.chunks, piece];
        this.skipping = { bytes: this.size, head: edge(line, "first"), tail: Buffer.from(edge(line, "last"), "utf8") };
        this.chunks = [];
        this.size = 0;
        this.skipping.bytes += piece.length;
      } else {
        this.chunks.push(piece);
        this.size += piece.length;
      }
      if (nl === -1) break;
      this.endLine();
      rest = rest.subarray(nl + 1);
    }
  };

  private skip(piece: Buffer): void {
    const s = this.skipping!;
    s.bytes += piece.length;
    s.tail = Buffer.concat([s.tail, piece.subarray(Math.max(0, piece.length - SNIFF_BYTES))]);
    if (s.tail.length > SNIFF_BYTES) s.tail = s.tail.subarray(s.tail.length - SNIFF_BYTES);
  }

  private endLine(): void {
    if (this.skipping) {
      const { bytes, head, tail } = this.skipping;
      this.skipping = null;
      const id = sniffedId(head, tail.toString("utf8"));
      this.refuse(INVALID_REQUEST, `the message is ${bytes} bytes, more than the ${this.options.maxLineBytes} this server takes: send smaller messages (a large spec is better imported from a URL)`, id, `discarded a ${bytes}-byte line (limit ${this.options.maxLineBytes})`);
      return;
    }
    const line = Buffer.concat(this.chunks, this.size).toString("utf8");
    this.chunks = [];
    this.size = 0;
    this.frame(line);
  }

  private frame(line: string): void {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // Not the parser's message: it quotes the line, which may hold a secret.
      this.refuse(PARSE_ERROR, "Parse error: the line is not JSON; send one JSON-RPC message per line", null, `a ${line.length}-character line is not JSON`);
      return;
    }
    if (Array.isArray(value)) {
      this.batch(value);
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(value);
    } catch {
      this.refuse(INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message (it needs jsonrpc \"2.0\", and a method with an id and params object, or a result or error)", idOf(value), "a line is JSON but not a JSON-RPC 2.0 message");
      return;
    }
    this.onmessage?.(message);
  }

  /** MCP sends one message per line, not JSON-RPC batches: each request in one is answered by its id, so none hangs. */
  private batch(items: unknown[]): void {
    const ids = items.map(idOf).filter((id) => id !== null);
    const message = "Invalid Request: JSON-RPC batches are not supported by MCP; send one message per line";
    if (ids.length === 0) this.refuse(INVALID_REQUEST, message, null, `a batch of ${items.length} message(s)`);
    for (const id of ids) this.refuse(INVALID_REQUEST, message, id, `a batch of ${items.length} message(s)`);
  }

  private refuse(code: number, message: string, id: Id, logged: string): void {
    this.options.warn(`stdio: ${logged}; answered ${code}${id === null ? "" : ` to id ${JSON.stringify(id).slice(0, 100)}`}`);
    if (this.closed) return;
    // A response with id null is outside the SDK's message types, yet JSON-RPC 2.0 requires it here.
    this.send({ jsonrpc: "2.0", id, error: { code, message } } as unknown as JSONRPCMessage).catch((e: Error) => this.onerror?.(e));
  }
}
