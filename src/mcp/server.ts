/** The server factory: one McpServer per connection (stdio) or per request (HTTP), same surface for both protocol eras. */
import { McpServer } from "@modelcontextprotocol/server";
import { ApiManagement } from "../domain/apim/api-management.js";
import { Curation } from "../domain/curation.js";
import type { ApiCenterGateway, Kind, Path } from "../domain/gateway.js";
import type { PlanJournal } from "../domain/journal.js";
import { Intelligence } from "../domain/intelligence/intelligence.js";
import { InventoryIndex, type IndexOptions } from "../domain/intelligence/inventory-index.js";
import { Inventory } from "../domain/inventory.js";
import type { SpecLinter } from "../domain/specs/linter.js";
import { answeringInvalidParams } from "./invalid-params.js";
import { LogRelay, type ServerLog } from "./logging.js";
import { registerPrompts } from "./prompts.js";
import { registerTools, selectTools, type Era, type ToolSelection } from "./registry.js";
import { registerResources } from "./resources.js";
import { ALL_TOOLS } from "./tools/index.js";

export interface ServerDeps {
  gateway: ApiCenterGateway;
  /** The gateway the inventory index crawls through (the same service, its calls paced as bulk work); `gateway` when absent. */
  indexGateway?: ApiCenterGateway;
  selection: ToolSelection;
  version: string;
  index?: IndexOptions;
  /** The engine behind lint_spec. */
  linter: SpecLinter;
  /** Told after every write, so the transports can send list-changed notifications. */
  onInventoryChanged: () => void;
  onUnexpected: (e: Error) => void;
  /** The server's logger: tool calls log through it, and its lines reach clients through MCP logging. */
  log: ServerLog;
  /** Where plans in flight are recorded. */
  journal?: PlanJournal;
  /** Settles once the plans a crash left are dealt with; writes wait for it. */
  recovered?: Promise<unknown>;
}

const INSTRUCTIONS =
  "This server reads and curates an Azure API Center inventory (APIs, versions, definitions with their specs, environments, deployments, metadata schemas), and brings in APIs from API Management. " +
  "Start with search_apis or list_apis: their rows name each API's latest version and definitions, enough for the next call (get_api, analyze_spec, export_spec). " +
  "Every answer's text holds its whole result as JSON after a one-line summary. Writes accept dryRun: true to show the ARM calls first; delete_resource asks the user to confirm.";

export type ServerFactory = (ctx: { era: Era }) => McpServer;

export function createServerFactory(deps: ServerDeps): ServerFactory {
  // Fails at start-up, not on the first request, when the configuration names unknown toolsets.
  const tools = selectTools(ALL_TOOLS, deps.selection);
  const index = new InventoryIndex(deps.indexGateway ?? deps.gateway, { ...deps.index, interactive: deps.gateway });
  const inventory = new Inventory(deps.gateway, index);
  const intelligence = new Intelligence(deps.gateway, index, deps.linter);
  const changed = (kind: Kind, path: Path) => {
    index.invalidate(kind, path);
    deps.onInventoryChanged();
  };
  const curation = new Curation(deps.gateway, changed, { ...(deps.journal ? { journal: deps.journal } : {}), ...(deps.recovered ? { recovered: deps.recovered } : {}) });
  const apim = new ApiManagement(deps.gateway, changed);
  const relay = new LogRelay(deps.log);
  return ({ era }) => {
    const server = new McpServer(
      { name: "apicenter-mcp", title: "Azure API Center", version: deps.version },
      { instructions: INSTRUCTIONS },
    );
    // Every transport (stdio's channel, HTTP's per-request one) is connected here: the one place to fix how refused params are answered.
    const connect = server.connect.bind(server);
    server.connect = (transport) => connect(answeringInvalidParams(transport));
    relay.attach(server, era);
    registerTools(server, tools, { era, context: { inventory, curation, intelligence, apim }, onUnexpected: deps.onUnexpected, log: deps.log, relay });
    registerResources(server, inventory);
    registerPrompts(server);
    return server;
  };
}
