/**
 * The Microsoft.ApiCenter 2024-03-01 client: all 45 operations, services included, sent through the
 * one pipeline of `pipeline.ts` by one request path (`send`), so every answer meets one error mapping
 * and one parse by the zod models. Names are checked before any call, lists follow `nextLink`,
 * long-running operations are polled to the end, and every failure becomes a DomainError that names
 * the fix.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createHttpPoller, type LroResponse, type OperationState } from "@azure/core-lro";
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { z } from "zod";
import { API_VERSION } from "../arm/api-versions.js";
import {
  ApiSpecExportResult,
  ImportFromApimRequest,
  MetadataSchemaExportResult,
  OperationResult,
  PROPERTIES_SCHEMAS,
  RESOURCE_SCHEMAS,
  ServicePayload,
  ServiceResource,
  ServiceUpdatePayload,
  type ApiSpecImportRequest,
  type ChildKind,
  type MetadataEntity,
  type PropertiesOf,
  type ResourceOf,
} from "../arm/models.js";
import {
  formatResourceId,
  kindOf,
  nameOf,
  parentOf,
  resourceGroupPath,
  resourceGroupProblem,
  subscriptionProblem,
  type ResourceRef,
  type ServiceScope,
  serviceRef,
} from "../arm/resource-id.js";
import { PROVIDER, RESOURCE_TYPES, nameProblem, type ResourceKind } from "../arm/resource-types.js";
import { detectSpecification } from "../arm/spec-detect.js";
import { DomainError } from "../domain/errors.js";
import { markBulk, type ArmBudget, type BudgetStats, type Priority } from "./budget.js";
import { duration, errorFromResponse, errorFromThrown } from "./errors.js";
import { createArmPipelineClient, type ArmPipelineClient, type PipelineOptions } from "./pipeline.js";

/** The most of an exported specification read from an export link: the local API Center's own limit on a spec. */
const EXPORT_LINK_MAX_BYTES = 64 * 1024 * 1024;

export interface ArmClientOptions extends PipelineOptions {
  /** Wait between polls of a long-running operation when the service sends no Retry-After. */
  pollIntervalMs?: number;
  /** Give up polling a long-running operation after this long; no Retry-After is waited past it. */
  maxPollMs?: number;
  /** Per-attempt timeout, until the answer's headers arrive. */
  requestTimeoutMs?: number;
  /** Give up one call, all its attempts and waits (Retry-After included), after this long. */
  callDeadlineMs?: number;
}

export interface ListOptions {
  /** OData `$filter`, e.g. `kind eq 'rest'`. */
  filter?: string;
  /** Page size asked of the service. */
  top?: number;
  abortSignal?: AbortSignal;
}

export interface LroProgress {
  status: string;
  polls: number;
}

export interface LroOptions {
  onProgress?: (p: LroProgress) => void;
  /** Cancels the call, polling included. */
  abortSignal?: AbortSignal;
}

