/**
 * Crash recovery: the MCP server (local backend, over stdio) registers APIs with their specs in a
 * loop and is SIGKILLed mid-loop, until a kill has landed inside a plan (its journal record is left
 * behind). Each start undoes the plans the previous one left, one log line each. At the end: no
 * half-made API, every acknowledged registration whole, the journal empty.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ApiCenterArmClient } from "../../src/azure/arm-client.js";
import { ArmGateway } from "../../src/azure/gateway.js";
import { inProcessHttpClient } from "../../src/azure/in-process.js";
import { LocalTokenCredential } from "../../src/azure/pipeline.js";
import { LOCAL_SERVICE } from "../../src/config/config.js";
import { LocalApiCenter } from "../../src/emulator/local-api-center.js";
import { seededRandom } from "../helpers/fault-proxy.js";
import { checkIntegrity } from "../helpers/integrity.js";
import { openApiOfSize } from "../helpers/sized-spec.js";
import { StdioRpc } from "../helpers/stdio-rpc.js";

/** Plan records left in the journal directory (one per interrupted plan). */
function leftPlans(journalBase: string): number {
  if (!existsSync(journalBase)) return 0;
  return readdirSync(journalBase).reduce((n, d) => n + readdirSync(join(journalBase, d)).filter((f) => f.endsWith(".json")).length, 0);
}

test("after SIGKILLs mid-write, the next start undoes the interrupted plans: no half-made API, nothing acknowledged lost", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-crash-"));
  const db = join(dir, "apicenter.db");
  const journalBase = join(dir, "journal");
  const random = seededRandom(9);
  const acknowledged = new Set<string>();
  let interrupted = 0;
  let recoveredLines = 0;
  try {
    for (let round = 1; round <= 8 && (interrupted < 1 || round <= 2); round++) {
      const server = await StdioRpc.start(["--db", db]);
      let stop = false;
      let refused: string | undefined;
      const loop = (async () => {
        for (let i = 0; !stop && !refused; i++) {
          const apiName = `crash-${round}-${i}`;
          // Rejected (not answered) once the server is killed: that call was never acknowledged.
          const r = await server.callTool("register_api", { apiName, title: `Crash ${round} ${i}`, versionName: "v-1", specContent: openApiOfSize(i, 150_000) }).catch(() => undefined);
          if (!r) return;
          if (r.isError) refused = r.content[0]?.text;
          else acknowledged.add(apiName);
        }
      })();
      await new Promise((r) => setTimeout(r, 400 + random() * 600));
      stop = true;
      await server.kill("SIGKILL");
      await loop;
      assert.equal(refused, undefined, "every call before the kill succeeds");
      recoveredLines += (server.proc.stderr().match(/recovered a plan interrupted at/g) ?? []).length;
      interrupted += leftPlans(journalBase);
    }
    assert.ok(interrupted >= 1, "at least one kill landed inside a plan");

    const last = await StdioRpc.start(["--db", db]);
    // Writes wait for the recovery: once this one is answered, the interrupted plans have been dealt with.
    const after = await last.callTool("register_api", { apiName: "after-recovery", title: "After", versionName: "v-1", specContent: openApiOfSize(0, 5_000) });
    assert.ok(!after.isError, after.content[0]?.text);
    acknowledged.add("after-recovery");
    await last.close();
    recoveredLines += (last.proc.stderr().match(/recovered a plan interrupted at/g) ?? []).length;
    assert.equal(recoveredLines, interrupted, "one log line per interrupted plan");
    assert.equal(leftPlans(journalBase), 0, "the journal is empty");

    const local = new LocalApiCenter({ db });
    try {
      const client = new ApiCenterArmClient({ endpoint: "https://local-api-center.invalid", credential: new LocalTokenCredential(), httpClient: inProcessHttpClient((r) => local.handle(r)) });
      const state = await checkIntegrity(new ArmGateway(client, LOCAL_SERVICE, "check"), acknowledged);
      assert.deepEqual(state.halfMade, [], "no half-made API");
      assert.deepEqual(state.lost, [], "every acknowledged registration is whole");
      assert.ok(state.whole.length >= acknowledged.size);
    } finally {
      await local.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
