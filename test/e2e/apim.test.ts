/**
 * API Management end to end, on a fresh machine: `apicenter-mcp emulator seed-apim` makes a local API
 * Management with three APIs; a real MCP client imports them with import_from_apim (with progress),
 * finds one by its spec's content with search_apis, sees it deployed to the gateway's environment, and
 * audit_inventory's drift rule flags it once its definition changes in API Management; then links the
 * service as an API source, sees it in list_environments, and removes it with delete_resource.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchCli } from "../helpers/cli-process.js";
import { startClient, type TestClient } from "./clients.js";

const spec = (title: string, paths: Record<string, [string, string]>) =>
  JSON.stringify({
    openapi: "3.0.1",
    info: { title, version: "1.0" },
    paths: Object.fromEntries(Object.entries(paths).map(([path, [method, id]]) => [path, { [method]: { operationId: id, summary: id, responses: { "200": { description: "ok" } } } }])),
  });

const dir = mkdtempSync(join(tmpdir(), "apicenter-e2e-apim-"));
const db = join(dir, "apicenter.db");
const files = {
  billing: join(dir, "billing.json"),
  billingV2: join(dir, "billing-v2.json"),
  orders: join(dir, "orders.json"),
  shipping: join(dir, "shipping.json"),
};

/** Runs `apicenter-mcp emulator seed-apim` on the test's database; resolves with what it printed. */
async function seed(...specs: string[]): Promise<{ apimService: string; apis: string[] }> {
  const proc = launchCli(["emulator", "seed-apim", "--db", db, "--apim", "contoso-apim", ...specs.flatMap((s) => ["--spec", s])]);
  let out = "";
  proc.child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => proc.child.once("exit", resolve));
  assert.equal(code, 0, proc.stderr());
  return JSON.parse(out) as { apimService: string; apis: string[] };
}

let c: TestClient;

before(async () => {
  writeFileSync(files.billing, spec("Billing", { "/refunds": ["post", "createRefund"], "/invoices": ["get", "listInvoices"] }));
  writeFileSync(files.billingV2, spec("Billing", { "/refunds": ["post", "createRefund"], "/invoices": ["get", "listInvoices"], "/refunds/{id}/void": ["post", "voidRefund"] }).replace('"/refunds/{id}/void":{"post":{', '"/refunds/{id}/void":{"post":{"parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],'));
  writeFileSync(files.orders, spec("Orders", { "/orders": ["get", "listOrders"] }));
  writeFileSync(files.shipping, spec("Shipping", { "/parcels": ["get", "trackParcel"] }));
});

after(async () => {
  await c?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a local API Management imported through import_from_apim, searched, deployed to its gateway, and flagged when it drifts", async () => {
  const seeded = await seed(files.billing, files.orders, files.shipping);
  assert.deepEqual(seeded.apis, ["billing", "orders", "shipping"]);

  c = await startClient({ era: "modern", transport: "stdio", args: ["--db", db] });
  const ok = async (name: string, args: Record<string, unknown>, onprogress?: (p: { message?: string }) => void) => {
    const r = await c.callTool(name, args, onprogress ? { onprogress } : {});
    assert.ok(!r.isError, `${name}: ${r.content[0]?.text}`);
    return r.structuredContent;
  };

  const dry = await ok("import_from_apim", { apimService: "contoso-apim", dryRun: true });
  assert.deepEqual(dry.apis, ["billing", "orders", "shipping"], "the dry run lists what would come in");
  assert.equal(dry.calls[0].method, "POST");

  const progress: string[] = [];
  const imported = await ok("import_from_apim", { apimService: "contoso-apim" }, (p) => progress.push(p.message ?? ""));
  assert.equal(imported.apimService, seeded.apimService);
  const names = Object.fromEntries((imported.apis as string[]).map((a) => a.split("=") as [string, string]));
  assert.deepEqual(Object.keys(names), ["billing", "orders", "shipping"]);
  assert.ok(Object.values(names).every((n) => /^\d+$/.test(n)), JSON.stringify(names));
  assert.ok(progress.some((m) => /import from API Management/.test(m)), `progress while it ran: ${progress.join(" | ")}`);

  const found = await ok("search_apis", { query: "issue a refund" });
  assert.equal(found.results[0].name, names.billing);
  assert.equal(found.results[0].origin, "API Management contoso-apim.azure-api.net");

  const billing = await ok("get_api", { apiName: names.billing });
  assert.equal(billing.title, "Billing");
  assert.deepEqual(billing.deployments.map((d: { environment: string; runtimeUris: string[] }) => [d.environment, d.runtimeUris]), [["contoso-apim", ["https://contoso-apim.azure-api.net/billing"]]]);
  const environments = (await ok("list_environments", {})).environments;
  assert.deepEqual(environments.map((e: { name: string; serverType: string }) => [e.name, e.serverType]), [["contoso-apim", "Azure API Management"]]);

  assert.deepEqual((await ok("audit_inventory", { rules: ["apim-definition-drift"] })).findings, [], "nothing has changed yet");

  // One API changes in API Management (another process writes the same database, as a second tool would).
  await seed(files.billingV2);
  const audit = await ok("audit_inventory", { rules: ["apim-definition-drift"], refresh: true });
  assert.equal(audit.findings.length, 1);
  const [entity] = audit.findings[0].entities;
  assert.equal(entity.api, names.billing);
  assert.equal(entity.apimApi, "billing");
  assert.match(entity.change, /added POST \/refunds\/\{id\}\/void/);

  // The same service linked as an API source: created, listed beside the environments, removed.
  const linked = await ok("import_from_apim", { apimService: "contoso-apim", apiSourceName: "contoso-link", importSpecification: "always" });
  assert.equal(linked.link, "syncing");
  const listed = await ok("list_environments", {});
  assert.deepEqual(listed.apiSources, [`contoso-link: ${seeded.apimService} -> environment azure-api-management, specs always, syncing`]);
  assert.ok(listed.environments.some((e: { name: string }) => e.name === "azure-api-management"));
  assert.deepEqual((await ok("audit_inventory", { rules: ["apim-definition-drift"], refresh: true })).findings, [], "the source's sync brought the changed spec");
  const removed = await ok("delete_resource", { kind: "apiSource", apiSourceName: "contoso-link", confirm: true });
  assert.match(removed.what, /API source 'contoso-link' with the APIs it synced and environment 'azure-api-management'/);
  assert.equal((await ok("list_environments", {})).apiSources, undefined);
});
