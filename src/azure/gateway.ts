/** The domain's ApiCenterGateway over the ARM client: names become ARM ids, ARM resources become domain ones. */
import type { ChildKind } from "../arm/models.js";
import type { ResourceRef } from "../arm/resource-id.js";
import { RESOURCE_TYPES, type ResourceKind } from "../arm/resource-types.js";
import { DomainError } from "../domain/errors.js";
import type { ApiCenterGateway, ApimApi, ApimService, Conditional, Kind, ListFilter, LongCall, Path, Resource, ServiceInfo, ServiceTarget, SpecImport, WorkspaceRead } from "../domain/gateway.js";
import { refOf, resolveService } from "../domain/scope.js";
import { parseApimId } from "../arm/apim/resource-id.js";
import { ApimArmClient } from "./apim-client.js";
import type { ApiCenterArmClient } from "./arm-client.js";

type WireResource = { name: string; properties: unknown; systemData?: { createdAt?: string; lastModifiedAt?: string } };

/** A workspace as a backend that holds the inventory renders it at once (the local API Center's readWorkspace). */
export interface WireWorkspace {
  apis: Array<{
    resource: WireResource;
    versions: Array<{ resource: WireResource; definitions: Array<{ resource: WireResource; spec(): string | undefined }> }>;
    deployments: WireResource[];
  }>;
  environments: WireResource[];
  metadataSchemas: WireResource[];
  apiSources: WireResource[];
}

export type WorkspaceReader = (ws: ResourceRef) => WireWorkspace | null;

function toDomain(r: WireResource, etag?: string): Resource {
  return {
    name: r.name,
    properties: (r.properties ?? {}) as Record<string, unknown>,
    ...(r.systemData?.createdAt ? { createdAt: r.systemData.createdAt } : {}),
    ...(r.systemData?.lastModifiedAt ? { modifiedAt: r.systemData.lastModifiedAt } : {}),
    ...(etag ? { etag } : {}),
  };
}

function apimRef(id: string, what: "service" | "API") {
  const ref = parseApimId(id);
  if (!ref || (what === "service") !== (ref.apiId === undefined)) {
    throw new DomainError("invalid_input", `'${id}' is not the id of an API Management ${what}`);
  }
  return ref;
}

export class ArmGateway implements ApiCenterGateway {
  readonly defaultService: Required<ServiceTarget>;
  private readonly apim: ApimArmClient;
  readonly readWorkspace?: (ws: Path) => Promise<WorkspaceRead | null>;

  constructor(
    private readonly client: ApiCenterArmClient,
    service: Required<ServiceTarget>,
    readonly description: string,
    /** Where the backend holds the inventory itself: whole workspaces in one read, for the index. */
    private readonly reader?: WorkspaceReader,
  ) {
    this.defaultService = service;
    this.apim = new ApimArmClient(client);
    if (reader) {
      this.readWorkspace = async (ws) => {
        const tree = reader(this.ref("workspace", ws));
        if (!tree) return null;
        return {
          apis: tree.apis.map((a) => ({
            resource: toDomain(a.resource),
            versions: a.versions.map((v) => ({ resource: toDomain(v.resource), definitions: v.definitions.map((d) => ({ resource: toDomain(d.resource), spec: d.spec })) })),
            deployments: a.deployments.map((d) => toDomain(d)),
          })),
          environments: tree.environments.map((e) => toDomain(e)),
          metadataSchemas: tree.metadataSchemas.map((m) => toDomain(m)),
          apiSources: tree.apiSources.map((s) => toDomain(s)),
        };
      };
    }
  }

  private scope(target?: ServiceTarget) {
    const svc = resolveService(target, this.defaultService);
    return { subscriptionId: svc.subscriptionId, resourceGroupName: svc.resourceGroup, serviceName: svc.serviceName };
  }

  get endpoint(): string {
    return this.client.endpoint;
  }

  /** The same service through the bulk client: for crawls, which leave ARM's budget reserve to interactive calls. */
  bulk(): ArmGateway {
    return new ArmGateway(this.client.bulk(), this.defaultService, this.description, this.reader);
  }

  private ref(kind: ResourceKind, path: Path): ResourceRef {
    return refOf(kind, path, this.defaultService);
  }

