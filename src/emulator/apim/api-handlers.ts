/**
 * APIs, their operations and schemas over ARM's verbs, the export (`?export=true&format=...`, a link
 * to a blob valid five minutes), and the long-running import from a link (202 + a location carrying
 * `asyncId`, which answers 202 until the API is there).
 */
import { randomBytes } from "node:crypto";
import { APIM_API_VERSION, APIM_EXPORT_FORMATS, APIM_EXPORT_RESULT_FORMAT, SchemaContractProperties } from "../../arm/apim/models.js";
import { apimApiIdProblem, apimChildIdProblem, baseApiId, parseApimId, type ApimRef } from "../../arm/apim/resource-id.js";
import { clip } from "../../arm/text.js";
import type { BlobStore } from "../blobs.js";
import { fetchDocument, LinkProblem } from "../fetch-document.js";
import type { StoredResource } from "../store.js";
import { empty, fail, parseBody, type EmulatorRequest, type EmulatorResponse } from "../wire.js";
import { apiPayload, importedSchemaId, inlineFormatOf, isLinkFormat, operationPayload, renderApi, renderOperation, renderSchema, type ParsedApiPut } from "./apis.js";
import { exportText, openApiOf } from "./export.js";
import { matchesFilter } from "./filter.js";
import { apimEtag, type ApimKind, type ApimResources } from "./resources.js";
import { gatewayUrlOf } from "./service.js";
import { ServiceHandlers, skipPage } from "./service-handlers.js";
import { apimJson, apimNotFound, apimPreconditionFailed, withEtag } from "./wire.js";

const EXPORT_TTL_MS = 5 * 60_000;

/** How long a finished link import's poll URL keeps answering. */
const LINK_IMPORT_KEPT_MS = 60 * 60_000;

interface LinkImport {
  status: "running" | "done" | "failed";
  finishedAt?: number;
  created?: boolean;
  problem?: { code: string; message: string };
}

