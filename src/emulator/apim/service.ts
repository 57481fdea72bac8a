/**
 * An API Management service as live Azure shows it (../shared/apim-arm/README.md): a PUT answers 201
 * with `provisioningState: Activating` and an operationResults URL in both `location` and
 * `azure-asyncoperation`; polls answer 200 `{"status":"InProgress"}` until 200 `{"status":"Succeeded"}`;
 * then GET shows `Succeeded` with the default TLS settings filled in. Activation here takes
 * `activationMs`, decided from the clock on every read, so a restart never strands it.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { APIM_API_VERSION, ApimServicePayload } from "../../arm/apim/models.js";
import type { ApimServiceRef } from "../../arm/apim/resource-id.js";
import type { ResourceDoc, StoredResource } from "../store.js";
import { apimEtag } from "./resources.js";

/** Azure regions by programmatic name: a service's `location` comes back as the display name. */
const REGION_NAMES: Record<string, string> = {
  eastus: "East US",
  eastus2: "East US 2",
  westus: "West US",
  westus2: "West US 2",
  westus3: "West US 3",
  centralus: "Central US",
  northcentralus: "North Central US",
  southcentralus: "South Central US",
  westcentralus: "West Central US",
  canadacentral: "Canada Central",
  canadaeast: "Canada East",
  brazilsouth: "Brazil South",
  northeurope: "North Europe",
  westeurope: "West Europe",
  uksouth: "UK South",
  ukwest: "UK West",
  francecentral: "France Central",
  germanywestcentral: "Germany West Central",
  switzerlandnorth: "Switzerland North",
  norwayeast: "Norway East",
  swedencentral: "Sweden Central",
  polandcentral: "Poland Central",
  italynorth: "Italy North",
  eastasia: "East Asia",
  southeastasia: "Southeast Asia",
  japaneast: "Japan East",
  japanwest: "Japan West",
  koreacentral: "Korea Central",
  australiaeast: "Australia East",
  australiasoutheast: "Australia Southeast",
  centralindia: "Central India",
  southindia: "South India",
  uaenorth: "UAE North",
  southafricanorth: "South Africa North",
  qatarcentral: "Qatar Central",
};

export const regionDisplayName = (location: string): string => REGION_NAMES[location.replace(/\s+/g, "").toLowerCase()] ?? location;

/** What a new service's gateway applies until told otherwise (seen on live Consumption services). */
const DEFAULT_CUSTOM_PROPERTIES: Record<string, string> = {
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10": "False",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11": "False",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10": "False",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11": "False",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30": "False",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Protocols.Server.Http2": "False",
};

interface Activation {
  operationId: string;
  readyAt: string;
}

export type ServicePayloadResult = { ok: true; doc: ResourceDoc } | { ok: false; message: string };

/** Identities get the principal ids Entra ID would assign; ones already assigned are kept. */
function withPrincipal(identity: Record<string, unknown> | null | undefined, previous: Record<string, unknown> | null | undefined) {
  if (!identity || String(identity.type).toLowerCase() === "none") return null;
  const out: Record<string, unknown> = { ...identity };
  if (String(identity.type).toLowerCase().includes("systemassigned")) {
    out.principalId = previous?.principalId ?? randomUUID();
    out.tenantId = previous?.tenantId ?? randomUUID();
  }
  const users = identity.userAssignedIdentities as Record<string, unknown> | undefined;
  if (users) {
    const before = (previous?.userAssignedIdentities ?? {}) as Record<string, Record<string, unknown>>;
    out.userAssignedIdentities = Object.fromEntries(Object.keys(users).map((id) => [id, before[id] ?? { principalId: randomUUID(), clientId: randomUUID() }]));
  }
  return out;
}

/** The stored doc of a service PUT; a new one starts activating, an existing one keeps its state. */
export function servicePayload(
  ref: ApimServiceRef,
  body: Record<string, unknown>,
  existing: StoredResource | undefined,
  activationMs: number,
): ServicePayloadResult {
  const parsed = ApimServicePayload.safeParse(body);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const { location, sku, properties, identity, tags, zones } = parsed.data;
  if (existing && regionDisplayName(existing.doc.location!) !== regionDisplayName(location)) {
    return { ok: false, message: `the service is in '${existing.doc.location}'; its location cannot change to '${location}'` };
  }
  const now = new Date();
  const state: Record<string, unknown> = existing?.doc.state ?? {
    createdAtUtc: now.toISOString(),
    // The operation's id as live Azure shapes it: base64 of "{region}:{name}_Act_{hex}".
    activation: {
      operationId: Buffer.from(`${location.replace(/\s+/g, "").toLowerCase()}:${ref.serviceName.toLowerCase()}${randomBytes(6).toString("hex")}_Act_${randomBytes(4).toString("hex")}`).toString("base64"),
      readyAt: new Date(now.getTime() + activationMs).toISOString(),
    } satisfies Activation,
  };
  const kept = (existing?.doc.properties ?? {}) as Record<string, unknown>;
  return {
    ok: true,
    doc: {
      location,
      sku,
      tags: tags ?? {},
      identity: withPrincipal(identity, existing?.doc.identity),
      zones: zones ?? null,
      state,
      properties: {
        publisherEmail: properties.publisherEmail,
        publisherName: properties.publisherName,
        notificationSenderEmail: properties.notificationSenderEmail ?? kept.notificationSenderEmail ?? "apimgmt-noreply@mail.windowsazure.com",
        virtualNetworkType: properties.virtualNetworkType ?? "None",
        publicNetworkAccess: properties.publicNetworkAccess ?? "Enabled",
        disableGateway: properties.disableGateway ?? false,
        customProperties: properties.customProperties ?? kept.customProperties ?? null,
        apiVersionConstraint: properties.apiVersionConstraint ?? kept.apiVersionConstraint ?? { minApiVersion: null },
        ...(properties.enableClientCertificate != null ? { enableClientCertificate: properties.enableClientCertificate } : {}),
      },
    },
  };
}

