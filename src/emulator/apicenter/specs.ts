/**
 * Specification import/export and the metadata-schema export, with live Azure's long-running
 * semantics: an inline import answers 200 at once; a link import answers 202 with a `location`
 * to `.../operationResults/{id}`, which answers 202 `{status}` until it answers 200 with the outcome.
 */
import { randomUUID } from "node:crypto";
import { API_VERSION } from "../../arm/api-versions.js";
import { ApiSpecImportRequest, MetadataSchemaExportRequest, type MetadataEntity } from "../../arm/models.js";
import { formatResourceId, type ResourceRef } from "../../arm/resource-id.js";
import { detectSpecification } from "../../arm/spec-detect.js";
import { clip } from "../../arm/text.js";
import type { OperationRow, Store, StoredResource } from "../store.js";
import { fetchDocument, LinkProblem } from "../fetch-document.js";
import { empty, fail, json, type EmulatorResponse } from "../wire.js";
import { exportedSchema } from "./metadata.js";
import { childNotFound } from "./render.js";

/** Specification problems answer with the same codes as link problems. */
class SpecProblem extends LinkProblem {}

/** The definition's `specification`: what the caller said, completed from the content where it can be. */
function resolveSpecification(requested: { name?: string; version?: string } | undefined, content: string) {
  const detected = detectSpecification(content);
  if (requested?.name) {
    const version = requested.version ?? (detected?.name === requested.name.toLowerCase() ? detected.version : undefined);
    return { name: requested.name, ...(version ? { version } : {}) };
  }
  if (detected) return { name: detected.name, ...(detected.version ? { version: detected.version } : {}) };
  throw new SpecProblem(
    "InvalidSpecification",
    "could not tell what kind of specification this is (not OpenAPI, AsyncAPI, GraphQL SDL, WSDL, WADL, gRPC proto or RAML): pass specification {name, version}",
  );
}

export class SpecOperations {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    /** The largest specification accepted, in bytes of UTF-8. */
    private readonly maxSpecBytes: number,
    /** Host names link imports may fetch from even when they resolve to a private address. */
    private readonly allowFetchHosts: readonly string[] = [],
  ) {}

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  importSpecification(url: URL, ref: ResourceRef, definition: StoredResource, body: Record<string, unknown>): EmulatorResponse {
    const parsed = ApiSpecImportRequest.safeParse(body);
    if (!parsed.success) {
      return fail(400, "ValidationError", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    }
    const { format = "inline", value, specification } = parsed.data;
    if (!value) {
      return fail(400, "ValidationError", "value is required: the specification text (format 'inline') or a URL to it (format 'link')");
    }
    if (format.toLowerCase() === "inline") {
      try {
        this.store.transaction(() => this.save(definition.key, value, specification));
      } catch (e) {
        if (e instanceof SpecProblem) return fail(400, e.code, e.message);
        throw e;
      }
      return empty(200);
    }
    if (!/^https?:\/\//i.test(value)) {
      return fail(400, "ValidationError", `value '${clip(value)}' is not an http(s) URL: with format 'link' pass the specification's URL`);
    }
    const op: OperationRow = {
      id: randomUUID().replace(/-/g, ""),
      resourceKey: definition.key,
      resourceId: formatResourceId(ref),
      status: "NotStarted",
      startTime: new Date().toISOString(),
      endTime: null,
      errorCode: null,
      errorMessage: null,
    };
    this.store.putOperation(op);
    const task = this.runLinkImport(op, value, specification).finally(() => this.running.delete(task));
    this.running.add(task);
    const location = `${url.origin}${url.pathname.replace(/\/importSpecification$/i, "")}/operationResults/${op.id}?api-version=${API_VERSION}`;
    return empty(202, { location });
  }

  /** Stores a definition's specification (within the caller's transaction): what an inline import does. */
  save(definitionKey: string, content: string, requested: { name?: string; version?: string } | undefined): void {
    if (Buffer.byteLength(content, "utf8") > this.maxSpecBytes) {
      throw new SpecProblem("SpecificationTooLarge", `the specification is larger than ${this.maxSpecBytes} bytes`);
    }
    const definition = this.store.get(definitionKey);
    if (!definition) throw new SpecProblem("DefinitionNotFound", "the definition was deleted while its specification was imported");
    const specification = resolveSpecification(requested, content);
    const now = new Date().toISOString();
    this.store.putSpec(definitionKey, content, now);
    // Live Azure moves the definition's lastModifiedAt (and etag) when a spec is imported into it.
    this.store.updateDoc(definitionKey, { ...definition.doc, properties: { ...definition.doc.properties, specification } }, now);
  }

  private async runLinkImport(op: OperationRow, link: string, requested: { name?: string; version?: string } | undefined) {
    this.store.putOperation({ ...op, status: "InProgress" });
    let outcome: Partial<OperationRow> = { status: "Succeeded" };
    try {
      const content = await fetchDocument(link, { maxBytes: this.maxSpecBytes, allowHosts: this.allowFetchHosts });
      this.store.transaction(() => this.save(op.resourceKey, content, requested));
    } catch (e) {
      const problem = e instanceof LinkProblem ? e : new SpecProblem("ImportFailed", (e as Error).message);
      outcome = { status: "Failed", errorCode: problem.code, errorMessage: problem.message };
    }
    try {
      this.store.putOperation({ ...op, ...outcome, endTime: new Date().toISOString() } as OperationRow);
    } catch {
      // The store was closed under a running import: nothing is left to record the outcome in.
    }
  }

  operationResult(ref: ResourceRef, operationId: string, url: URL): EmulatorResponse {
    const op = this.store.getOperation(operationId);
    const base = formatResourceId(ref);
    if (!op || op.resourceId.toLowerCase() !== base.toLowerCase()) {
      return childNotFound(`operation '${operationId}' was not found`);
    }
    const summary = { id: `${base}/operationResults/${op.id}`, name: op.id, status: op.status };
    // Live Azure answers a running operation with 202 and the location to poll next; once started, with its start time.
    if (op.status === "NotStarted") return json(202, summary, { location: url.toString() });
    if (op.status === "InProgress") return json(202, { ...summary, startTime: op.startTime }, { location: url.toString() });
    return json(200, {
      ...summary,
      startTime: op.startTime,
      ...(op.endTime ? { endTime: op.endTime } : {}),
      ...(op.errorCode ? { error: { code: op.errorCode, message: op.errorMessage ?? "" } } : {}),
    });
  }

  exportSpecification(definition: StoredResource): EmulatorResponse {
    const content = this.store.getSpec(definition.key);
    if (content === undefined) {
      return fail(
        404,
        "SpecificationNotFound",
        `definition '${definition.name}' has no specification yet: import one with importSpecification`,
      );
    }
    return json(200, { format: "inline", value: content });
  }

  exportMetadataSchema(body: Record<string, unknown>, schemas: StoredResource[]): EmulatorResponse {
    const parsed = MetadataSchemaExportRequest.safeParse(body);
    if (!parsed.success || !parsed.data.assignedTo) {
      return fail(400, "ValidationError", "assignedTo is required: one of 'api', 'environment', 'deployment'");
    }
    return json(200, { format: "json-schema", value: exportedSchema(parsed.data.assignedTo.toLowerCase() as MetadataEntity, schemas) });
  }
}
