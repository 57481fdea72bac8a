/**
 * Writing the inventory. Each use-case checks what it can first (parents exist, names are free to
 * use), then builds a plan and hands it to runPlan: shown on a dry run, applied otherwise, undone
 * on failure.
 */
import { detectSpecification } from "../arm/spec-detect.js";
import { DomainError } from "./errors.js";
import type { ApiCenterGateway, Kind, Path, Step } from "./gateway.js";
import { describeStep, runPlan, type PlanResult, type Progress } from "./plan.js";
import { resolveScope, resolveService, type Where } from "./scope.js";
import { parseSpecDocument, slugify, specInfo } from "./specs/spec-doc.js";

export interface WriteOptions {
  dryRun?: boolean;
  onProgress?: Progress;
}

export interface SpecSource {
  /** The spec text itself. */
  content?: string;
  /** A public URL the service fetches the spec from. */
  url?: string;
  specificationName?: string;
  specificationVersion?: string;
}

export interface RegisterApiInput extends Where {
  apiName?: string;
  title?: string;
  kind?: string;
  summary?: string;
  description?: string;
  contacts?: Array<{ name?: string; email?: string; url?: string }>;
  license?: { name?: string; url?: string; identifier?: string };
  termsOfService?: { url: string };
  externalDocumentation?: Array<{ url: string; title?: string; description?: string }>;
  customProperties?: Record<string, unknown>;
  version?: { name?: string; title?: string; lifecycleStage?: string };
  definition?: { name?: string; title?: string; description?: string };
  spec?: SpecSource;
}

export interface Registered extends PlanResult {
  apiName: string;
  versionName?: string;
  definitionName?: string;
  /** What was taken from the spec or shortened, so the caller knows what it did not say itself. */
  notes: string[];
}

const DESCRIPTION_MAX = 1000;
const SUMMARY_MAX = 200;

const SPEC_KIND: Record<string, string> = { graphql: "graphql", grpc: "grpc", wsdl: "soap" };

function specRequest(spec: SpecSource) {
  if (!spec.content === !spec.url) {
    throw new DomainError("invalid_input", "give the spec as exactly one of content (the text) or url (a public link to it)");
  }
  return {
    format: spec.content ? ("inline" as const) : ("link" as const),
    value: (spec.content ?? spec.url)!,
    ...(spec.specificationName
      ? { specification: { name: spec.specificationName, ...(spec.specificationVersion ? { version: spec.specificationVersion } : {}) } }
      : {}),
  };
}

export class Curation {
  constructor(
    private readonly gateway: ApiCenterGateway,
    private readonly onChange: (kind: Kind, path: Path) => void = () => {},
  ) {}

  private ws(where: Where): Path {
    return resolveScope(where, this.gateway.defaultService).path;
  }

  private async run(steps: Step[], opts: WriteOptions): Promise<PlanResult> {
    try {
      return await runPlan(this.gateway, steps, opts);
    } finally {
      // Even a failed, undone plan may have changed what readers cached (etags, timestamps).
      if (!opts.dryRun) for (const s of steps) this.onChange(s.op === "import" ? "definition" : s.kind, s.path);
    }
  }

  /** Checks the steps as the real calls would be checked (names, properties) before anything is read or written. */
  private checked(steps: Step[]): Step[] {
    for (const step of steps) describeStep(this.gateway, step);
    return steps;
  }

  private async requireExists(kind: Kind, path: Path, hint: string): Promise<void> {
    if (!(await this.gateway.find(kind, path))) {
      const name = String((path as Record<string, unknown>)[kind] ?? "");
      throw new DomainError("not_found", `${kind === "api" ? "API" : kind} '${name}' does not exist in workspace '${path.workspace ?? "default"}'; ${hint}`);
    }
  }

