/**
 * Writing the inventory. Each use-case checks what it can first (parents exist, names are free to
 * use), then builds a plan and hands it to runPlan: shown on a dry run, applied otherwise, undone
 * on failure.
 */
import { detectSpecification } from "../arm/spec-detect.js";
import { DomainError } from "./errors.js";
import type { ApiCenterGateway, Kind, Path, Step } from "./gateway.js";
import { Fitter, LIMITS, cut } from "./fit.js";
import type { PlanJournal } from "./journal.js";
import { describeStep, runPlan, type PlanResult, type Progress } from "./plan.js";
import { resolveScope, resolveService, type Where } from "./scope.js";
import { parseSpecDocument, slugify, specInfo } from "./specs/spec-doc.js";

export interface WriteOptions {
  dryRun?: boolean;
  onProgress?: Progress;
  /** The caller gave up: the plan stops and what it applied is undone. */
  signal?: AbortSignal;
}

export interface CurationOptions {
  /** Where plans in flight are recorded (absent: a crash mid-plan can leave it half-made). */
  journal?: PlanJournal;
  /** Settles when the plans a crash left have been dealt with: writes wait for it. */
  recovered?: Promise<unknown>;
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

const DEFAULT_VERSION = "1.0.0";
const SPEC_KIND: Record<string, string> = { graphql: "graphql", grpc: "grpc", wsdl: "soap" };

function specRequest(spec: SpecSource) {
  for (const [field, value, what] of [["content", spec.content, "the spec's text"], ["url", spec.url, "a public link to it"]] as const) {
    if (value !== undefined && !value.trim()) {
      throw new DomainError("invalid_input", `the spec's ${field} is empty: give ${what}, or leave the spec out to register the API without one`);
    }
  }
  if ((spec.content === undefined) === (spec.url === undefined)) {
    throw new DomainError("invalid_input", "give the spec as exactly one of content (the text) or url (a public link to it)");
  }
  return {
    format: spec.content !== undefined ? ("inline" as const) : ("link" as const),
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
    private readonly options: CurationOptions = {},
  ) {}

  private ws(where: Where): Path {
    return resolveScope(where, this.gateway.defaultService).path;
  }

  private async run(steps: Step[], opts: WriteOptions): Promise<PlanResult> {
    // A write must not race the undo of an interrupted plan that touched the same resources.
    if (!opts.dryRun) await this.options.recovered;
    try {
      return await runPlan(this.gateway, steps, { ...opts, ...(this.options.journal ? { journal: this.options.journal } : {}) });
    } finally {
      // Even a failed, undone plan may have changed what readers cached (etags, timestamps).
      // An import from API Management touches APIs the caller did not name: the whole workspace counts as changed.
      if (!opts.dryRun) for (const s of steps) this.onChange(s.op === "import" ? "definition" : s.op === "importFromApim" ? "api" : s.kind, s.path);
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

  /**
   * Creates or updates an API, optionally with its first version, a definition and the spec, in one
   * call. What the caller leaves out is taken from the spec's info block, made to fit the service's
   * rules; the notes say what was taken and what was changed.
   */
  async registerApi(input: RegisterApiInput, opts: WriteOptions = {}): Promise<Registered> {
    const notes: string[] = [];
    const fit = new Fitter(notes);
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
    const fullTitle = fromSpec(input.title, info.title, "title");
    if (!fullTitle && !input.apiName) {
      throw new DomainError("invalid_input", `give a title (or an apiName)${doc ? ": the spec's info block has no title" : ", or a spec whose info block has a title"}`);
    }
    const apiName = input.apiName ?? slugify(fullTitle!);
    if (!input.apiName) notes.push(`apiName '${apiName}' made from the title`);
    const contact = input.contacts ? undefined : info.contact && fit.contact(info.contact);
    const license = input.license ? undefined : info.license && fit.license(info.license);
    const docs = input.externalDocumentation ? undefined : info.externalDocs && fit.externalDocs(info.externalDocs);
    const apiProps = Object.fromEntries(
      Object.entries({
        title: fit.text(fullTitle ?? apiName, LIMITS.apiTitle, "title", true),
        kind: input.kind ?? (family ? (SPEC_KIND[family] ?? "rest") : "rest"),
        summary: fit.text(fromSpec(input.summary, info.summary, "summary"), LIMITS.summary, "summary"),
        description: fit.text(fromSpec(input.description, info.description, "description"), LIMITS.description, "description"),
        contacts: fromSpec(input.contacts, contact && [contact], "contacts"),
        license: fromSpec(input.license, license, "license"),
        termsOfService: fromSpec(input.termsOfService, info.termsOfService && fit.whole(info.termsOfService, LIMITS.termsUrl, "terms of service URL") ? { url: info.termsOfService } : undefined, "terms of service"),
        externalDocumentation: fromSpec(input.externalDocumentation, docs && [docs], "external documentation"),
        customProperties: input.customProperties,
      }).filter(([, v]) => v !== undefined),
    );
    const apiPath = { ...this.ws(input), api: apiName };
    const steps: Step[] = [{ op: "put", kind: "api", path: apiPath, properties: apiProps }];
    const result: Omit<Registered, keyof PlanResult> = { apiName, notes };

    if (input.version || spec || input.definition) {
      const fullVersionTitle = input.version?.title ?? info.version ?? input.version?.name ?? DEFAULT_VERSION;
      const versionName = input.version?.name ?? slugify(fullVersionTitle, "version");
      if (!input.version?.name) {
        const from = input.version?.title ? "the version title" : info.version ? "the spec's version" : `'${DEFAULT_VERSION}' (the spec gives no version)`;
        notes.push(`versionName '${versionName}' made from ${from}`);
      }
      const versionTitle = fit.text(fullVersionTitle, LIMITS.versionTitle, "version title", true)!;
      const versionPath = { ...apiPath, version: versionName };
      steps.push({ op: "put", kind: "version", path: versionPath, properties: { title: versionTitle, lifecycleStage: input.version?.lifecycleStage ?? "design" } });
      result.versionName = versionName;
      if (spec || input.definition) {
        const definitionName = input.definition?.name ?? family ?? "default";
        const defPath = { ...versionPath, definition: definitionName };
        const definitionTitle = fit.text(input.definition?.title ?? definitionName, LIMITS.definitionTitle, "definition title", true)!;
        steps.push({
          op: "put",
          kind: "definition",
          path: defPath,
          properties: { title: definitionTitle, ...(input.definition?.description ? { description: input.definition.description } : {}) },
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
        title: input.title ?? cut(`${input.api} in ${input.environment}`, LIMITS.deploymentTitle),
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
    if (kind === "apiSource") {
      const env = /\/environments\/([^/]+)$/i.exec(String(found.properties.targetEnvironmentId ?? ""))?.[1];
      return `API source '${name}' with the APIs it synced${env ? ` and environment '${env}'` : ""} (the service deletes them with it)`;
    }
    return `${kind} '${name}'`;
  }

  async delete(kind: Kind, path: Path, opts: WriteOptions = {}): Promise<PlanResult> {
    return this.run([{ op: "delete", kind, path }], opts);
  }
}
