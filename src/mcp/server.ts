/** The server factory: one McpServer per connection (stdio) or per request (HTTP), same surface for both protocol eras. */
import { McpServer } from "@modelcontextprotocol/server";
import { Curation } from "../domain/curation.js";
import type { ApiCenterGateway, Kind, Path } from "../domain/gateway.js";
import { Intelligence } from "../domain/intelligence/intelligence.js";
import { InventoryIndex, type IndexOptions } from "../domain/intelligence/inventory-index.js";
import { Inventory } from "../domain/inventory.js";
import type { SpecLinter } from "../domain/specs/linter.js";
import { registerPrompts } from "./prompts.js";
import { registerTools, selectTools, type Era, type ToolSelection } from "./registry.js";
import { registerResources } from "./resources.js";
import { ALL_TOOLS } from "./tools/index.js";

export interface ServerDeps {
  gateway: ApiCenterGateway;
  selection: ToolSelection;
  version: string;
  index?: IndexOptions;
  /** The engine behind lint_spec. */
  linter: SpecLinter;
  /** Told after every write, so the transports can send list-changed notifications. */
  onInventoryChanged: () => void;
  onUnexpected: (e: Error) => void;
}

const INSTRUCTIONS =
  "This server reads and curates an Azure API Center inventory (APIs, versions, definitions with their specs, environments, deployments, metadata schemas). " +
  "Start with list_apis or get_api; read specs with export_spec in 'summary' mode before asking for more. " +
  "Writes accept dryRun: true to show the ARM calls first; deletes ask the user to confirm.";

export type ServerFactory = (ctx: { era: Era }) => McpServer;

export function createServerFactory(deps: ServerDeps): ServerFactory {
  // Fails at start-up, not on the first request, when the configuration names unknown toolsets.
  const tools = selectTools(ALL_TOOLS, deps.selection);
  const inventory = new Inventory(deps.gateway);
  const index = new InventoryIndex(deps.gateway, deps.index);
  const intelligence = new Intelligence(deps.gateway, index, deps.linter);
  const curation = new Curation(deps.gateway, (kind: Kind, path: Path) => {
    index.invalidate(kind, path);
    deps.onInventoryChanged();
  });
  return ({ era }) => {
    const server = new McpServer(
      { name: "apicenter-mcp", title: "Azure API Center", version: deps.version },
      { instructions: INSTRUCTIONS },
    );
    registerTools(server, tools, { era, context: { inventory, curation, intelligence }, onUnexpected: deps.onUnexpected });
    registerResources(server, inventory);
    registerPrompts(server);
    return server;
  };
}