  /** Creates or updates an API, optionally with its first version, a definition and the spec, in one call. */
  async registerApi(input: RegisterApiInput, opts: WriteOptions = {}): Promise<Registered> {
    const notes: string[] = [];
    const spec = input.spec;
    const request = spec ? specRequest(spec) : undefined;
    const family = spec?.content ? detectSpecification(spec.content)?.name : spec?.specificationName?.toLowerCase();
    const doc = spec?.content ? parseSpecDocument(spec.content) : null;
    const info = doc ? specInfo(doc) : {};
    const fromSpec = <T>(given: T | undefined, derived: T | undefined, what: string): T | undefined => {
      if (given !== undefined) return given;
      if (derived !== undefined) notes.push(`${what} taken from the spec`);
      return derived;
    };
    const title = fromSpec(input.title, info.title, "title");
    if (!title && !input.apiName) {
      throw new DomainError("invalid_input", "give a title (or an apiName), or a spec whose info block has a title");
    }
    const apiName = input.apiName ?? slugify(title!);
    if (!input.apiName) notes.push(`apiName '${apiName}' made from the title`);
    let description = fromSpec(input.description, info.description, "description");
    if (description && description.length > DESCRIPTION_MAX) {
      description = `${description.slice(0, DESCRIPTION_MAX - 1)}…`;
      notes.push(`description shortened to ${DESCRIPTION_MAX} characters (the service's limit)`);
    }
    let summary = fromSpec(input.summary, info.summary, "summary");
    if (summary && summary.length > SUMMARY_MAX) {
      summary = `${summary.slice(0, SUMMARY_MAX - 1)}…`;
      notes.push(`summary shortened to ${SUMMARY_MAX} characters`);
    }
    const contacts = fromSpec(input.contacts, info.contact ? [info.contact] : undefined, "contacts");
    const license = fromSpec(input.license, info.license, "license");
    const termsOfService = fromSpec(input.termsOfService, info.termsOfService ? { url: info.termsOfService } : undefined, "terms of service");
    const externalDocumentation = fromSpec(
      input.externalDocumentation,
      info.externalDocs ? [{ url: info.externalDocs.url, ...(info.externalDocs.description ? { description: info.externalDocs.description.slice(0, 500) } : {}) }] : undefined,
      "external documentation",
    );
    const kind = input.kind ?? (family ? (SPEC_KIND[family] ?? "rest") : "rest");
    const apiProps = Object.fromEntries(
      Object.entries({ title: title ?? apiName, kind, summary, description, contacts, license, termsOfService, externalDocumentation, customProperties: input.customProperties }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    const apiPath = { ...this.ws(input), api: apiName };
    const steps: Step[] = [{ op: "put", kind: "api", path: apiPath, properties: apiProps }];
    const result: Omit<Registered, keyof PlanResult> = { apiName, notes };

    if (input.version || spec || input.definition) {
      const versionTitle = input.version?.title ?? info.version ?? input.version?.name ?? "1.0.0";
      const versionName = input.version?.name ?? slugify(versionTitle);
      if (!input.version?.name) notes.push(`versionName '${versionName}' made from ${info.version ? "the spec's version" : "the version title"}`);
      const versionPath = { ...apiPath, version: versionName };
      steps.push({ op: "put", kind: "version", path: versionPath, properties: { title: versionTitle, lifecycleStage: input.version?.lifecycleStage ?? "design" } });
      result.versionName = versionName;
      if (spec || input.definition) {
        const definitionName = input.definition?.name ?? family ?? "default";
        const defPath = { ...versionPath, definition: definitionName };
        steps.push({
          op: "put",
          kind: "definition",
          path: defPath,
          properties: { title: input.definition?.title ?? definitionName, ...(input.definition?.description ? { description: input.definition.description } : {}) },
        });
        result.definitionName = definitionName;
        if (request) steps.push({ op: "import", path: defPath, request });
      }
    }
    return { ...result, ...(await this.run(steps, opts)) };
  }

  async createVersion(where: Where, api: string, version: { name: string; title?: string; lifecycleStage: string }, opts: WriteOptions = {}): Promise<PlanResult> {
    const apiPath = { ...this.ws(where), api };
    const steps = this.checked([{ op: "put", kind: "version", path: { ...apiPath, version: version.name }, properties: { title: version.title ?? version.name, lifecycleStage: version.lifecycleStage } }]);
    await this.requireExists("api", apiPath, "register it first with register_api (list_apis shows the names)");
    return this.run(steps, opts);
  }

  /** Imports a spec into a definition, creating the definition when it is missing. */
  async importSpec(
    where: Where,
    target: { api: string; version: string; definition?: string; definitionTitle?: string },
    spec: SpecSource,
    opts: WriteOptions = {},
  ): Promise<PlanResult & { definitionName: string; createdDefinition: boolean }> {
    const request = specRequest(spec);
    const versionPath = { ...this.ws(where), api: target.api, version: target.version };
    const definitionName = target.definition ?? (spec.content ? detectSpecification(spec.content)?.name : spec.specificationName?.toLowerCase()) ?? "default";
    const defPath = { ...versionPath, definition: definitionName };
    this.checked([{ op: "import", path: defPath, request }]);
    await this.requireExists("version", versionPath, `create it with create_version (get_api '${target.api}' shows its versions)`);
    const exists = (await this.gateway.find("definition", defPath)) !== null;
    const steps: Step[] = exists ? [] : [{ op: "put", kind: "definition", path: defPath, properties: { title: target.definitionTitle ?? definitionName } }];
    steps.push({ op: "import", path: defPath, request });
    return { ...(await this.run(steps, opts)), definitionName, createdDefinition: !exists };
  }

  async createDeployment(
    where: Where,
    input: {
      api: string;
      deployment: string;
      environment: string;
      version: string;
      definition: string;
      runtimeUris: string[];
      title?: string;
      description?: string;
      state?: string;
      customProperties?: Record<string, unknown>;
    },
    opts: WriteOptions = {},
  ): Promise<PlanResult & { environmentId: string; definitionId: string }> {
    const ws = this.ws(where);
    const workspace = ws.workspace!;
    const environmentId = `/workspaces/${workspace}/environments/${input.environment}`;
    const definitionId = `/workspaces/${workspace}/apis/${input.api}/versions/${input.version}/definitions/${input.definition}`;
    const properties = Object.fromEntries(
      Object.entries({
        title: input.title ?? `${input.api} in ${input.environment}`.slice(0, 50),
        description: input.description,
        environmentId,
        definitionId,
        state: input.state ?? "active",
        server: { runtimeUri: input.runtimeUris },
        customProperties: input.customProperties,
      }).filter(([, v]) => v !== undefined),
    );
    const steps = this.checked([{ op: "put", kind: "deployment", path: { ...ws, api: input.api, deployment: input.deployment }, properties }]);
    await this.requireExists("environment", { ...ws, environment: input.environment }, "create it with create_environment (list_environments shows the names)");
    await this.requireExists(
      "definition",
      { ...ws, api: input.api, version: input.version, definition: input.definition },
      `import a spec into it with import_spec (get_api '${input.api}' shows the versions and definitions)`,
    );
    return { ...(await this.run(steps, opts)), environmentId, definitionId };
  }

  async createEnvironment(where: Where, name: string, properties: Record<string, unknown>, opts: WriteOptions = {}): Promise<PlanResult> {
    return this.run([{ op: "put", kind: "environment", path: { ...this.ws(where), environment: name }, properties }], opts);
  }

  async defineMetadata(
    where: Where,
    name: string,
    schema: unknown,
    assignedTo: Array<{ entity: string; required?: boolean; deprecated?: boolean }>,
    opts: WriteOptions = {},
  ): Promise<PlanResult> {
    const text = typeof schema === "string" ? schema : JSON.stringify(schema);
    return this.run([{ op: "put", kind: "metadataSchema", path: { service: resolveService(where.service, this.gateway.defaultService), metadataSchema: name }, properties: { schema: text, assignedTo } }], opts);
  }

  /** What deleting would take with it, so the confirmation can say so. */
  async deletionImpact(kind: Kind, path: Path): Promise<string> {
    const found = await this.gateway.find(kind, path);
    const name = String((path as Record<string, unknown>)[kind] ?? "");
    if (!found) throw new DomainError("not_found", `${kind} '${name}' does not exist; nothing to delete`);
    if (kind === "api") {
      const [versions, deployments] = await Promise.all([this.gateway.list("version", path), this.gateway.list("deployment", path)]);
      return `API '${name}' with its ${versions.length} version(s), their definitions and specs, and ${deployments.length} deployment(s)`;
    }
    if (kind === "version") {
      const defs = await this.gateway.list("definition", path);
      return `version '${name}' of API '${path.api}' with its ${defs.length} definition(s)`;
    }
    if (kind === "environment") return `environment '${name}' (deployments that point at it will be left pointing at nothing)`;
    if (kind === "metadataSchema") return `metadata schema '${name}' (values already set on entities stay, unchecked)`;
    return `${kind} '${name}'`;
  }

  async delete(kind: Kind, path: Path, opts: WriteOptions = {}): Promise<PlanResult> {
    return this.run([{ op: "delete", kind, path }], opts);
  }
}
