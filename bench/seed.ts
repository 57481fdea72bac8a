/**
 * A synthetic inventory for benchmarks, written through the local API Center's own ARM handler in one
 * database transaction (a bulk load: the same validation, one fsync): N APIs x 2 versions x 1 definition
 * with a small OpenAPI spec + 1 deployment, a production environment and one metadata schema.
 */
import { LocalApiCenter } from "../src/emulator/local-api-center.js";

export const SCOPE = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "bench", serviceName: "bench" };
const SVC = `/subscriptions/${SCOPE.subscriptionId}/resourceGroups/${SCOPE.resourceGroupName}/providers/Microsoft.ApiCenter/services/${SCOPE.serviceName}`;
const WS = `${SVC}/workspaces/default`;

const WORDS = ["orders", "payments", "refunds", "invoices", "shipping", "catalog", "customers", "inventory", "pricing", "loyalty", "search", "reviews"];

export function specFor(i: number): string {
  const a = WORDS[i % WORDS.length]!;
  const b = WORDS[(i * 7 + 3) % WORDS.length]!;
  return JSON.stringify({
    openapi: "3.0.3",
    info: { title: `${a} service ${i}`, version: "1.0.0", description: `Manages ${a} and ${b}.` },
    paths: {
      [`/${a}`]: { get: { operationId: `list-${a}-${i}`, tags: [a], summary: `List ${a}`, responses: { "200": { description: "ok" } } } },
      [`/${a}/{id}/${b}`]: { post: { operationId: `create-${b}-${i}`, tags: [b], summary: `Create ${b} for one of the ${a}`, responses: { "201": { description: "ok" } } } },
    },
  });
}

export async function seedInventory(api: LocalApiCenter, n: number): Promise<void> {
  const send = async (method: string, path: string, body: unknown) => {
    const res = await api.handle({ method, url: `https://local${path}?api-version=2024-03-01`, headers: { authorization: "Bearer seed" }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
  };
  const db = api.store.db;
  db.exec("BEGIN");
  try {
    await send("PUT", `${SVC}/metadataSchemas/owner-team`, { properties: { schema: JSON.stringify({ type: "string" }), assignedTo: [{ entity: "api", required: false }] } });
    await send("PUT", `${WS}/environments/production`, { properties: { title: "Production", kind: "production" } });
    for (let i = 0; i < n; i++) {
      const apiPath = `${WS}/apis/api-${i}`;
      const word = WORDS[i % WORDS.length]!;
      await send("PUT", apiPath, {
        properties: {
          title: `${word[0]!.toUpperCase()}${word.slice(1)} ${i}`,
          kind: i % 10 === 0 ? "graphql" : "rest",
          summary: `The ${word} API number ${i}`,
          ...(i % 5 ? { contacts: [{ name: `Team ${i % 40}`, email: `team${i % 40}@example.com` }] } : {}),
          customProperties: { "owner-team": `team-${i % 40}` },
        },
      });
      for (const [v, stage] of [["v1-0", i % 50 === 0 ? "retired" : "production"], ["v2-0", "preview"]] as const) {
        await send("PUT", `${apiPath}/versions/${v}`, { properties: { title: v, lifecycleStage: stage } });
        await send("PUT", `${apiPath}/versions/${v}/definitions/openapi`, { properties: { title: "OpenAPI" } });
        await send("POST", `${apiPath}/versions/${v}/definitions/openapi/importSpecification`, { format: "inline", value: specFor(i) });
      }
      await send("PUT", `${apiPath}/deployments/production`, {
        properties: {
          title: "Production",
          environmentId: "/workspaces/default/environments/production",
          definitionId: `/workspaces/default/apis/api-${i}/versions/v1-0/definitions/openapi`,
          server: { runtimeUri: [`https://api-${i}.example.com`] },
        },
      });
    }
    db.exec("COMMIT");
  } catch (e) {
    db.exec("ROLLBACK");
    throw e;
  }
}
