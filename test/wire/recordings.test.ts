/**
 * Replay of the live-Azure recordings (../shared/apicenter-arm/recordings): every interaction the
 * local server serves (Microsoft.ApiCenter 2024-03-01, the local API Management's
 * Microsoft.ApiManagement 2022-08-01, and the role definitions and assignments of Microsoft.Authorization
 * that importing from API Management rests on) is sent, in recorded order, to a local API Center over
 * HTTP, and must answer the recorded status with every recorded response property (ids, timestamps
 * and the names the service makes up aside).
 *
 * The recordings start mid-story: the Azure CLI tests created their fixtures in preparers that were
 * not recorded. So before a recording is replayed, whatever it reads without having written is
 * created through the same ARM API from what the recording shows of it (its first answer), and the
 * spec URLs it imports from are served on loopback from the recorded answers.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse as parseYaml } from "yaml";
import { kindBySegment } from "../../src/arm/resource-types.js";
import { GENERATED, mismatches } from "../helpers/compare.js";
import { startEmulator } from "../helpers/backends.js";
import { ENTITY_OF_SEGMENT, MINIMAL_PROPERTIES } from "../helpers/seeds.js";
import { assertSharedInCi, needsSharedUnlessCi, recordingsDir, sharedAvailable } from "../helpers/shared.js";

type Json = Record<string, unknown>;

interface Interaction {
  request: { method: string; uri: string; body: string | null };
  response: { status: { code: number }; headers: Record<string, string[]>; body: { string: string } };
}

interface Outcome {
  recording: string;
  index: number;
  method: string;
  path: string;
  ok: boolean;
  why?: string;
}

const ARM = "https://management.azure.com";
const API_VERSION = "api-version=2024-03-01";

/** What the local server serves, by provider namespace: the api-versions it answers. */
const SERVED: Record<string, string[]> = {
  "microsoft.apicenter": ["2024-03-01"],
  "microsoft.apimanagement": ["2022-08-01"],
  "microsoft.authorization": ["2022-04-01", "2022-05-01-preview"],
};

/** The provider namespace an ARM URI addresses (the last one named: extension resources count as theirs). */
const namespaceOf = (uri: string): string => {
  const found = [...new URL(uri).pathname.matchAll(/\/providers\/([^/]+)/gi)].pop()?.[1];
  return (found ?? "Microsoft.Resources").toLowerCase();
};

/** Why an interaction is not replayed, or null when it is. */
function notServed(uri: string): string | null {
  if (!uri.startsWith(ARM)) return "not ARM";
  const ns = namespaceOf(uri);
  const version = new URL(uri).searchParams.get("api-version") ?? "";
  if (!SERVED[ns]) return `${ns} (resource groups and the like: any resource group exists locally)`;
  // API sources are the one type this project uses from the 2024-06-01-preview.
  if (ns === "microsoft.apicenter" && version === "2024-06-01-preview" && /\/apiSources(\/|$)/i.test(new URL(uri).pathname)) return null;
  return SERVED[ns].includes(version) ? null : `${ns} at api-version ${version}`;
}

/** Names the service makes up (importFromApim names APIs with decimal strings): compared by shape, not value. */
const GENERATED_NAME = /^\d+$/;

