/** The domain's ApiCenterGateway over the ARM client: names become ARM ids, ARM resources become domain ones. */
import type { ChildKind } from "../arm/models.js";
import type { ResourceRef } from "../arm/resource-id.js";
import { RESOURCE_TYPES, type ResourceKind } from "../arm/resource-types.js";
import { DomainError } from "../domain/errors.js";
import type { ApiCenterGateway, Kind, ListFilter, Path, Resource, ServiceInfo, ServiceTarget, SpecImport } from "../domain/gateway.js";
import { refOf, resolveService } from "../domain/scope.js";
import type { ApiCenterArmClient } from "./arm-client.js";

function toDomain(r: { name: string; properties: unknown; systemData?: { createdAt?: string; lastModifiedAt?: string } }): Resource {
  return {
    name: r.name,
    properties: (r.properties ?? {}) as Record<string, unknown>,
    ...(r.systemData?.createdAt ? { createdAt: r.systemData.createdAt } : {}),
    ...(r.systemData?.lastModifiedAt ? { modifiedAt: r.systemData.lastModifiedAt } : {}),
  };
}

export class ArmGateway implements ApiCenterGateway {
  readonly defaultService: Required<ServiceTarget>;

  constructor(
    private readonly client: ApiCenterArmClient,
    service: Required<ServiceTarget>,
    readonly description: string,
  ) {
    this.defaultService = service;
  }

  get endpoint(): string {
    return this.client.endpoint;
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
    return items.map(toDomain);
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
    return toDomain(await this.client.get(kind as ChildKind, this.ref(kind, path)));
  }

  async put(kind: Kind, path: Path, properties: Record<string, unknown>): Promise<Resource> {
    const { resource } = await this.client.createOrUpdate(kind as ChildKind, this.ref(kind, path), properties as never);
    return toDomain(resource);
  }

  async delete(kind: Kind, path: Path): Promise<void> {
    await this.client.delete(this.ref(kind, path));
  }

  async importSpecification(path: Path, request: SpecImport, onProgress?: (status: string) => void): Promise<void> {
    await this.client.importSpecification(this.ref("definition", path), request, (p) => onProgress?.(p.status));
  }

  async exportSpecification(path: Path): Promise<string> {
    return (await this.client.exportSpecification(this.ref("definition", path))).value;
  }

  async exportMetadataSchema(entity: "api" | "environment" | "deployment", target?: ServiceTarget): Promise<string> {
    const svc = resolveService(target, this.defaultService);
    return (await this.client.exportMetadataSchema({ subscriptionId: svc.subscriptionId, resourceGroupName: svc.resourceGroup, serviceName: svc.serviceName }, entity)).value;
  }
}
