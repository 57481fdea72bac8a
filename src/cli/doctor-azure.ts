/**
 * The Azure half of `apicenter-mcp doctor`: the endpoint, the credential chain, the subscription,
 * the service, one read, and write access checked through ARM's permissions list (nothing written).
 * Each step that the next ones depend on stops the walk when it fails.
 */
import { armScopeFor } from "../arm/api-versions.js";
import { formatResourceId, serviceRef, type ResourceRef } from "../arm/resource-id.js";
import { probeCredentials, type CredentialProbe, type TokenCredential } from "../azure/credentials.js";
import { CREDENTIALS_FIX } from "../azure/errors.js";
import { allows, listPermissions } from "../azure/permissions.js";
import { LocalTokenCredential, checkEndpoint } from "../azure/pipeline.js";
import type { Config } from "../config/config.js";
import { DomainError } from "../domain/errors.js";
import { createBackend } from "./backend.js";
import type { Finding } from "./doctor.js";

const READER = "Azure API Center Service Reader";
const CONTRIBUTOR = "Azure API Center Service Contributor";
const WRITE = "Microsoft.ApiCenter/services/workspaces/apis/write";
const DELETE = "Microsoft.ApiCenter/services/workspaces/apis/delete";

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));
const kindOf = (e: unknown) => (e instanceof DomainError ? e.kind : undefined);

function roleCommand(role: string, serviceId: string, probe?: CredentialProbe): string {
  const who = probe?.identity?.objectId ?? "<the user's, group's or app's object id>";
  return `az role assignment create --assignee ${who} --role "${role}" --scope ${serviceId}`;
}

function credentialFinding(probe: CredentialProbe): Finding {
  const answered = probe.attempts.find((a) => a.outcome === "answered");
  const notes = probe.attempts.filter((a) => a.outcome !== "answered").map((a) => `${a.name}: ${a.outcome}: ${a.message ?? ""}`);
  if (answered) {
    const id = probe.identity;
    const who = id ? ` as ${id.name ?? id.objectId ?? "an unnamed identity"}${id.kind ? ` (${id.kind})` : ""}${id.tenantId ? ` in tenant ${id.tenantId}` : ""}` : "";
    return { status: "ok", subject: "credentials", detail: `${answered.name} answered${who}`, ...(notes.length ? { notes: ["tried before it:", ...notes] } : {}) };
  }
  const stopped = probe.attempts.at(-1)?.outcome === "failed";
  return {
    status: "fail",
    subject: "credentials",
    detail: stopped ? `${probe.attempts.at(-1)!.name} failed, and DefaultAzureCredential stops at a credential that fails` : "no credential of DefaultAzureCredential answered",
    notes,
    fix: stopped ? `fix or unset what ${probe.attempts.at(-1)!.name} uses (see its error above); otherwise ${CREDENTIALS_FIX}` : CREDENTIALS_FIX,
  };
}

