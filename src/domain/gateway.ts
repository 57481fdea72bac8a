/**
 * The one port between the inventory and the API Center it reads and writes (and the API Management
 * services it imports from). The azure/ adapter
 * implements it over ARM (Azure or the local API Center); the domain never sees a wire payload.
 * Only I/O crosses it: the wire contract's pure rules (names, spec detection, custom properties)
 * the domain imports from src/arm directly.
 */

export type Kind = "metadataSchema" | "workspace" | "api" | "version" | "definition" | "deployment" | "environment" | "apiSource";

/** Which service a call addresses; unset fields come from the configuration. */
export interface ServiceTarget {
  subscriptionId?: string;
  resourceGroup?: string;
  serviceName?: string;
}

/** Where a resource sits below its service: the names down its chain. */
export interface Path {
  service?: ServiceTarget;
  workspace?: string;
  api?: string;
  version?: string;
  definition?: string;
  deployment?: string;
  environment?: string;
  metadataSchema?: string;
  apiSource?: string;
}

/** A resource as the inventory sees it: a name, its properties, when it last changed, and its etag. */
export interface Resource {
  name: string;
  properties: Record<string, unknown>;
  createdAt?: string;
  modifiedAt?: string;
  /** The version the service gave it, for a conditional write (If-Match). */
  etag?: string;
}

/** Makes a write conditional: applied only while the resource still has this etag. */
export interface Conditional {
  ifMatch?: string;
}

/** For calls that may run long: cancellation, and progress. */
export interface LongCall {
  signal?: AbortSignal;
  onProgress?: (status: string) => void;
}

export interface ServiceInfo {
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location: string;
}

export interface SpecImport {
  format: "inline" | "link";
  /** The spec text (inline) or its URL (link). */
  value: string;
  specification?: { name: string; version?: string };
}

/** An API Management service, as imports and drift checks read it. */
export interface ApimService {
  /** Its ARM id. */
  id: string;
  name: string;
  /** Where its APIs answer: `{gatewayUrl}/{path}`. */
  gatewayUrl: string;
}

/** An API of an API Management service (its current revision). */
export interface ApimApi {
  /** Its ARM id. */
  id: string;
  /** Its id in the service, e.g. `echo`. */
  name: string;
  displayName: string;
  path: string;
  type: string;
  apiVersion?: string;
  /** Segment puts the version in the URL. */
  versioningScheme?: string;
}

/** A write the gateway can make; a list of them is a plan, which can be shown (dry run) or applied. */
export type Step =
  | { op: "put"; kind: Kind; path: Path; properties: Record<string, unknown> }
  | { op: "delete"; kind: Kind; path: Path }
  | { op: "import"; path: Path; request: SpecImport }
  /** API Center imports these API Management APIs into the workspace at `path`. */
  | { op: "importFromApim"; path: Path; sourceResourceIds: string[] };

/** An ARM call exactly as it would be sent. */
export interface ArmCall {
  method: string;
  url: string;
  body?: unknown;
}

export interface ListFilter {
  /** OData $filter, e.g. `kind eq 'rest'`. */
  filter?: string;
}

/**
 * A whole workspace read at once. Only a backend that holds the inventory itself can (the embedded
 * local API Center's database); ARM has no such read, so the index crawls there instead. Spec texts
 * are read on demand: an index that holds a definition's unchanged spec does not ask.
 */
export interface WorkspaceRead {
  apis: Array<{
    resource: Resource;
    versions: Array<{ resource: Resource; definitions: Array<{ resource: Resource; spec(): string | undefined }> }>;
    deployments: Resource[];
  }>;
  environments: Resource[];
  metadataSchemas: Resource[];
  apiSources: Resource[];
}

export interface ApiCenterGateway {
  /** One line: which backend and service. */
  readonly description: string;
  /** The configured service. */
  readonly defaultService: Required<ServiceTarget>;
  /** The ARM endpoint calls go to, for dry runs that show them. */
  readonly endpoint: string;

  listServices(target?: ServiceTarget): Promise<ServiceInfo[]>;
  list(kind: Kind, parent: Path, filter?: ListFilter): Promise<Resource[]>;
  /** The resource, or null when it does not exist. */
  find(kind: Kind, path: Path): Promise<Resource | null>;
  get(kind: Kind, path: Path): Promise<Resource>;
  put(kind: Kind, path: Path, properties: Record<string, unknown>, opts?: Conditional): Promise<Resource>;
  /** Succeeds whether or not there was anything to delete. */
  delete(kind: Kind, path: Path, opts?: Conditional): Promise<void>;
  importSpecification(path: Path, request: SpecImport, opts?: LongCall): Promise<void>;
  exportSpecification(path: Path, opts?: LongCall): Promise<string>;
  exportMetadataSchema(entity: "api" | "environment" | "deployment", target?: ServiceTarget): Promise<string>;
  /** The managed identity the service reads other services with; null when it has none. */
  serviceIdentity(target?: ServiceTarget): Promise<{ type: string; principalId?: string } | null>;
  /** Has the service import API Management APIs (ids of APIs, or `.../apis/*`); long-running. */
  importFromApim(sourceResourceIds: string[], target?: ServiceTarget, onProgress?: (status: string) => void): Promise<void>;

  // API Management, read as the imports and the drift check need it.
  listApimServices(subscriptionId: string): Promise<ApimService[]>;
  listApimApis(serviceId: string): Promise<ApimApi[]>;
  /** An API's description as API Management exports it (OpenAPI 3 JSON). */
  exportApimSpec(apiId: string): Promise<string>;
  /** The workspace in one read, where the backend can (see WorkspaceRead); null when the workspace does not exist. */
  readWorkspace?(ws: Path): Promise<WorkspaceRead | null>;
}
