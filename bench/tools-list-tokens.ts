/**
 * The size of tools/list as a client receives it: the built CLI over stdio, a 2025-era client, every
 * tool exposed; tokens estimated as characters / 4 of the compact JSON of the whole result. Part of
 * `npm run bench`; alone, `node dist/bench/tools-list-tokens.js` prints the figures and rewrites its
 * section of BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CLI } from "../test/helpers/cli-process.js";
import { runAlone } from "./benchmarks-md.js";

/** What a model is handed before the first question. */
export const TOOLS_LIST_BUDGET_TOKENS = 8000;

export interface ToolsListSize {
  tools: number;
  characters: number;
  tokens: number;
  /** Characters per part, summed over the tools. */
  parts: { descriptions: number; inputSchemas: number; outputSchemas: number; rest: number };
  largest: Array<{ name: string; characters: number }>;
}

export async function measureToolsList(): Promise<ToolsListSize> {
  const dir = mkdtempSync(join(tmpdir(), "apicenter-bench-"));
  const client = new Client({ name: "bench-tools-list", version: "1.0.0" });
  try {
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, "--db", join(dir, "a.db")], stderr: "ignore" }));
    const result = await client.listTools();
    const size = (v: unknown) => (v === undefined ? 0 : JSON.stringify(v).length);
    const characters = size(result);
    const descriptions = result.tools.reduce((n, t) => n + size(t.description), 0);
    const inputSchemas = result.tools.reduce((n, t) => n + size(t.inputSchema), 0);
    const outputSchemas = result.tools.reduce((n, t) => n + size(t.outputSchema), 0);
    return {
      tools: result.tools.length,
      characters,
      tokens: Math.round(characters / 4),
      parts: { descriptions, inputSchemas, outputSchemas, rest: characters - descriptions - inputSchemas - outputSchemas },
      largest: result.tools
        .map((t) => ({ name: t.name, characters: size(t) }))
        .sort((a, b) => b.characters - a.characters)
        .slice(0, 5),
    };
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const SECTION_TITLE = "## tools/list size";

export function renderToolsList(r: ToolsListSize): string[] {
  const pct = (n: number) => `${Math.round((100 * n) / r.characters)}%`;
  return [
    SECTION_TITLE,
    "",
    "Command: `npm run bench` (or alone: `npm run build && node dist/bench/tools-list-tokens.js`). The built CLI over stdio, every tool exposed,",
    "a 2025-era client's tools/list; tokens are estimated as characters / 4 of the compact JSON of the whole result.",
    "",
    "| tools | characters | tokens (chars / 4) | budget | descriptions | input schemas | output schemas | names, titles, annotations |",
    "|---|---|---|---|---|---|---|---|",
    `| ${r.tools} | ${r.characters} | ${r.tokens} | ${TOOLS_LIST_BUDGET_TOKENS} | ${pct(r.parts.descriptions)} | ${pct(r.parts.inputSchemas)} | ${pct(r.parts.outputSchemas)} | ${pct(r.parts.rest)} |`,
    "",
    `Largest tools (characters): ${r.largest.map((t) => `${t.name} ${t.characters}`).join(", ")}.`,
    "",
  ];
}

runAlone(import.meta.url, SECTION_TITLE, measureToolsList, renderToolsList, (r) => (r.tokens > TOOLS_LIST_BUDGET_TOKENS ? `tools/list is ${r.tokens} tokens, over the ${TOOLS_LIST_BUDGET_TOKENS}-token budget` : undefined));