export async function* azureFindings(config: Config): AsyncGenerator<Finding> {
  let endpoint: URL;
  try {
    endpoint = checkEndpoint(config.armEndpoint);
  } catch (e) {
    yield { status: "fail", subject: "ARM endpoint", detail: describe(e) };
    return;
  }
  yield { status: "ok", subject: "ARM endpoint", detail: endpoint.origin };

  const scope = config.armScope ?? armScopeFor(endpoint.origin);
  let credential: TokenCredential;
  let probe: CredentialProbe | undefined;
  if (endpoint.protocol === "http:") {
    credential = new LocalTokenCredential();
    yield { status: "ok", subject: "credentials", detail: "the endpoint is a local API Center on loopback, which accepts any bearer token" };
  } else {
    probe = await probeCredentials(scope);
    yield credentialFinding(probe);
    if (!probe.credential) return;
    credential = probe.credential;
  }

  const { client } = createBackend(config, credential);
  const service = { subscriptionId: config.subscriptionId, resourceGroupName: config.resourceGroup, serviceName: config.serviceName };
  const serviceId = formatResourceId(serviceRef(service));

  const visible: Array<{ name: string; group: string }> = [];
  try {
    for await (const s of client.listServices(config.subscriptionId)) {
      visible.push({ name: s.name, group: /\/resourceGroups\/([^/]+)/i.exec(s.id)?.[1] ?? "?" });
    }
    const names = visible.map((s) => `${s.name} (${s.group})`).join(", ");
    yield { status: "ok", subject: "subscription", detail: `${config.subscriptionId}: ${visible.length} API Center service${visible.length === 1 ? "" : "s"} visible${names ? `: ${names}` : ""}` };
  } catch (e) {
    if (kindOf(e) === "forbidden") {
      yield { status: "warn", subject: "subscription", detail: `${config.subscriptionId}: the identity may not list its services (${describe(e)})`, fix: "nothing, if its role is on the service alone" };
    } else {
      const tenant = probe?.identity?.tenantId;
      yield {
        status: "fail",
        subject: "subscription",
        detail: describe(e),
        fix:
          kindOf(e) === "unauthorized"
            ? `sign in to the subscription's own tenant (\`az login --tenant <its tenant id>\`, or AZURE_TENANT_ID)${tenant ? `; the token is from tenant ${tenant}` : ""}`
            : "check AZURE_SUBSCRIPTION_ID / --subscription: `az account list -o table` lists the subscriptions you can use",
      };
      return;
    }
  }

  try {
    const found = await client.getService(service);
    yield { status: "ok", subject: "service", detail: `${config.serviceName} in resource group ${config.resourceGroup} (region ${found.location})` };
  } catch (e) {
    const elsewhere = visible.find((s) => s.name.toLowerCase() === config.serviceName.toLowerCase());
    const fix = elsewhere
      ? `it is in resource group '${elsewhere.group}': set APICENTER_RESOURCE_GROUP=${elsewhere.group} (or pass --resource-group ${elsewhere.group})`
      : visible.length
        ? `set APICENTER_SERVICE / --service and APICENTER_RESOURCE_GROUP / --resource-group to one of: ${visible.map((s) => `${s.name} (${s.group})`).join(", ")}`
        : "check the service name and resource group (`az resource list --resource-type Microsoft.ApiCenter/services -o table`)";
    yield { status: "fail", subject: "service", detail: describe(e), fix: kindOf(e) === "forbidden" ? roleCommand(READER, serviceId, probe) : fix };
    return;
  }

  const workspace: ResourceRef = { ...serviceRef(service), chain: [...serviceRef(service).chain, { kind: "workspace", name: "default" }] };
  try {
    const apis = client.list("api", workspace, { top: 1 })[Symbol.asyncIterator]();
    const first = await apis.next();
    await apis.return?.();
    yield { status: "ok", subject: "read access", detail: `listed the APIs of workspace 'default' (${first.done ? "it is empty" : "it has APIs"})` };
  } catch (e) {
    yield { status: "fail", subject: "read access", detail: describe(e), ...(kindOf(e) === "forbidden" ? { fix: roleCommand(READER, serviceId, probe) } : {}) };
  }

  try {
    const permissions = await listPermissions({ endpoint: endpoint.origin, credential, credentialScopes: scope }, serviceId);
    const write = allows(permissions, WRITE);
    const del = allows(permissions, DELETE);
    if (write && del) {
      yield { status: "ok", subject: "write access", detail: `the identity's roles allow writes and deletes on the service (${WRITE}, checked without writing)` };
    } else if (config.readOnly) {
      yield { status: "ok", subject: "write access", detail: `the identity may not ${write ? "delete" : "write"}, and --read-only is set, so it need not` };
    } else {
      yield {
        status: write ? "warn" : "fail",
        subject: "write access",
        detail: write ? "writes are allowed but deletes are not: the delete_* tools will be refused" : "the identity's roles do not allow writes on the service: register_api and the other write tools will be refused",
        fix: `${roleCommand(CONTRIBUTOR, serviceId, probe)} (run by an Owner or User Access Administrator), or start with --read-only`,
      };
    }
  } catch (e) {
    yield { status: "warn", subject: "write access", detail: `could not be checked: ${describe(e)}` };
  }
}