export class ApiHandlers {
  private readonly linkImports = new Map<string, LinkImport>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly resources: ApimResources,
    private readonly blobs: BlobStore,
    private readonly options: { pageSize: number; maxDocumentBytes: number; allowFetchHosts: readonly string[] },
  ) {}

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** The first link of `ref`'s chain that is missing, or null when all of it exists. */
  private missing(ref: ApimRef): ApimRef | null {
    const service = { subscriptionId: ref.subscriptionId, resourceGroupName: ref.resourceGroupName, serviceName: ref.serviceName };
    if (!this.resources.get(service)) return service;
    if (ref.apiId !== undefined && !this.resources.get({ ...service, apiId: ref.apiId })) return { ...service, apiId: ref.apiId };
    return ref.operationId !== undefined || ref.schemaId !== undefined ? (this.resources.get(ref) ? null : ref) : null;
  }

  private notFound(ref: ApimRef): EmulatorResponse {
    return apimNotFound(this.missing(ref) ?? ref);
  }

  // ---- APIs ----

  getApi(ref: ApimRef, url: URL): EmulatorResponse {
    const api = this.resources.get(ref);
    if (!api) return this.notFound(ref);
    const asyncId = url.searchParams.get("asyncId");
    if (asyncId) return this.linkImportResult(api, asyncId, url);
    if (url.searchParams.get("export")?.toLowerCase() === "true") return this.exportApi(api, url);
    return withEtag(200, renderApi(api, true), api);
  }

  headOf(ref: ApimRef): EmulatorResponse {
    const r = this.resources.get(ref);
    return r ? empty(200, { etag: `"${apimEtag(r)}"` }) : empty(404);
  }

  putApi(ref: ApimRef, req: EmulatorRequest, url: URL): EmulatorResponse {
    const problem = apimApiIdProblem(ref.apiId!);
    if (problem) return fail(400, "InvalidResourceName", problem);
    const body = parseBody(req.body);
    if (typeof body === "string") return fail(400, "InvalidRequestContent", body);
    const service = this.resources.get({ ...ref, apiId: undefined });
    if (!service) return this.notFound(ref);
    const busy = ServiceHandlers.activatingConflict(service);
    if (busy) return busy;
    const props = body.properties as Record<string, unknown> | undefined;
    if (props && isLinkFormat(props.format as string | undefined)) return this.startLinkImport(ref, req, body, url);
    return this.resources.transaction(() => this.writeApi(ref, req, body));
  }

  private writeApi(ref: ApimRef, req: EmulatorRequest, body: Record<string, unknown>): EmulatorResponse {
    const service = this.resources.get({ ...ref, apiId: undefined })!;
    const existing = this.resources.get(ref);
    const pre = apimPreconditionFailed(req.headers["if-match"], existing);
    if (pre) return pre;
    const payload = apiPayload(ref.apiId!, body, existing);
    if (!payload.ok) return fail(400, payload.problem.code, payload.problem.message);
    const clash = this.pathClash(service, ref, payload.value.properties);
    if (clash) return clash;
    const { created, resource } = this.resources.put(ref, { properties: payload.value.properties });
    if (payload.value.imported) this.replaceContents(ref, resource, payload.value.imported);
    return withEtag(created ? 201 : 200, renderApi(resource, false), this.resources.get(ref)!);
  }

  /** Two current APIs of a service may not share a path unless they are versions in one version set. */
  private pathClash(service: StoredResource, ref: ApimRef, props: Record<string, unknown>): EmulatorResponse | null {
    const mine = baseApiId(ref.apiId!).toLowerCase();
    for (const other of this.resources.children(service, "apimApi")) {
      const p = other.doc.properties;
      if (baseApiId(other.name).toLowerCase() === mine || String(p.path).toLowerCase() !== String(props.path).toLowerCase()) continue;
      if (props.apiVersionSetId && p.apiVersionSetId === props.apiVersionSetId && p.apiVersion !== props.apiVersion) continue;
      return fail(400, "ValidationError", `Cannot create API '${ref.apiId}' with the same Path '${String(props.path)}' as API '${other.name}' unless it's a part of the same version set: choose another path`);
    }
    return null;
  }

  /** An imported document replaces the API's operations and its imported schema, as a re-import does on Azure. */
  private replaceContents(ref: ApimRef, api: StoredResource, imported: NonNullable<ParsedApiPut["imported"]>): void {
    for (const op of this.resources.children(api, "apimOperation")) this.resources.store.delete(op.key);
    const schemaId = importedSchemaId(api.key);
    for (const op of imported.operations) {
      const reps = (rs: unknown) => ((rs as Array<Record<string, unknown>> | undefined) ?? []).map((r) => (r.typeName ? { ...r, schemaId } : r));
      const props = op.properties as Record<string, unknown> & { request: Record<string, unknown>; responses: Array<Record<string, unknown>> };
      this.resources.put(
        { ...ref, operationId: op.name },
        {
          properties: {
            ...props,
            request: { ...props.request, representations: reps(props.request.representations) },
            responses: props.responses.map((r) => ({ ...r, representations: reps(r.representations) })),
          },
        },
      );
    }
    if (imported.schema) this.resources.put({ ...ref, schemaId }, { properties: imported.schema });
  }

  patchApi(ref: ApimRef, req: EmulatorRequest): EmulatorResponse {
    const body = parseBody(req.body);
    if (typeof body === "string") return fail(400, "InvalidRequestContent", body);
    if (!req.headers["if-match"]) return fail(400, "ValidationError", "If-Match is required to update an API: send its ETag, or * to update unconditionally");
    return this.resources.transaction(() => {
      const existing = this.resources.get(ref);
      if (!existing) return this.notFound(ref);
      const merged = { properties: { ...existing.doc.properties, ...((body.properties ?? {}) as object) } };
      return this.writeApi(ref, req, merged);
    });
  }

  deleteChild(ref: ApimRef, req: EmulatorRequest): EmulatorResponse {
    if (!req.headers["if-match"]) return fail(400, "ValidationError", "If-Match is required to delete: send the ETag, or * to delete unconditionally");
    return this.resources.transaction(() => {
      const existing = this.resources.get(ref);
      if (!existing) return empty(204);
      const pre = apimPreconditionFailed(req.headers["if-match"], existing);
      if (pre) return pre;
      this.resources.remove(ref);
      return empty(200);
    });
  }

  listApis(url: URL, serviceRef: ApimRef): EmulatorResponse {
    const service = this.resources.get(serviceRef);
    if (!service) return this.notFound(serviceRef);
    const filter = url.searchParams.get("$filter");
    let rows = this.resources.children(service, "apimApi").filter((a) => a.doc.properties.isCurrent !== false);
    if (filter) {
      const kept = matchesFilter(filter);
      if (typeof kept === "string") return fail(400, "ValidationError", kept);
      rows = rows.filter((r) => kept({ name: r.name, ...r.doc.properties }));
    }
    return skipPage(url, rows, (r) => renderApi(r, true), this.options.pageSize);
  }

  // ---- operations and schemas ----

  getChild(ref: ApimRef): EmulatorResponse {
    const r = this.resources.get(ref);
    if (!r) return this.notFound(ref);
    return withEtag(200, ref.operationId !== undefined ? renderOperation(r) : renderSchema(r), r);
  }

  putChild(ref: ApimRef, req: EmulatorRequest): EmulatorResponse {
    const isOperation = ref.operationId !== undefined;
    const problem = apimChildIdProblem(isOperation ? "operation" : "schema", (ref.operationId ?? ref.schemaId)!);
    if (problem) return fail(400, "InvalidResourceName", problem);
    const body = parseBody(req.body);
    if (typeof body === "string") return fail(400, "InvalidRequestContent", body);
    return this.resources.transaction(() => {
      const api = this.resources.get({ ...ref, operationId: undefined, schemaId: undefined });
      if (!api) return this.notFound(ref);
      const existing = this.resources.get(ref);
      const pre = apimPreconditionFailed(req.headers["if-match"], existing);
      if (pre) return pre;
      let properties: Record<string, unknown>;
      if (isOperation) {
        const payload = operationPayload(body);
        if (!payload.ok) return fail(400, payload.problem.code, payload.problem.message);
        properties = payload.value;
      } else {
        const parsed = SchemaContractProperties.safeParse(body.properties);
        if (!parsed.success) return fail(400, "ValidationError", parsed.error.issues.map((i) => `properties.${i.path.join(".")}: ${i.message}`).join("; "));
        properties = parsed.data as Record<string, unknown>;
      }
      const { created, resource } = this.resources.put(ref, { properties });
      return withEtag(created ? 201 : 200, isOperation ? renderOperation(resource) : renderSchema(resource), resource);
    });
  }

  listChildren(url: URL, apiRef: ApimRef, kind: ApimKind): EmulatorResponse {
    const api = this.resources.get(apiRef);
    if (!api) return this.notFound(apiRef);
    return skipPage(url, this.resources.children(api, kind), kind === "apimOperation" ? renderOperation : renderSchema, this.options.pageSize);
  }

  // ---- export ----

  private exportApi(api: StoredResource, url: URL): EmulatorResponse {
    const format = url.searchParams.get("format")?.toLowerCase();
    if (!format || !(APIM_EXPORT_FORMATS as readonly string[]).includes(format)) {
      return fail(400, "ValidationError", `format is required with export=true: one of ${APIM_EXPORT_FORMATS.join(", ")}`);
    }
    if (format !== "openapi-link" && format !== "openapi+json-link") {
      return fail(400, "ValidationError", `the local API Management exports 'openapi-link' and 'openapi+json-link', not '${format}'`);
    }
    const ref = parseApimId(api.id)!;
    const service = this.resources.get({ subscriptionId: ref.subscriptionId, resourceGroupName: ref.resourceGroupName, serviceName: ref.serviceName })!;
    const doc = openApiOf(api, this.resources.children(api, "apimOperation"), this.resources.children(api, "apimSchema"), gatewayUrlOf(service));
    const { text, contentType, extension } = exportText(doc, format);
    const link = this.blobs.put(url.origin, `${String(api.doc.properties.displayName)}.${extension}`, text, contentType, EXPORT_TTL_MS);
    return apimJson(200, { id: api.id, format: APIM_EXPORT_RESULT_FORMAT[format], value: { link } });
  }

  // ---- import from a link ----

  private startLinkImport(ref: ApimRef, req: EmulatorRequest, body: Record<string, unknown>, url: URL): EmulatorResponse {
    const props = body.properties as Record<string, unknown>;
    const link = String(props.value ?? "");
    if (!/^https?:\/\//i.test(link)) return fail(400, "ValidationError", `properties.value '${clip(link)}' is not an http(s) URL: with format '${String(props.format)}' pass the document's URL`);
    const asyncId = randomBytes(12).toString("hex");
    for (const [id, old] of this.linkImports) if (old.finishedAt && Date.now() - old.finishedAt > LINK_IMPORT_KEPT_MS) this.linkImports.delete(id);
    const state: LinkImport = { status: "running" };
    this.linkImports.set(asyncId, state);
    const task = (async () => {
      try {
        const value = await fetchDocument(link, { maxBytes: this.options.maxDocumentBytes, allowHosts: this.options.allowFetchHosts });
        const inline = { ...body, properties: { ...props, format: inlineFormatOf(String(props.format)), value } };
        const answer = this.resources.transaction(() => this.writeApi(ref, req, inline));
        if (answer.status >= 400) {
          const error = (JSON.parse(answer.body ?? "{}") as { error?: { code: string; message: string } }).error;
          Object.assign(state, { status: "failed", problem: error ?? { code: "ImportFailed", message: `HTTP ${answer.status}` } });
        } else Object.assign(state, { status: "done", created: answer.status === 201 });
      } catch (e) {
        const problem = e instanceof LinkProblem ? { code: e.code, message: e.message } : { code: "ImportFailed", message: (e as Error).message };
        Object.assign(state, { status: "failed", problem });
      }
    })().finally(() => {
      state.finishedAt = Date.now();
      this.running.delete(task);
    });
    this.running.add(task);
    const location = `${url.origin}${url.pathname}?api-version=${APIM_API_VERSION}&asyncId=${asyncId}&asyncCode=201`;
    return empty(202, { location });
  }

  private linkImportResult(api: StoredResource | undefined, asyncId: string, url: URL): EmulatorResponse {
    const state = this.linkImports.get(asyncId);
    if (!state) return fail(404, "ResourceNotFound", `import '${asyncId}' was not found (its outcome is kept an hour, until the server restarts)`);
    if (state.status === "running") return empty(202, { location: url.toString() });
    if (state.status === "failed") return fail(400, state.problem!.code, state.problem!.message);
    return withEtag(state.created ? 201 : 200, renderApi(api!, true), api!);
  }

  /** While a link import runs, the API it will create does not exist yet: its poll still answers. */
  pendingImport(url: URL): EmulatorResponse | null {
    const asyncId = url.searchParams.get("asyncId");
    const state = asyncId ? this.linkImports.get(asyncId) : undefined;
    if (!state || state.status === "done") return null;
    return this.linkImportResult(undefined, asyncId!, url);
  }
}

