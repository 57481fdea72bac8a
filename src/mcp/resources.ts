/**
 * The inventory as resources, so clients can read it without tool calls: the API list, one API, a
 * definition, a definition's spec content (with its mime type), environments and metadata schemas.
 * Template arguments complete from the inventory.
 */
import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/server";
import type { Inventory } from "../domain/inventory.js";
import { definitionView } from "../domain/summaries.js";
import { API_TEMPLATE, APIS_URI, DEFINITION_TEMPLATE, ENVIRONMENTS_URI, METADATA_SCHEMAS_URI, SPEC_TEMPLATE, apiUri } from "./uris.js";

const JSON_MIME = "application/json";
const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: JSON_MIME, text: JSON.stringify(value, null, 2) }] });
const one = (v: string | string[] | undefined): string => decodeURIComponent(Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const startingWith = (prefix: string, names: string[]) => names.filter((n) => n.toLowerCase().startsWith(prefix.toLowerCase())).slice(0, 100);

/** The mime type a spec's text is served with, from its first character and detected type. */
export function specMimeType(text: string, specName: string | undefined): string {
  const first = text.trimStart()[0];
  if (first === "{" || first === "[") return "application/json";
  if (first === "<") return "application/xml";
  if (specName === "graphql") return "application/graphql";
  if (specName === "grpc") return "text/x-protobuf";
  if (specName && ["openapi", "asyncapi", "raml"].includes(specName)) return "application/yaml";
  return "text/plain";
}

export function registerResources(server: McpServer, inventory: Inventory): void {
  const ws = { workspace: "default" };
  const apiNames = async () => (await inventory.gateway.list("api", ws)).map((a) => a.name);
  const versionNames = async (api: string) => (await inventory.gateway.list("version", { ...ws, api })).map((v) => v.name);
  const definitionNames = async (api: string, version: string) => (await inventory.gateway.list("definition", { ...ws, api, version })).map((d) => d.name);
  const complete = {
    apiName: async (value: string) => startingWith(value, await apiNames()),
    versionName: async (value: string, ctx?: { arguments?: Record<string, string> }) =>
      ctx?.arguments?.apiName ? startingWith(value, await versionNames(ctx.arguments.apiName)) : [],
    definitionName: async (value: string, ctx?: { arguments?: Record<string, string> }) =>
      ctx?.arguments?.apiName && ctx.arguments.versionName ? startingWith(value, await definitionNames(ctx.arguments.apiName, ctx.arguments.versionName)) : [],
  };

  server.registerResource(
    "apis",
    APIS_URI,
    { title: "API inventory", description: "Every API with its kind, lifecycle stage, version count and contacts (first 200)", mimeType: JSON_MIME },
    async (uri) => json(uri, await inventory.listApis({ ...ws, limit: 200 })),
  );
  server.registerResource(
    "api",
    new ResourceTemplate(API_TEMPLATE, {
      list: async () => ({
        resources: (await inventory.gateway.list("api", ws)).map((a) => ({ uri: apiUri(a.name), name: a.name, title: String(a.properties.title ?? a.name), mimeType: JSON_MIME })),
      }),
      complete: { apiName: complete.apiName },
    }),
    { title: "An API", description: "One API with its versions, definitions and deployments", mimeType: JSON_MIME },
    async (uri, vars) => json(uri, await inventory.getApi(ws, one(vars.apiName))),
  );
  server.registerResource(
    "definition",
    new ResourceTemplate(DEFINITION_TEMPLATE, { list: undefined, complete }),
    { title: "An API definition", description: "A definition of an API version, with its specification type", mimeType: JSON_MIME },
    async (uri, vars) => json(uri, definitionView(await inventory.getDefinition(ws, one(vars.apiName), one(vars.versionName), one(vars.definitionName)))),
  );
  server.registerResource(
    "spec",
    new ResourceTemplate(SPEC_TEMPLATE, { list: undefined, complete }),
    { title: "Specification content", description: "The spec text of a definition, byte for byte as imported" },
    async (uri, vars) => {
      const [api, version, definition] = [one(vars.apiName), one(vars.versionName), one(vars.definitionName)];
      const [def, text] = await Promise.all([inventory.getDefinition(ws, api, version, definition), inventory.specText(ws, api, version, definition)]);
      const specName = (def.properties.specification as { name?: string } | undefined)?.name?.toLowerCase();
      return { contents: [{ uri: uri.href, mimeType: specMimeType(text, specName), text }] };
    },
  );
  server.registerResource(
    "environments",
    ENVIRONMENTS_URI,
    { title: "Environments", description: "Where APIs are deployed", mimeType: JSON_MIME },
    async (uri) => json(uri, await inventory.listEnvironments(ws)),
  );
  server.registerResource(
    "metadata-schemas",
    METADATA_SCHEMAS_URI,
    { title: "Metadata schemas", description: "The custom properties defined for APIs, environments and deployments", mimeType: JSON_MIME },
    async (uri) => json(uri, await inventory.listMetadataSchemas({})),
  );
}