interface SendOptions {
  body?: unknown;
  headers?: Record<string, string>;
  notFound?: string;
  accept404?: boolean;
  abortSignal?: AbortSignal;
  /** Whether the request changes state; PUT, PATCH and DELETE do, and POSTs say. */
  write?: boolean;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
function retryAfterMs(res: PipelineResponse): number | undefined {
  const value = res.headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function describe(ref: ResourceRef): string {
  const kind = kindOf(ref);
  const parent = parentOf(ref);
  const where = parent && kindOf(parent) !== "service" ? ` in ${RESOURCE_TYPES[kindOf(parent)].label} '${nameOf(parent)}'` : "";
  return `${RESOURCE_TYPES[kind].label} '${nameOf(ref)}'${where}`;
}

function notFoundMessage(ref: ResourceRef): string {
  if (kindOf(ref) === "service") {
    return `API Center service '${nameOf(ref)}' was not found in resource group '${ref.resourceGroupName}' of subscription '${ref.subscriptionId}': check the service name, resource group and subscription`;
  }
  return `${describe(ref)} was not found (or one of its parents is missing)`;
}

/** The api-version a resource type needs (API sources are in a preview). */
const versionOf = (kind: ResourceKind): string => RESOURCE_TYPES[kind].apiVersion ?? API_VERSION;

function checkRef(ref: ResourceRef): void {
  if (!ref.subscriptionId) throw new DomainError("configuration", "no subscription id: set AZURE_SUBSCRIPTION_ID or pass --subscription");
  if (!ref.resourceGroupName) throw new DomainError("configuration", "no resource group: set APICENTER_RESOURCE_GROUP or pass --resource-group");
  checkScope(ref.subscriptionId, ref.resourceGroupName);
  for (const { kind, name } of ref.chain) {
    const problem = nameProblem(kind, name);
    if (problem) throw new DomainError("invalid_input", problem);
  }
}

/** Every segment of an ARM path is checked by its rule before it is sent: none can step out of its place ('..', '/', '%2f'). */
function checkScope(subscriptionId: string, resourceGroupName: string | undefined): void {
  const problem = subscriptionProblem(subscriptionId) ?? (resourceGroupName === undefined ? null : resourceGroupProblem(resourceGroupName));
  if (problem) throw new DomainError("invalid_input", problem);
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string, kind: "invalid_input" | "upstream"): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ");
  throw new DomainError(kind, kind === "invalid_input" ? `${what} is invalid: ${issues}` : `the service answered an unexpected ${what}: ${issues}`);
}

/** A list page of `item`s, made once per item schema: zod compiles a schema on its first parse, a cost every list paid. */
const pageSchemas = new WeakMap<z.ZodType, z.ZodType>();
function pageOf<T>(item: z.ZodType<T>): z.ZodType<{ value: T[]; nextLink?: string | null | undefined }> {
  let page = pageSchemas.get(item);
  if (!page) pageSchemas.set(item, (page = z.object({ value: z.array(item), nextLink: z.string().nullish() })));
  return page as z.ZodType<{ value: T[]; nextLink?: string | null | undefined }>;
}

export class ApiCenterArmClient {
  readonly endpoint: string;
  private readonly pipeline: ArmPipelineClient;
  private readonly budget: ArmBudget;

  constructor(
    private readonly options: ArmClientOptions,
    shared?: { pipeline: ArmPipelineClient; budget: ArmBudget },
    /** Bulk calls leave the budget's reserve to interactive ones (see budget.ts). */
    readonly priority: Priority = "interactive",
  ) {
    ({ pipeline: this.pipeline, budget: this.budget } = shared ?? createArmPipelineClient(options));
    this.endpoint = new URL(options.endpoint).origin;
  }

  /** This client for bulk work: the same pipeline and budget, its calls paced below the reserve. */
  bulk(): ApiCenterArmClient {
    return new ApiCenterArmClient(this.options, { pipeline: this.pipeline, budget: this.budget }, "bulk");
  }

  /** Calls sent and held back on ARM's request budget, by this client and every one sharing its pipeline. */
  budgetStats(): BudgetStats {
    return this.budget.stats();
  }

