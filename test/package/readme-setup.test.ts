/**
 * The README's set-up says what mcp.json.example holds (which test/e2e/mcp-json-example starts entry by
 * entry): each client's JSON, the VS Code install link, the `claude mcp add` lines, the Inspector's
 * HTTP line; and its configuration table lists every option of src/config.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { OPTIONS } from "../../src/config/config.js";
import { PROJECT_ROOT } from "../helpers/shared.js";

type Entry = Record<string, unknown> & { command?: string; args?: string[]; env?: Record<string, string>; url?: string; headers?: Record<string, string> };
type Section = { servers?: Record<string, Entry>; mcpServers?: Record<string, Entry>; inputs?: unknown[] };

const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
const withoutComments = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "//"));
const example = JSON.parse(readFileSync(join(PROJECT_ROOT, "mcp.json.example"), "utf8")) as Record<string, Section>;
const vscode = withoutComments(example.vscode!) as Section;
const claudeDesktop = withoutComments(example["claude-desktop"]!) as Section;
const copilot = withoutComments(example["copilot-cli"]!) as Section;

/** The text of a `### heading` section of the README. */
function section(heading: string): string {
  const start = readme.indexOf(`\n### ${heading}\n`);
  assert.ok(start >= 0, `README has ### ${heading}`);
  const end = readme.slice(start + 1).search(/\n##+ /);
  return readme.slice(start, end < 0 ? undefined : start + 1 + end);
}

const blocks = (text: string, lang: string) => [...text.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);

/** Splits a shell line into words, honouring double and single quotes (enough for the README's lines). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

test("each client's JSON in the README is its section of mcp.json.example", () => {
  assert.deepEqual(JSON.parse(blocks(section("VS Code"), "json")[0]!), vscode);
  assert.deepEqual(JSON.parse(blocks(section("Claude Desktop"), "json")[0]!), claudeDesktop);
  assert.deepEqual(JSON.parse(blocks(section("GitHub Copilot CLI"), "json")[0]!), copilot);
});

test("the VS Code install link and `code --add-mcp` install the example's local entry", () => {
  const text = section("VS Code");
  const link = new URL(/\((https:\/\/insiders\.vscode\.dev\/redirect\/mcp\/install\?[^)]+)\)/.exec(text)![1]!);
  assert.equal(link.searchParams.get("name"), "apicenter");
  assert.deepEqual(JSON.parse(link.searchParams.get("config")!), vscode.servers!.apicenter);
  const addMcp = /code --add-mcp '([^']+)'/.exec(text)![1]!;
  assert.deepEqual(JSON.parse(addMcp), { name: "apicenter", ...vscode.servers!.apicenter });
});

test("the `claude mcp add` lines add the example's entries", () => {
  const lines = blocks(section("Claude Code"), "sh")[0]!.trim().split("\n");
  const added: Record<string, Entry> = {};
  for (const line of lines) {
    const w = words(line);
    assert.deepEqual(w.slice(0, 3), ["claude", "mcp", "add"], line);
    const dash = w.indexOf("--");
    const head = dash < 0 ? w.slice(3) : w.slice(3, dash);
    const entry: Entry = {};
    const positional: string[] = [];
    for (let i = 0; i < head.length; i++) {
      if (head[i] === "-e") {
        const [k, v] = head[++i]!.split("=");
        entry.env = { ...entry.env, [k!]: v! };
      } else if (head[i] === "--header") {
        const [k, v] = head[++i]!.split(": ");
        entry.headers = { ...entry.headers, [k!]: v! };
      } else if (head[i] === "--transport") entry.type = head[++i];
      else positional.push(head[i]!);
    }
    if (dash >= 0) {
      entry.command = w[dash + 1];
      entry.args = w.slice(dash + 2);
    } else entry.url = positional[1];
    added[positional[0]!] = entry;
  }
  const { apicenter, "apicenter-azure": azure } = claudeDesktop.mcpServers!;
  assert.deepEqual(added.apicenter, apicenter);
  assert.deepEqual(added["apicenter-azure"], azure);
  const http = copilot.mcpServers!["apicenter-http"]!;
  assert.deepEqual(added["apicenter-http"], { type: "http", url: http.url, headers: http.headers });
});

test("the Inspector lines launch the same command and reach the same HTTP endpoint with the same header", () => {
  const lines = blocks(section("MCP Inspector"), "sh")[0]!.trim().split("\n").map((l) => l.replace(/\s+#.*$/, ""));
  const local = claudeDesktop.mcpServers!.apicenter!;
  const launch = [local.command, ...local.args!].join(" ");
  assert.ok(lines[0]!.endsWith(` ${launch}`), lines[0]);
  assert.ok(lines[1]!.includes(`--cli ${launch} --method tools/list`), lines[1]);
  const http = copilot.mcpServers!["apicenter-http"]!;
  const w = words(lines[2]!);
  assert.equal(w[w.indexOf("--cli") + 1], http.url);
  assert.equal(w[w.indexOf("--header") + 1], `Authorization: ${http.headers!.Authorization}`);
});

test("the configuration table lists every option with its environment variables", () => {
  const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Tools"));
  const rows = table.split("\n").filter((l) => l.startsWith("| `--"));
  for (const o of OPTIONS) {
    if (["help", "version", "latency"].includes(o.flag)) continue;
    const row = rows.find((r) => r.startsWith(`| \`--${o.flag}`));
    assert.ok(row, `--${o.flag} has a row`);
    for (const name of "env" in o ? o.env : []) assert.ok(row.includes(`\`${name}`), `${name} is on the --${o.flag} row`);
  }
  assert.equal(rows.length, OPTIONS.length - 3, "no row for an option that does not exist");
  assert.ok(!readme.includes("APICENTER_SERVICE_NAME"));
});
