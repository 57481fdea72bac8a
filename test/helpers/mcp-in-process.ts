/**
 * The MCP server as the CLI composes it, over an in-process local API Center, driven by the SDK's
 * client through a linked in-memory transport; every ARM request the server sends is recorded.
 */
import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import { ApiCenterArmClient } from "../../src/azure/arm-client.js";
import { ArmGateway } from "../../src/azure/gateway.js";
import { inProcessHttpClient } from "../../src/azure/in-process.js";
import { LocalTokenCredential } from "../../src/azure/pipeline.js";
import { createLogger } from "../../src/cli/log.js";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import { createServerFactory } from "../../src/mcp/server.js";
import { SpectralLinter } from "../../src/spectral/spectral-linter.js";
import { LOCAL_SCOPE } from "./backends.js";

export interface InProcessMcp {
  client: Client;
  /** Method and URL of every ARM request sent, in order. */
  armRequests: string[];
  /** Errors the server reported as unexpected (bugs). */
  unexpected: Error[];
  close(): Promise<void>;
}

export async function mcpInProcess(): Promise<InProcessMcp> {
  const api = new LocalApiCenter({ db: ":memory:", seed: LOCAL_SCOPE });
  const armRequests: string[] = [];
  const unexpected: Error[] = [];
  const arm = new ApiCenterArmClient({
    endpoint: "https://local-api-center.invalid",
    credential: new LocalTokenCredential(),
    httpClient: inProcessHttpClient((r) => {
      armRequests.push(`${r.method} ${r.url}`);
      return api.handle(r);
    }),
    pollIntervalMs: 10,
  });
  const gateway = new ArmGateway(arm, { subscriptionId: LOCAL_SCOPE.subscriptionId, resourceGroup: LOCAL_SCOPE.resourceGroupName, serviceName: LOCAL_SCOPE.serviceName }, "test");
  const factory = createServerFactory({
    gateway,
    selection: { readOnly: false, toolsets: [] },
    version: "0.0.0-test",
    linter: new SpectralLinter(),
    onInventoryChanged: () => {},
    onUnexpected: (e) => void unexpected.push(e),
    log: createLogger("error", new Writable({ write: (_chunk, _encoding, done) => done() })),
  });
  const server = factory({ era: "legacy" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "in-process-test", version: "1.0.0" });
  await client.connect(clientSide);
  return {
    client,
    armRequests,
    unexpected,
    async close() {
      await client.close();
      await server.close();
      await api.close();
    },
  };
}
