/**
 * An `HttpClient` that hands requests to an in-process ARM handler (the local API Center) instead of
 * the network. Every pipeline policy still runs, so the embedded backend exercises the same client
 * code as Azure.
 */
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";

export interface InProcessRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body?: string;
}

export interface InProcessResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export type InProcessHandler = (req: InProcessRequest) => Promise<InProcessResponse>;

async function bodyText(body: PipelineRequest["body"]): Promise<string | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  if (typeof Blob !== "undefined" && body instanceof Blob) return body.text();
  throw new Error("the in-process transport sends only string, byte or blob bodies");
}

export function inProcessHttpClient(handle: InProcessHandler): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const body = await bodyText(request.body);
      const res = await handle({
        method: request.method,
        url: request.url,
        headers: request.headers.toJSON(),
        ...(body !== undefined ? { body } : {}),
      });
      return {
        request,
        status: res.status,
        headers: createHttpHeaders(res.headers),
        ...(res.body !== undefined ? { bodyAsText: res.body } : {}),
      };
    },
  };
}