  private url(path: string, query: Record<string, string | number | undefined> = {}, apiVersion = API_VERSION): string {
    const u = new URL(this.endpoint + path.split("/").map(encodeURIComponent).join("/"));
    u.searchParams.set("api-version", apiVersion);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  private async send(method: string, url: string, doing: string, opts: SendOptions = {}): Promise<PipelineResponse> {
    const deadlineMs = this.options.callDeadlineMs ?? 300_000;
    const deadline = AbortSignal.timeout(deadlineMs);
    const request = createPipelineRequest({
      url,
      method: method as "GET",
      headers: createHttpHeaders({ accept: "application/json", ...(opts.body !== undefined ? { "content-type": "application/json; charset=utf-8" } : {}), ...opts.headers }),
      timeout: this.options.requestTimeoutMs ?? 120_000,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      // The deadline bounds the retry policy's waits too: a Retry-After of an hour ends at the deadline.
      abortSignal: opts.abortSignal ? AbortSignal.any([opts.abortSignal, deadline]) : deadline,
    });
    if (this.priority === "bulk") markBulk(request);
    let res: PipelineResponse;
    try {
      res = await this.pipeline.sendRequest(request);
    } catch (e) {
      throw errorFromThrown(e, doing, {
        endpoint: this.endpoint,
        write: opts.write ?? ["PUT", "PATCH", "DELETE"].includes(method),
        ...(opts.abortSignal ? { cancelled: opts.abortSignal } : {}),
        deadline: { signal: deadline, ms: deadlineMs },
      });
    }
    if (res.status === 404 && opts.accept404) return res;
    if (res.status >= 400) throw errorFromResponse(res.status, res.bodyAsText ?? undefined, doing, opts.notFound);
    return res;
  }

  private json(res: PipelineResponse): unknown {
    if (!res.bodyAsText) return undefined;
    try {
      return JSON.parse(res.bodyAsText);
    } catch {
      throw new DomainError("upstream", `the service answered HTTP ${res.status} with a body that is not JSON`);
    }
  }

  /** The items of a list, page by page along `nextLink`. */
  private async *pages<T>(
    url: string,
    item: z.ZodType<T>,
    what: string,
    doing: string,
    opts: { notFound?: string; abortSignal?: AbortSignal } = {},
  ): AsyncIterable<T> {
    const schema = pageOf(item);
    let next: string | undefined = url;
    while (next) {
      const res = await this.send("GET", next, doing, opts);
      const page = parseOrThrow(schema, this.json(res), what, "upstream");
      yield* page.value;
      next = page.nextLink ?? undefined;
    }
  }

  // ---- services (Services_*) ----

  /** Services_ListBySubscription, or Services_ListByResourceGroup when a resource group is given. */
  async *listServices(subscriptionId: string, resourceGroupName?: string): AsyncIterable<ServiceResource> {
    if (!subscriptionId) throw new DomainError("configuration", "no subscription id: set AZURE_SUBSCRIPTION_ID or pass --subscription");
    checkScope(subscriptionId, resourceGroupName || undefined);
    const scope = resourceGroupName ? resourceGroupPath(subscriptionId, resourceGroupName) : `/subscriptions/${subscriptionId}`;
    const notFound = resourceGroupName
      ? `resource group '${resourceGroupName}' was not found in subscription '${subscriptionId}': check the resource group and subscription`
      : `subscription '${subscriptionId}' was not found: check the subscription id`;
    const doing = `list the API Center services in ${resourceGroupName ? `resource group '${resourceGroupName}'` : `subscription '${subscriptionId}'`}`;
    yield* this.pages(this.url(`${scope}/providers/${PROVIDER}/${RESOURCE_TYPES.service.segment}`), ServiceResource, "service list", doing, { notFound });
  }

  /** Services_Get */
  async getService(scope: ServiceScope): Promise<ServiceResource> {
    const ref = serviceRef(scope);
    checkRef(ref);
    const res = await this.send("GET", this.url(formatResourceId(ref)), `get service '${scope.serviceName}'`, { notFound: notFoundMessage(ref) });
    return parseOrThrow(ServiceResource, this.json(res), "service", "upstream");
  }

  /** Services_CreateOrUpdate; `created` tells a 201 from a 200. */
  async createOrUpdateService(
    scope: ServiceScope,
    payload: z.input<typeof ServicePayload>,
  ): Promise<{ resource: ServiceResource; created: boolean }> {
    const ref = serviceRef(scope);
    checkRef(ref);
    const body = parseOrThrow(ServicePayload, payload, "the service payload", "invalid_input");
    const res = await this.send("PUT", this.url(formatResourceId(ref)), `create or update service '${scope.serviceName}'`, {
      body,
      notFound: notFoundMessage(ref),
    });
    return { resource: parseOrThrow(ServiceResource, this.json(res), "service", "upstream"), created: res.status === 201 };
  }

  /** Services_Update: a PATCH of tags, identity and sku. */
  async updateService(scope: ServiceScope, patch: z.input<typeof ServiceUpdatePayload>): Promise<ServiceResource> {
    const ref = serviceRef(scope);
    checkRef(ref);
    const body = parseOrThrow(ServiceUpdatePayload, patch, "the service update", "invalid_input");
    const res = await this.send("PATCH", this.url(formatResourceId(ref)), `update service '${scope.serviceName}'`, {
      body,
      notFound: notFoundMessage(ref),
    });
    return parseOrThrow(ServiceResource, this.json(res), "service", "upstream");
  }

  // ---- any resource by its reference (get, write and list: those below a service) ----

  /** {Kind}_Get */
  async get<K extends ChildKind>(kind: K, ref: ResourceRef): Promise<ResourceOf<K>> {
    return (await this.read(kind, ref)).resource;
  }

  /** {Kind}_Get with the etag it answered, for a later conditional write. */
  async read<K extends ChildKind>(kind: K, ref: ResourceRef): Promise<{ resource: ResourceOf<K>; etag?: string }> {
    checkRef(ref);
    const res = await this.send("GET", this.url(formatResourceId(ref), {}, versionOf(kind)), `get ${describe(ref)}`, { notFound: notFoundMessage(ref) });
    const etag = res.headers.get("etag");
    return {
      resource: parseOrThrow(RESOURCE_SCHEMAS[kind] as unknown as z.ZodType<ResourceOf<K>>, this.json(res), `${RESOURCE_TYPES[kind].label}`, "upstream"),
      ...(etag ? { etag } : {}),
    };
  }

  /** {Kind}_Head: whether the resource exists. */
  async exists(ref: ResourceRef): Promise<boolean> {
    checkRef(ref);
    const res = await this.send("HEAD", this.url(formatResourceId(ref), {}, versionOf(kindOf(ref))), `check ${describe(ref)}`, { accept404: true });
    return res.status !== 404;
  }

  /** {Kind}_CreateOrUpdate. `ifMatch` makes it conditional on the etag last read. */
  async createOrUpdate<K extends ChildKind>(
    kind: K,
    ref: ResourceRef,
    properties: z.input<(typeof PROPERTIES_SCHEMAS)[K]>,
    opts: { ifMatch?: string; ifNoneMatch?: "*" } = {},
  ): Promise<{ resource: ResourceOf<K>; etag?: string }> {
    checkRef(ref);
    const props = parseOrThrow(PROPERTIES_SCHEMAS[kind] as unknown as z.ZodType<PropertiesOf<K>>, properties, `the ${RESOURCE_TYPES[kind].label} properties`, "invalid_input");
    const headers: Record<string, string> = {};
    if (opts.ifMatch) headers["if-match"] = opts.ifMatch;
    if (opts.ifNoneMatch) headers["if-none-match"] = opts.ifNoneMatch;
    const res = await this.send("PUT", this.url(formatResourceId(ref), {}, versionOf(kind)), `create or update ${describe(ref)}`, {
      body: { properties: props },
      headers,
      notFound: `${describe(ref)} cannot be written: its parent ${describe(parentOf(ref)!)} does not exist; create it first`,
    });
    const etag = res.headers.get("etag");
    return {
      resource: parseOrThrow(RESOURCE_SCHEMAS[kind] as unknown as z.ZodType<ResourceOf<K>>, this.json(res), RESOURCE_TYPES[kind].label, "upstream"),
      ...(etag ? { etag } : {}),
    };
  }

  /**
   * {Kind}_Delete (Services_Delete for a service), removing everything below it too. It succeeds
   * whether or not there was anything to delete, and cannot say which: live Azure answers 204 both
   * when it deletes most types and when there was nothing (see `deleteStatus` in resource-types.ts),
   * and a 404 (a missing parent) means there was nothing either.
   */
  async delete(ref: ResourceRef, opts: { ifMatch?: string } = {}): Promise<void> {
    checkRef(ref);
    await this.send("DELETE", this.url(formatResourceId(ref), {}, versionOf(kindOf(ref))), `delete ${describe(ref)}`, {
      ...(opts.ifMatch ? { headers: { "if-match": opts.ifMatch } } : {}),
      accept404: true,
    });
  }

  /** {Kind}_List, following nextLink; `$filter` and `$top` passed through. */
  async *list<K extends ChildKind>(kind: K, parent: ResourceRef, opts: ListOptions = {}): AsyncIterable<ResourceOf<K>> {
    checkRef(parent);
    const url = this.url(`${formatResourceId(parent)}/${RESOURCE_TYPES[kind].segment}`, { $filter: opts.filter, $top: opts.top }, versionOf(kind));
    const label = RESOURCE_TYPES[kind].label;
    yield* this.pages(url, RESOURCE_SCHEMAS[kind] as unknown as z.ZodType<ResourceOf<K>>, `${label} list`, `list ${label}s of ${describe(parent)}`, {
      notFound: notFoundMessage(parent),
      ...(opts.abortSignal ? { abortSignal: opts.abortSignal } : {}),
    });
  }

  /** Collects a whole list. */
  async listAll<K extends ChildKind>(kind: K, parent: ResourceRef, opts: ListOptions = {}): Promise<ResourceOf<K>[]> {
    const out: ResourceOf<K>[] = [];
    for await (const item of this.list(kind, parent, opts)) out.push(item);
    return out;
  }

  /**
   * ApiDefinitions_ImportSpecification. When the caller names no specification, it is detected from
   * inline content. A link import is long-running: it is polled until it succeeds or fails.
   */
  async importSpecification(ref: ResourceRef, request: ApiSpecImportRequest, opts: LroOptions = {}): Promise<void> {
    checkRef(ref);
    const body: ApiSpecImportRequest = { ...request, format: request.format ?? "inline" };
    if (!body.specification?.name && body.format === "inline" && body.value) {
      const detected = detectSpecification(body.value);
      if (detected) body.specification = { name: detected.name, ...(detected.version ? { version: detected.version } : {}) };
    }
    const doing = `import the specification into ${describe(ref)}`;
    const url = this.url(`${formatResourceId(ref)}/importSpecification`);
    const res = await this.send("POST", url, doing, { body, notFound: notFoundMessage(ref), write: true, ...(opts.abortSignal ? { abortSignal: opts.abortSignal } : {}) });
    if (res.status === 202) await this.untilDone(res, doing, { ...opts, write: true });
  }

  /** ApiDefinitions_ExportSpecification: the spec text, fetched from the link when the service answers one. */
  async exportSpecification(ref: ResourceRef, opts: LroOptions = {}): Promise<{ format: string; value: string }> {
    checkRef(ref);
    const doing = `export the specification of ${describe(ref)}`;
    const url = this.url(`${formatResourceId(ref)}/exportSpecification`);
    const res = await this.send("POST", url, doing, { notFound: notFoundMessage(ref), write: false, ...(opts.abortSignal ? { abortSignal: opts.abortSignal } : {}) });
    const answer = res.status === 202 ? await this.untilDone(res, doing, { ...opts, write: false }) : this.json(res);
    const result = parseOrThrow(ApiSpecExportResult, answer, "export result", "upstream");
    // An export without a value is no spec at all, not an empty one: saying so keeps callers from recording "no spec".
    if (result.value === undefined) throw new DomainError("upstream", `Could not ${doing}: the service's answer holds no specification; retry later`);
    if (result.format === "link") return { format: "inline", value: await this.fetchLink(result.value, doing) };
    return { format: result.format ?? "inline", value: result.value };
  }

  /** Services_ExportMetadataSchema: the JSON Schema an entity's metadata must satisfy. */
  async exportMetadataSchema(scope: ServiceScope, assignedTo: MetadataEntity, opts: LroOptions = {}): Promise<{ format: string; value: string }> {
    const ref = serviceRef(scope);
    checkRef(ref);
    const doing = `export the metadata schema for ${assignedTo} entities`;
    const url = this.url(`${formatResourceId(ref)}/exportMetadataSchema`);
    const res = await this.send("POST", url, doing, { body: { assignedTo }, notFound: notFoundMessage(ref), write: false, ...(opts.abortSignal ? { abortSignal: opts.abortSignal } : {}) });
    const answer = res.status === 202 ? await this.untilDone(res, doing, { ...opts, write: false }) : this.json(res);
    const result = parseOrThrow(MetadataSchemaExportResult, answer, "metadata schema export", "upstream");
    if (result.value === undefined) throw new DomainError("upstream", `Could not ${doing}: the service's answer holds no schema; retry later`);
    return { format: result.format ?? "json-schema", value: result.value };
  }

  /**
   * Services_ImportFromApim (live at 2024-03-01, missing from the stored swagger): API Center reads the
   * API Management APIs named (or `.../apis/*`) itself, with its managed identity; long-running.
   */
  async importFromApim(scope: ServiceScope, sourceResourceIds: string[], onProgress?: (p: LroProgress) => void): Promise<void> {
    const ref = serviceRef(scope);
    checkRef(ref);
    const body = parseOrThrow(ImportFromApimRequest, { sourceResourceIds }, "the import request", "invalid_input");
    const doing = `import ${sourceResourceIds.length === 1 ? "1 API source" : `${sourceResourceIds.length} API sources`} from API Management into service '${scope.serviceName}'`;
    const res = await this.send("POST", this.url(`${formatResourceId(ref)}/importFromApim`), doing, { body, notFound: notFoundMessage(ref), write: true });
    if (res.status === 202) await this.untilDone(res, doing, { write: true, ...(onProgress ? { onProgress } : {}) });
  }

  // ---- the one request path, for the other providers API Center works with (API Management, role assignments) ----

  /** An ARM call on `path` at `apiVersion`, through the same pipeline, errors and timeouts as every other. */
  async armRequest(
    method: string,
    path: string,
    opts: { apiVersion: string; doing: string; query?: Record<string, string | undefined>; body?: unknown; headers?: Record<string, string>; notFound?: string },
  ): Promise<{ status: number; body: unknown; response: PipelineResponse }> {
    const res = await this.send(method, this.url(path, opts.query ?? {}, opts.apiVersion), opts.doing, {
      ...(opts.body !== undefined ? { body: opts.body } : {}),
      ...(opts.headers ? { headers: opts.headers } : {}),
      ...(opts.notFound ? { notFound: opts.notFound } : {}),
    });
    return { status: res.status, body: res.status === 204 ? undefined : this.json(res), response: res };
  }

  /** A list at `path` and `apiVersion`, page by page along `nextLink`. */
  armList<T>(path: string, apiVersion: string, item: z.ZodType<T>, what: string, doing: string, opts: { query?: Record<string, string | undefined>; notFound?: string } = {}): AsyncIterable<T> {
    return this.pages(this.url(path, opts.query ?? {}, apiVersion), item, what, doing, opts.notFound ? { notFound: opts.notFound } : {});
  }

  /** Polls a long-running answer of `armRequest` to its end. */
  async armPoll(first: PipelineResponse, doing: string, onProgress?: (p: LroProgress) => void): Promise<unknown> {
    return this.untilDone(first, doing, { write: first.request.method !== "GET", ...(onProgress ? { onProgress } : {}) });
  }

  /**
   * A short-lived SAS link (an export's blob): read without the ARM token, which must never leave for
   * another host. In-process, the link is the local server's own, so it goes through the same transport.
   * Live Azure answers exports inline; a link is read only over HTTPS (or from the ARM endpoint's own
   * origin, a local API Center), without following redirects, and at most EXPORT_LINK_MAX_BYTES of it.
   */
  async fetchLink(link: string, doing: string): Promise<string> {
    if (this.options.httpClient) {
      const res = await this.options.httpClient.sendRequest(createPipelineRequest({ url: link, method: "GET", timeout: this.options.requestTimeoutMs ?? 120_000 }));
      if (res.status !== 200) throw new DomainError("upstream", `Could not ${doing}: the export link answered HTTP ${res.status}`);
      return res.bodyAsText ?? "";
    }
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw new DomainError("upstream", `Could not ${doing}: the service answered with an export link that is not a URL`);
    }
    if (url.protocol !== "https:" && url.origin !== this.endpoint) {
      throw new DomainError("upstream", `Could not ${doing}: the service answered with an export link over ${url.protocol.replace(":", "")}, not HTTPS; it was not read`);
    }
    const fetched = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(120_000) }).catch((e: Error) => {
      throw new DomainError("upstream", `Could not ${doing}: the export link could not be read (${e.message})`);
    });
    if (fetched.status !== 200) {
      await fetched.body?.cancel().catch(() => undefined);
      throw new DomainError("upstream", `Could not ${doing}: the export link answered HTTP ${fetched.status}${fetched.status >= 300 && fetched.status < 400 ? " (a redirect, not followed)" : ""}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of fetched.body ?? []) {
        size += (chunk as Uint8Array).byteLength;
        if (size > EXPORT_LINK_MAX_BYTES) throw new DomainError("upstream", `Could not ${doing}: the exported specification is larger than ${EXPORT_LINK_MAX_BYTES / 1024 / 1024} MiB`);
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
    } catch (e) {
      await fetched.body?.cancel().catch(() => undefined);
      throw e instanceof DomainError ? e : new DomainError("upstream", `Could not ${doing}: the export link was cut off after ${size} bytes (${(e as Error).message})`);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  /** Operations_List: what the provider offers. */
  async listProviderOperations(): Promise<Array<{ name: string; display?: Record<string, string> }>> {
    const res = await this.send("GET", this.url("/providers/Microsoft.ApiCenter/operations"), "list the provider's operations");
    const body = this.json(res) as { value?: Array<{ name: string; display?: Record<string, string> }> };
    return body.value ?? [];
  }

  /**
   * Follows a 202 to the operation's end with @azure/core-lro's poller, the Azure SDK's rules: an
   * `Azure-AsyncOperation` or `Operation-Location` is polled for its status, and on success the final
   * result is read from the first answer's `Location` (final-state-via: location, as the spec says for
   * these POSTs), or else the operation's own `properties`; a bare `Location` is polled until it stops
   * answering 202, and that answer is the result. Around it: the first answer's Retry-After is waited
   * before the first poll (the poller would poll at once), every wait ends at the deadline or on
   * cancellation, and a final answer that reports failure in its body (live Azure's operation results
   * answer 200 with a status) is a failure. Returns the result body.
   */
  private async untilDone(first: PipelineResponse, doing: string, opts: LroOptions & { write: boolean }): Promise<unknown> {
    const { write } = opts;
    const maxMs = this.options.maxPollMs ?? 10 * 60_000;
    const deadline = AbortSignal.timeout(maxMs);
    const signal = opts.abortSignal ? AbortSignal.any([opts.abortSignal, deadline]) : deadline;
    const lroResponse = (res: PipelineResponse): LroResponse => {
      const body = res.status === 204 ? undefined : this.json(res);
      return { flatResponse: body, rawResponse: { statusCode: res.status, headers: res.headers.toJSON(), body } };
    };
    let polls = 0;
    let lastBody: unknown;
    let result: unknown;
    let status: string;
    try {
      const poller = await createHttpPoller<unknown, OperationState<unknown>>(
        {
          // A PUT's result is read from its own URL once the operation ends; a POST's from the Location.
          requestMethod: first.request.method,
          requestPath: first.request.url,
          sendInitialRequest: async () => lroResponse(first),
          sendPollRequest: async (path) => {
            if (polls === 0) await sleep(retryAfterMs(first) ?? this.options.pollIntervalMs ?? 1000, undefined, { signal });
            polls += 1;
            const answer = lroResponse(await this.send("GET", path, doing, { abortSignal: signal, write: false }));
            lastBody = answer.flatResponse;
            return answer;
          },
        },
        {
          intervalInMs: this.options.pollIntervalMs ?? 1000,
          resourceLocationConfig: "location",
          resolveOnUnsuccessful: true,
          updateState: (_state, res) => {
            const reported = OperationResult.safeParse(res.flatResponse).data?.status;
            opts.onProgress?.({ status: reported ?? (res.rawResponse.statusCode === 202 ? "InProgress" : "Succeeded"), polls });
          },
        },
      );
      result = await poller.pollUntilDone({ abortSignal: signal });
      status = poller.getOperationState().status;
    } catch (e) {
      // Once accepted, an import runs on whatever becomes of the polling: it may be applied.
      const after = write ? "; it may still be applied" : "";
      const unanswered = write ? { unanswered: true } : undefined;
      if (opts.abortSignal?.aborted) throw new DomainError("upstream", `Could not ${doing}: cancelled while the operation ran${after}`, unanswered);
      if (deadline.aborted) throw new DomainError("upstream", `Could not ${doing}: still running after ${duration(maxMs)}${after}; check it later`, unanswered);
      if (e instanceof DomainError) throw write ? new DomainError(e.kind, `${e.message}${e.detail?.unanswered ? "" : after}`, { ...e.detail, unanswered: true }) : e;
      throw new DomainError("upstream", `Could not ${doing}: polling the operation failed (${(e as Error).message})${after}`, unanswered);
    }
    const reported = OperationResult.safeParse(result).data;
    if (status === "failed" || status === "canceled" || /^(failed|canceled|cancelled)$/i.test(reported?.status ?? "")) {
      const outcome = (reported?.status ?? status).toLowerCase();
      const why = reported?.error?.message ?? OperationResult.safeParse(lastBody).data?.error?.message ?? outcome;
      const code = reported?.error?.code ?? OperationResult.safeParse(lastBody).data?.error?.code;
      throw new DomainError("invalid_input", `Could not ${doing}: the operation ${outcome}: ${why}`, code ? { code } : undefined);
    }
    // An operation status that carries its result in `properties` (ARM's convention when there is no Location).
    if (reported && typeof result === "object" && result !== null && "properties" in result) return (result as { properties: unknown }).properties;
    return result;
  }
}

export type { ResourceKind };
