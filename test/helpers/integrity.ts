/**
 * What a run of register_api calls left in an inventory: every API either whole (a version, a
 * definition, and its spec) or absent. Half-made ones and acknowledged ones that are not whole are
 * the failures the fault and crash tests look for.
 */
import type { ApiCenterGateway } from "../../src/domain/gateway.js";

export interface Integrity {
  /** APIs with a version, a definition and its spec. */
  whole: string[];
  /** APIs present but missing a version, a definition or the spec. */
  halfMade: string[];
  /** Acknowledged registrations that are not whole. */
  lost: string[];
}

export async function checkIntegrity(gateway: ApiCenterGateway, acknowledged: Iterable<string>): Promise<Integrity> {
  const ws = { workspace: "default" };
  const whole: string[] = [];
  const halfMade: string[] = [];
  for (const api of await gateway.list("api", ws)) {
    const path = { ...ws, api: api.name };
    let ok = false;
    for (const version of await gateway.list("version", path)) {
      for (const def of await gateway.list("definition", { ...path, version: version.name })) {
        if (!def.properties.specification) continue;
        const text = await gateway.exportSpecification({ ...path, version: version.name, definition: def.name }).catch(() => "");
        if (text.length > 0) ok = true;
      }
    }
    (ok ? whole : halfMade).push(api.name);
  }
  const present = new Set(whole);
  return { whole, halfMade, lost: [...acknowledged].filter((n) => !present.has(n)) };
}