  async listServices(target?: ServiceTarget): Promise<ServiceInfo[]> {
    const svc = resolveService(target, this.defaultService);
    const out: ServiceInfo[] = [];
    for await (const s of this.client.listServices(svc.subscriptionId, target?.resourceGroup)) {
      const rg = /\/resourceGroups\/([^/]+)/i.exec(s.id)?.[1] ?? svc.resourceGroup;
      out.push({ name: s.name, resourceGroup: rg, subscriptionId: svc.subscriptionId, location: s.location });
    }
    return out;
  }

  async list(kind: Kind, parent: Path, filter: ListFilter = {}): Promise<Resource[]> {
    const parentKind = RESOURCE_TYPES[kind].parent!;
    const items = await this.client.listAll(kind as ChildKind, this.ref(parentKind, parent), filter.filter ? { filter: filter.filter } : {});
    return items.map((r) => toDomain(r));
  }

  async find(kind: Kind, path: Path): Promise<Resource | null> {
    try {
      return await this.get(kind, path);
    } catch (e) {
      if (e instanceof DomainError && e.kind === "not_found") return null;
      throw e;
    }
  }

  async get(kind: Kind, path: Path): Promise<Resource> {
    const { resource, etag } = await this.client.read(kind as ChildKind, this.ref(kind, path));
    return toDomain(resource, etag);
  }

  async put(kind: Kind, path: Path, properties: Record<string, unknown>, opts: Conditional = {}): Promise<Resource> {
    const { resource, etag } = await this.client.createOrUpdate(kind as ChildKind, this.ref(kind, path), properties as never, opts.ifMatch ? { ifMatch: opts.ifMatch } : {});
    return toDomain(resource, etag);
  }

  async delete(kind: Kind, path: Path, opts: Conditional = {}): Promise<void> {
    await this.client.delete(this.ref(kind, path), opts.ifMatch ? { ifMatch: opts.ifMatch } : {});
  }

  async importSpecification(path: Path, request: SpecImport, opts: LongCall = {}): Promise<void> {
    await this.client.importSpecification(this.ref("definition", path), request, {
      onProgress: (p) => opts.onProgress?.(p.status),
      ...(opts.signal ? { abortSignal: opts.signal } : {}),
    });
  }

  async exportSpecification(path: Path, opts: LongCall = {}): Promise<string> {
    return (await this.client.exportSpecification(this.ref("definition", path), opts.signal ? { abortSignal: opts.signal } : {})).value;
  }

  async exportMetadataSchema(entity: "api" | "environment" | "deployment", target?: ServiceTarget): Promise<string> {
    return (await this.client.exportMetadataSchema(this.scope(target), entity)).value;
  }

  async serviceIdentity(target?: ServiceTarget): Promise<{ type: string; principalId?: string } | null> {
    const identity = (await this.client.getService(this.scope(target))).identity;
    return identity && identity.type.toLowerCase() !== "none" ? { type: identity.type, ...(identity.principalId ? { principalId: identity.principalId } : {}) } : null;
  }

  async importFromApim(sourceResourceIds: string[], target?: ServiceTarget, onProgress?: (status: string) => void): Promise<void> {
    await this.client.importFromApim(this.scope(target), sourceResourceIds, (p) => onProgress?.(p.status));
  }

  async listApimServices(subscriptionId: string): Promise<ApimService[]> {
    return (await this.apim.listServices(subscriptionId)).map((s) => ({ id: s.id, name: s.name, gatewayUrl: String(s.properties.gatewayUrl ?? `https://${s.name.toLowerCase()}.azure-api.net`) }));
  }

  async listApimApis(serviceId: string): Promise<ApimApi[]> {
    const apis = await this.apim.listApis(apimRef(serviceId, "service"));
    return apis
      .filter((a) => a.properties.isCurrent !== false)
      .map((a) => {
        const p = a.properties;
        return {
          id: a.id,
          name: a.name,
          displayName: p.displayName ?? a.name,
          path: p.path,
          type: p.type ?? "http",
          ...(p.apiVersion ? { apiVersion: p.apiVersion } : {}),
          ...(p.apiVersionSet?.versioningScheme ? { versioningScheme: p.apiVersionSet.versioningScheme } : {}),
        };
      });
  }

  async exportApimSpec(apiId: string): Promise<string> {
    return this.apim.exportOpenApi(apimRef(apiId, "API") as ReturnType<typeof apimRef> & { apiId: string });
  }
}
