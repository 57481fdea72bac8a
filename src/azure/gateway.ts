/** The domain's ApiCenterGateway over the ARM client: names become ARM ids, ARM resources become domain ones. */
import { API_VERSION } from "../arm/api-versions.js";
import type { ChildKind } from "../arm/models.js";
import { formatResourceId, type ResourceRef } from "../arm/resource-id.js";
import { PROPERTIES_SCHEMAS } from "../arm/models.js";
import { RESOURCE_TYPES, kindChain, nameProblem, type ResourceKind } from "../arm/resource-types.js";
import { detectSpecification } from "../arm/spec-detect.js";
import { customPropertyProblems } from "../arm/custom-properties.js";
import { DomainError } from "../domain/errors.js";
import type {
  ApiCenterGateway,
  ArmCall,
  Kind,
  ListFilter,
  Path,
  Resource,
  ServiceInfo,
  ServiceTarget,
  SpecImport,
  Step,
} from "../domain/gateway.js";
import type { ApiCenterArmClient } from "./arm-client.js";

const PATH_KEY: Record<Exclude<ResourceKind, "service">, keyof Path> = {
  metadataSchema: "metadataSchema",
  workspace: "workspace",
  api: "api",
  version: "version",
  definition: "definition",
  deployment: "deployment",
  environment: "environment",
};

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

  private service(target?: ServiceTarget): Required<ServiceTarget> {
    return {
      subscriptionId: target?.subscriptionId ?? this.defaultService.subscriptionId,
      resourceGroup: target?.resourceGroup ?? this.defaultService.resourceGroup,
      serviceName: target?.serviceName ?? this.defaultService.serviceName,
    };
  }

  /** The ARM reference of `kind` at `path`; a missing name in the chain is a programming error. */
  ref(kind: ResourceKind, path: Path): ResourceRef {
    const svc = this.service(path.service);
    const chain = kindChain(kind).map((k) => {
      if (k === "service") return { kind: k, name: svc.serviceName };
      const name = k === "workspace" ? (path.workspace ?? "default") : path[PATH_KEY[k]];
      if (typeof name !== "string" || !name) throw new DomainError("invalid_input", `a ${RESOURCE_TYPES[k].label} name is needed`);
      const problem = nameProblem(k, name);
      if (problem) throw new DomainError("invalid_input", problem);
      return { kind: k, name };
    });
    return { subscriptionId: svc.subscriptionId, resourceGroupName: svc.resourceGroup, chain };
  }

  async listServices(target?: ServiceTarget): Promise<ServiceInfo[]> {
    const svc = this.service(target);
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
    const svc = this.service(target);
    return (await this.client.exportMetadataSchema({ subscriptionId: svc.subscriptionId, resourceGroupName: svc.resourceGroup, serviceName: svc.serviceName }, entity)).value;
  }

  customPropertyProblems(entity: "api" | "environment" | "deployment", values: Record<string, unknown> | undefined, metadataSchemas: Resource[]) {
    return customPropertyProblems(
      entity,
      values,
      metadataSchemas.map((m) => ({
        name: m.name,
        schema: String(m.properties.schema ?? ""),
        assignedTo: (m.properties.assignedTo as Array<{ entity?: string; required?: boolean; deprecated?: boolean }> | undefined) ?? [],
      })),
    );
  }

  detect(content: string): { name: string; version?: string } | null {
    return detectSpecification(content);
  }

  describe(step: Step): ArmCall {
    const kind: ResourceKind = step.op === "import" ? "definition" : step.kind;
    const url = `${this.client.endpoint}${formatResourceId(this.ref(kind, step.path))}`;
    const q = `?api-version=${API_VERSION}`;
    if (step.op === "put") {
      const checked = PROPERTIES_SCHEMAS[step.kind].safeParse(step.properties);
      if (!checked.success) {
        const why = checked.error.issues.map((i) => `${i.path.join(".") || "properties"}: ${i.message}`).join("; ");
        throw new DomainError("invalid_input", `the ${RESOURCE_TYPES[step.kind].label} properties are invalid: ${why}`);
      }
      return { method: "PUT", url: url + q, body: { properties: step.properties } };
    }
    if (step.op === "delete") return { method: "DELETE", url: url + q };
    const { value, ...rest } = step.request;
    // The spec text can be megabytes: the dry run shows its size, not its bytes.
    const shown = step.request.format === "inline" ? `<${Buffer.byteLength(value, "utf8")} bytes of specification>` : value;
    return { method: "POST", url: `${url}/importSpecification${q}`, body: { ...rest, value: shown } };
  }
}