/** The resource path (up to its last name) an ARM URI addresses, and what it does to it. */
function target(uri: string): { resource: string; kind: "resource" | "list" | "action" | "poll" | "other" } {
  const path = new URL(uri).pathname;
  const m = /^(.*\/providers\/Microsoft\.ApiCenter)(\/.*)?$/i.exec(path);
  if (!m || !m[2]) return { resource: path, kind: /\/operationResults\//i.test(path) ? "poll" : "other" };
  const segs = m[2].split("/").filter(Boolean);
  let parent: ReturnType<typeof kindBySegment>["kind" & keyof object] | null = null as never;
  let i = 0;
  let prefix = m[1]!;
  for (; i + 1 < segs.length; i += 2) {
    const t = kindBySegment(parent, segs[i]!);
    if (!t) break;
    prefix += `/${segs[i]}/${segs[i + 1]}`;
    parent = t.kind as never;
  }
  const tail = segs.slice(i);
  if (tail.length === 0) return { resource: prefix, kind: "resource" };
  if (tail.length === 1) return { resource: prefix, kind: kindBySegment(parent, tail[0]!) ? "list" : "action" };
  if (tail[0]!.toLowerCase() === "operationresults") return { resource: prefix, kind: "poll" };
  return { resource: prefix, kind: "other" };
}

const withoutQuery = (u: string) => u.split("?")[0]!;

const parseJson = (s: string | null | undefined): unknown => {
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};

class Replayer {
  readonly outcomes: Outcome[] = [];
  /** Interactions not replayed, by why. */
  readonly skipped = new Map<string, number>();
  private readonly externals = new Map<string, string>();
  /** Metadata schemas a recording uses but never shows, typed after the values it sends. */
  private readonly inferred = new Map<string, Json>();
  private specServer?: Server;
  private specBase = "";

  constructor(private readonly emu: Awaited<ReturnType<typeof startEmulator>>) {}

  async start(): Promise<void> {
    this.specServer = createServer((req, res) => {
      const body = this.externals.get(req.url ?? "");
      res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
      res.end(body ?? "not found");
    });
    await new Promise<void>((r) => this.specServer!.listen(0, "127.0.0.1", r));
    this.specBase = `http://127.0.0.1:${(this.specServer!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.specServer?.close(() => r()));
  }

  private local(uri: string, rg: string): string {
    return uri.replace(ARM, this.emu.http.url).replace(/resourceGroups\/[^/]+/i, `resourceGroups/${rg}`);
  }

  private async call(method: string, url: string, body?: unknown): Promise<{ status: number; headers: Headers; text: string }> {
    const res = await fetch(url, {
      method,
      headers: { authorization: "Bearer replay", "content-type": "application/json" },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  private async seedPut(url: string, body: unknown): Promise<void> {
    const r = await this.call("PUT", `${url}?${API_VERSION}`, body);
    if (r.status >= 300) throw new Error(`seeding PUT ${url} answered ${r.status}: ${r.text}`);
  }

  /** Creates `resource` (and its parents) as the recording first shows it, unless it exists. */
  private async seed(resource: string, shown: Map<string, Json>, rg: string, servicePath: string): Promise<void> {
    const url = this.local(`${ARM}${resource}`, rg);
    const exists = await this.call("GET", `${url}?${API_VERSION}`);
    if (exists.status === 200) return;
    const parentMatch = /^(.*)\/([^/]+)\/([^/]+)$/.exec(resource)!;
    const [, parentPath, segment] = parentMatch;
    if (segment !== "services") await this.seed(parentPath!, shown, rg, servicePath);
    const body = shown.get(resource.toLowerCase());
    if (segment === "services") {
      await this.seedPut(url, {
        location: (body?.location as string) ?? "eastus",
        ...(body?.tags ? { tags: body.tags } : {}),
        ...(body?.identity ? { identity: body.identity } : {}),
        ...(body?.sku ? { sku: body.sku } : {}),
      });
      return;
    }
    const properties: Json = { ...(((body?.properties as Json | undefined) ?? this.inferred.get(resource.toLowerCase()) ?? MINIMAL_PROPERTIES[segment!]) as Json) };
    const custom = properties.customProperties as Json | undefined;
    if (ENTITY_OF_SEGMENT[segment!] && custom) {
      for (const [key, value] of Object.entries(custom)) {
        const schemaUrl = this.local(`${ARM}${servicePath}/metadataSchemas/${key}`, rg);
        const known = shown.get(`${servicePath}/metadataSchemas/${key}`.toLowerCase());
        const existing = await this.call("GET", `${schemaUrl}?${API_VERSION}`);
        if (existing.status === 200) continue;
        await this.seedPut(schemaUrl, {
          properties: (known?.properties as Json | undefined) ?? { schema: JSON.stringify({ type: typeof value }), assignedTo: [{ entity: ENTITY_OF_SEGMENT[segment!] }] },
        });
      }
    }
    await this.seedPut(url, { properties });
    if (segment === "apis" && typeof properties.lifecycleStage === "string") {
      await this.seedPut(`${url}/versions/seeded-stage`, { properties: { title: "seeded", lifecycleStage: properties.lifecycleStage } });
    }
    if (segment === "definitions" && properties.specification) {
      const spec = shown.get(`${resource.toLowerCase()}#spec`);
      const r = await this.call("POST", `${url}/importSpecification?${API_VERSION}`, {
        format: "inline",
        value: (spec?.value as string) ?? "{}",
        specification: properties.specification,
      });
      if (r.status !== 200) throw new Error(`seeding the spec of ${resource} answered ${r.status}`);
    }
  }

  async replay(file: string, rg: string): Promise<void> {
    const doc = parseYaml(readFileSync(join(recordingsDir(), file), "utf8")) as { interactions: Interaction[] };
    const all = doc.interactions;
    // External documents the recording fetched (specs behind links): served on loopback.
    for (const it of all) {
      if (!it.request.uri.startsWith(ARM) && it.request.method === "GET" && it.response.status.code === 200) {
        this.externals.set(`/${encodeURIComponent(it.request.uri)}`, it.response.body.string);
      }
    }
    const arm = all.filter((it) => {
      const why = notServed(it.request.uri);
      if (why && why !== "not ARM") this.skipped.set(why, (this.skipped.get(why) ?? 0) + 1);
      return why === null;
    });
    // What the recording shows of each resource before it writes it: the first answer naming it.
    const shown = new Map<string, Json>();
    const written = new Set<string>();
    for (const it of arm) {
      const t = target(it.request.uri);
      const key = t.resource.toLowerCase();
      const body = parseJson(it.response.body.string) as Json | undefined;
      if (it.request.method === "PUT" && t.kind === "resource") written.add(key);
      if (it.response.status.code !== 200 || !body) continue;
      if (t.kind === "resource" && it.request.method === "GET" && !written.has(key) && !shown.has(key)) shown.set(key, body);
      if (t.kind === "list") {
        for (const item of (body.value as Json[] | undefined) ?? []) {
          const id = new URL(`${ARM}${item.id as string}`).pathname.toLowerCase();
          if (!shown.has(id)) shown.set(id, item);
        }
      }
      if (t.kind === "action" && /exportSpecification/i.test(it.request.uri) && !shown.has(`${key}#spec`)) shown.set(`${key}#spec`, body);
      if (t.kind === "action" && /exportMetadataSchema/i.test(it.request.uri)) {
        // The merged schema reveals the metadata schemas a preparer made: name, schema, and whether required.
        const entity = (parseJson(it.request.body) as Json | undefined)?.assignedTo as string;
        const custom = ((JSON.parse(body.value as string) as Json).properties as Json).customProperties as Json;
        const required = (custom.required as string[]) ?? [];
        for (const [name, schema] of Object.entries((custom.properties as Json) ?? {})) {
          const schemaKey = `${key}/metadataschemas/${name}`.toLowerCase();
          const prior = (shown.get(schemaKey)?.properties as Json | undefined)?.assignedTo as Json[] | undefined;
          shown.set(schemaKey, {
            properties: { schema: JSON.stringify(schema), assignedTo: [...(prior ?? []), { entity, required: required.includes(name) }] },
          });
        }
      }
    }
    if (arm.length === 0) return;
    for (const it of arm) {
      const t = target(it.request.uri);
      const props = (parseJson(it.request.body) as Json | undefined)?.properties as Json | undefined;
      const segment = /\/([^/]+)\/[^/]+$/.exec(t.resource)?.[1] ?? "";
      const entity = ENTITY_OF_SEGMENT[segment];
      const svc = /^(.*\/services\/[^/]+)/i.exec(t.resource)?.[1] ?? "";
      for (const [name, value] of Object.entries((props?.customProperties as Json | undefined) ?? {})) {
        if (!entity) continue;
        const key = `${svc}/metadataSchemas/${name}`.toLowerCase();
        const prior = ((this.inferred.get(key)?.assignedTo as Json[] | undefined) ?? []).filter((a) => a.entity !== entity);
        this.inferred.set(key, { schema: JSON.stringify({ type: typeof value }), assignedTo: [...prior, { entity }] });
      }
    }
    const firstApiCenter = arm.find((it) => namespaceOf(it.request.uri) === "microsoft.apicenter");
    const servicePath = firstApiCenter ? (/^(.*\/services\/[^/]+)/i.exec(new URL(firstApiCenter.request.uri).pathname)?.[1] ?? "") : "";
    // Seed what the recording uses before writing it, and the parents of what it writes.
    const writtenSoFar = new Set<string>();
    const seeds: string[] = [];
    const imports = arm.some((it) => it.request.method === "POST" && /\/importFromApim$/i.test(new URL(it.request.uri).pathname));
    // The service existed before the recording unless the recording creates it (a 201).
    const serviceCreate = arm.find((it) => it.request.method === "PUT" && new URL(it.request.uri).pathname.toLowerCase() === servicePath.toLowerCase());
    if (servicePath && serviceCreate?.response.status.code !== 201) seeds.push(servicePath);
    for (const it of arm) {
      const t = target(it.request.uri);
      if (t.kind === "other") continue;
      const key = t.resource.toLowerCase();
      if (t.kind === "list" && it.response.status.code === 200) {
        for (const item of ((parseJson(it.response.body.string) as Json | undefined)?.value as Json[] | undefined) ?? []) {
          const path = new URL(`${ARM}${item.id as string}`).pathname;
          // What an import made during the recording is not a prerequisite: the replayed import makes it.
          if (imports && GENERATED_NAME.test(String(item.name))) continue;
          if (!writtenSoFar.has(path.toLowerCase())) seeds.push(path);
        }
      }
      if (!/\/services\//i.test(t.resource)) continue;
      if (!/\/metadataSchemas\//i.test(t.resource)) {
        for (const name of Object.keys(((parseJson(it.request.body) as Json | undefined)?.properties as Json | undefined)?.customProperties ?? {})) {
          const schemaPath = `${servicePath}/metadataSchemas/${name}`;
          if (!writtenSoFar.has(schemaPath.toLowerCase())) seeds.push(schemaPath);
        }
      }
      if (t.kind === "action" && /exportMetadataSchema/i.test(it.request.uri)) {
        for (const k of shown.keys()) if (k.startsWith(`${key}/metadataschemas/`)) seeds.push(`${servicePath}/metadataSchemas/${k.split("/").pop()}`);
      }
      if (it.request.method === "PUT" && t.kind === "resource") {
        writtenSoFar.add(key);
        const parent = t.resource.replace(/\/[^/]+\/[^/]+$/, "");
        if (/\/services\//i.test(parent) && !writtenSoFar.has(parent.toLowerCase())) seeds.push(parent);
        continue;
      }
      if (!writtenSoFar.has(key) && (it.response.status.code < 400 || it.request.method === "DELETE")) seeds.push(t.resource);
    }
    // A link import whose document the recording never fetched itself: its content is what export later returned.
    for (const it of arm) {
      const req = parseJson(it.request.body) as Json | undefined;
      if (req?.format !== "link" || typeof req.value !== "string") continue;
      const spec = shown.get(`${target(it.request.uri).resource.toLowerCase()}#spec`);
      const key = `/${encodeURIComponent(req.value)}`;
      if (!this.externals.has(key) && typeof spec?.value === "string") this.externals.set(key, spec.value);
    }
    for (const resource of seeds) await this.seed(resource, shown, rg, servicePath);
    // The service's managed identity got its own principal here: requests that name the recorded one name ours.
    const principals = new Map<string, string>();
    const recordedIdentity = shown.get(servicePath.toLowerCase())?.identity as Json | undefined;
    if (servicePath && typeof recordedIdentity?.principalId === "string") {
      const ours = parseJson((await this.call("GET", `${this.local(`${ARM}${servicePath}`, rg)}?${API_VERSION}`)).text) as Json | undefined;
      const principal = (ours?.identity as Json | undefined)?.principalId;
      if (typeof principal === "string") principals.set(recordedIdentity.principalId, principal);
    }
    const originalRg = /resourceGroups\/([^/]+)/i.exec(arm[0]?.request.uri ?? "")?.[1] ?? rg;
    const localBody = (body: string | undefined) => {
      if (body === undefined) return undefined;
      let out = body.replace(new RegExp(`resourceGroups/${originalRg}/`, "gi"), `resourceGroups/${rg}/`);
      for (const [recorded, ours] of principals) out = out.split(recorded).join(ours);
      return out;
    };

    const locations = new Map<string, string>();
    for (const [index, it] of arm.entries()) {
      const t = target(it.request.uri);
      let url = locations.get(withoutQuery(it.request.uri)) ?? this.local(it.request.uri, rg);
      let body: string | undefined = localBody(it.request.body ?? undefined);
      const reqJson = parseJson(body) as Json | undefined;
      if (reqJson?.format === "link" && typeof reqJson.value === "string") {
        body = JSON.stringify({ ...reqJson, value: `${this.specBase}/${encodeURIComponent(reqJson.value)}` });
      }
      const recorded = it.response.status.code;
      if (t.kind === "poll" && recorded === 200) await this.emu.api.idle();
      const got = await this.call(it.request.method, url, body);
      const location = it.response.headers.location?.[0];
      const ours = got.headers.get("location");
      if (location && ours) locations.set(withoutQuery(location), ours);
      const outcome: Outcome = { recording: file, index, method: it.request.method, path: t.resource, ok: true };
      const statusOk = got.status === recorded || (t.kind === "poll" && recorded === 202 && got.status === 200);
      if (!statusOk) {
        Object.assign(outcome, { ok: false, why: `status ${got.status}, recorded ${recorded}: ${got.text.slice(0, 200)}` });
      } else if (got.status === recorded && it.response.body.string && it.request.method !== "HEAD") {
        const expected = parseJson(it.response.body.string) as Json | undefined;
        const ignore = t.kind === "poll" ? POLL_GENERATED : REPLAY_GENERATED;
        const originalRg = /resourceGroups\/([^/]+)/i.exec(it.request.uri)?.[1] ?? rg;
        const actual = parseJson(got.text.split(rg).join(originalRg)) as Json | undefined;
        // Which running state a poll sees depends on load, and an operation here may even be done already (it runs in milliseconds, not minutes).
        const ahead = t.kind === "poll" && RUNNING.has(String(expected?.status)) && (RUNNING.has(String(actual?.status)) || actual?.status === "Succeeded");
        if (ahead && expected && actual) actual.status = expected.status;
        if (t.kind === "list" && Array.isArray(expected?.value) && Array.isArray(actual?.value)) actual!.value = aligned(expected!.value as Json[], actual!.value as Json[]);
        // An exported metadata schema is JSON inside a string: compared as JSON, not as text.
        const asJson = (v: unknown) => (/exportMetadataSchema/i.test(it.request.uri) && v && typeof (v as Json).value === "string" ? { ...(v as Json), value: parseJson((v as Json).value as string) } : v);
        const found = expected === undefined ? [] : mismatches(asJson(expected), asJson(actual), ignore);
        if (found.length) Object.assign(outcome, { ok: false, why: found.slice(0, 3).join("; ") });
      }
      this.outcomes.push(outcome);
      url = "";
    }
  }
}

/**
 * Known, explained differences between a recording and the local API Center: the recordings were
 * sanitised after capture, and some interactions carry the sanitiser's traces rather than Azure's.
 */
const EXPLAINED: Array<{ test: (o: Outcome) => boolean; why: string }> = [
  {
    why: "the recorded body names the resource differently from the recorded URL (the recording's name sanitiser rewrote one, not the other: URL 'mock-deployment', body 'cli000007')",
    test: (o) => /^\$\.name: expected "[^"]+", got "[^"]+"$/.test(o.why ?? "") && o.path.toLowerCase().endsWith(`/${(/got "([^"]+)"/.exec(o.why!)?.[1] ?? "").toLowerCase()}`),
  },
];

EXPLAINED.push(
  {
    why: "Amazon API Gateway API sources read AWS (keys in Key Vault); the local API Center syncs from Azure API Management only and refuses them with 400",
    test: (o) => o.recording === "test_integration_create_aws.yaml",
  },
  {
    why: "services/portals (portal configuration) is not in the 2024-03-01 swagger; the local API Center answers 404",
    test: (o) => o.recording.startsWith("test_portalconfiguration") && /InvalidResourceType/.test(o.why ?? ""),
  },
);

/** Timestamps the service stamps, and who called (unknown locally: any bearer token is accepted). */
const STAMPED = ["createdAtUtc", "createdOn", "updatedOn", "updatedBy", "lastUpdatedOn"];

/** An operation's id and times are the service's own. */
const POLL_GENERATED = new Set([...GENERATED, ...STAMPED, "name", "startTime", "endTime"]);
const REPLAY_GENERATED = new Set([...GENERATED, ...STAMPED]);
const RUNNING = new Set(["NotStarted", "InProgress"]);

/**
 * A list's items in the recorded order: each recorded item paired with ours of the same name, or, for
 * a name the service made up, with ours of the same title and a made-up name too (which then counts
 * as the recorded one).
 */
function aligned(expected: Json[], actual: Json[]): Json[] {
  const left = [...actual];
  const take = (pred: (a: Json) => boolean) => {
    const i = left.findIndex(pred);
    return i < 0 ? undefined : left.splice(i, 1)[0];
  };
  const out = expected.map((e) => {
    const name = String(e.name ?? "");
    if (!GENERATED_NAME.test(name)) return take((a) => String(a.name).toLowerCase() === name.toLowerCase());
    const title = (e.properties as Json | undefined)?.title;
    const made = take((a) => GENERATED_NAME.test(String(a.name)) && (a.properties as Json | undefined)?.title === title);
    return made ? { ...made, name } : undefined;
  });
  return [...out.map((o) => o ?? {}), ...left];
}

describe("live-Azure recordings replayed against the local API Center over HTTP", needsSharedUnlessCi, () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let replayer: Replayer;
  const files = sharedAvailable ? readdirSync(recordingsDir()).filter((f) => f.endsWith(".yaml")).sort() : [];

  before(async () => {
    assertSharedInCi();
    // API Management services activate at once here; the recordings' polls may then find them done early.
    // API sources stay `initializing` throughout, as in their recording (no sync runs during the replay).
    // The documents behind the recordings' link imports are served on loopback.
    emu = await startEmulator({ seed: false, apimActivationMs: 0, apiSourceFirstSyncMs: null, apiSourceSyncIntervalMs: 0, allowFetchHosts: ["127.0.0.1"] });
    replayer = new Replayer(emu);
    await replayer.start();
  });
  after(async () => {
    await replayer?.stop();
    await emu?.close();
  });

  test(`replays the interactions the local server serves, of ${files.length} recordings`, async (t) => {
    for (const [i, file] of files.entries()) {
      await replayer.replay(file, `replay-${i}`);
    }
    const outcomes = replayer.outcomes;
    const failed = outcomes.filter((o) => !o.ok);
    const unexplained = failed.filter((o) => !EXPLAINED.some((e) => e.test(o)));
    t.diagnostic(`${outcomes.length - failed.length} of ${outcomes.length} recorded interactions match; ${failed.length - unexplained.length} differ for explained reasons`);
    for (const [why, n] of replayer.skipped) t.diagnostic(`  ${n} not replayed: ${why}`);
    for (const e of EXPLAINED) {
      const n = failed.filter((o) => e.test(o)).length;
      t.diagnostic(`  ${n} x ${e.why}`);
    }
    assert.deepEqual(
      unexplained.map((o) => `${o.recording}#${o.index} ${o.method} ${o.path.replace(/^.*\/services\//, "")}: ${(o.why ?? "").slice(0, 300)}`),
      [],
    );
  });
});
