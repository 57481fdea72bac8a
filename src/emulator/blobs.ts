/**
 * Short-lived blobs behind SAS-style links, as API Management's export answers them: the link is the
 * credential (no bearer token), and it stops working when its `se` expiry passes. Served from the
 * same origin as the ARM API, by a pipeline step ahead of authentication.
 */
import { randomBytes } from "node:crypto";
import type { Step } from "./pipeline.js";
import type { EmulatorResponse } from "./wire.js";

const PREFIX = "/_blobs/";

interface Blob {
  content: string;
  contentType: string;
  expiresAt: number;
}

export class BlobStore {
  private readonly blobs = new Map<string, Blob>();

  /** Keeps `content` for `ttlMs` and returns its link under `origin`. */
  put(origin: string, fileName: string, content: string, contentType: string, ttlMs: number): string {
    const now = Date.now();
    for (const [k, b] of this.blobs) if (b.expiresAt <= now) this.blobs.delete(k);
    const token = randomBytes(18).toString("base64url");
    const expiresAt = now + ttlMs;
    this.blobs.set(token, { content, contentType, expiresAt });
    const se = new Date(expiresAt).toISOString().replace(/\.\d+Z$/, "Z");
    return `${origin}${PREFIX}${token}/${encodeURIComponent(fileName)}?sv=2021-08-06&sr=b&sp=r&se=${encodeURIComponent(se)}&sig=${randomBytes(24).toString("base64url")}`;
  }

  read(url: URL): EmulatorResponse | null {
    if (!url.pathname.startsWith(PREFIX)) return null;
    const token = url.pathname.slice(PREFIX.length).split("/")[0] ?? "";
    const blob = this.blobs.get(token);
    if (!blob) return { status: 404, headers: { "content-type": "text/plain" }, body: "BlobNotFound: the specified blob does not exist" };
    if (blob.expiresAt <= Date.now()) {
      this.blobs.delete(token);
      return { status: 403, headers: { "content-type": "text/plain" }, body: "AuthenticationFailed: the link has expired (signed expiry time has passed); ask for a new export" };
    }
    return { status: 200, headers: { "content-type": blob.contentType }, body: blob.content };
  }
}

/** Answers GETs of blob links before the ARM pipeline asks for a bearer token. */
export function serveBlobs(blobs: BlobStore): Step {
  return async (ex, next) => {
    if (ex.method === "GET" || ex.method === "HEAD") {
      const answer = blobs.read(ex.url);
      if (answer) return answer;
    }
    return next();
  };
}