const activationOf = (r: StoredResource) => (r.doc.state?.activation ?? null) as Activation | null;

/** Whether the service is still activating at `now`. */
export const isActivating = (r: StoredResource, now = Date.now()): boolean => {
  const a = activationOf(r);
  return !!a && Date.parse(a.readyAt) > now;
};

/** The id its create's poll URL carries, when `operationId` is it. */
export const isActivationOf = (r: StoredResource, operationId: string): boolean => activationOf(r)?.operationId === operationId;

/** `{service}/operationResults/{id}?api-version=...&asyncResponse`, as `location` and `azure-asyncoperation` give it. */
export function activationUrl(origin: string, r: StoredResource): string {
  return `${origin}${r.id}/operationResults/${encodeURIComponent(activationOf(r)!.operationId)}?api-version=${APIM_API_VERSION}&asyncResponse`;
}

/** The service as GET answers it (`asCreated`: as the create's own 201 answers it, still activating). */
export function renderService(r: StoredResource, asCreated = false): Record<string, unknown> {
  const activating = asCreated || isActivating(r);
  const p = r.doc.properties;
  const sku = r.doc.sku as { name: string; capacity: number };
  const consumption = sku.name.toLowerCase() === "consumption";
  // Host names are the service name in lower case (see the list example and the recordings).
  const name = r.name.toLowerCase();
  const host = (kind: string) => `https://${name}.${kind}azure-api.net`;
  const region = String(r.doc.location).replace(/\s+/g, "").toLowerCase();
  const custom = (p.customProperties as Record<string, string> | null) ?? null;
  return {
    etag: apimEtag(r),
    properties: {
      publisherEmail: p.publisherEmail,
      publisherName: p.publisherName,
      notificationSenderEmail: p.notificationSenderEmail,
      provisioningState: activating ? "Activating" : "Succeeded",
      targetProvisioningState: activating ? "Activating" : "",
      createdAtUtc: r.doc.state?.createdAtUtc,
      gatewayUrl: host(""),
      gatewayRegionalUrl: consumption ? null : `https://${name}-${region}-01.regional.azure-api.net`,
      portalUrl: consumption ? null : host("portal."),
      developerPortalUrl: consumption ? null : host("developer."),
      managementApiUrl: consumption ? null : host("management."),
      scmUrl: consumption ? null : host("scm."),
      hostnameConfigurations: [
        {
          type: "Proxy",
          hostName: `${name}.azure-api.net`,
          encodedCertificate: null,
          keyVaultId: null,
          certificatePassword: null,
          negotiateClientCertificate: false,
          certificate: null,
          defaultSslBinding: true,
          identityClientId: null,
          certificateSource: "BuiltIn",
          certificateStatus: null,
        },
      ],
      publicIPAddresses: null,
      privateIPAddresses: null,
      additionalLocations: null,
      virtualNetworkConfiguration: null,
      customProperties: activating ? custom : { ...DEFAULT_CUSTOM_PROPERTIES, ...(custom ?? {}) },
      virtualNetworkType: p.virtualNetworkType,
      certificates: null,
      disableGateway: p.disableGateway,
      natGatewayState: "Disabled",
      outboundPublicIPAddresses: null,
      apiVersionConstraint: p.apiVersionConstraint ?? { minApiVersion: null },
      ...(p.enableClientCertificate !== undefined ? { enableClientCertificate: p.enableClientCertificate } : {}),
      publicIpAddressId: null,
      publicNetworkAccess: p.publicNetworkAccess,
      privateEndpointConnections: null,
      platformVersion: consumption ? "mtv1" : "stv2",
    },
    sku,
    identity: r.doc.identity ?? null,
    zones: r.doc.zones ?? null,
    systemData: { createdAt: r.createdAt, lastModifiedAt: r.modifiedAt },
    location: regionDisplayName(String(r.doc.location)),
    tags: r.doc.tags ?? {},
    id: r.id,
    name: r.name,
    type: "Microsoft.ApiManagement/service",
  };
}

/** The gateway's base URL, where an API with path `p` answers at `{gatewayUrl}/{p}`. */
export const gatewayUrlOf = (r: StoredResource): string => `https://${r.name.toLowerCase()}.azure-api.net`;

