// Rewrites the tool table in README.md from the built tool records (run by `npm run docs`).
import { readFileSync, writeFileSync } from "node:fs";
import { ALL_TOOLS } from "../dist/src/mcp/tools/index.js";
import { TABLE_END, TABLE_START, renderToolTable } from "../dist/src/mcp/tool-table.js";

const readme = readFileSync("README.md", "utf8");
const start = readme.indexOf(TABLE_START);
const end = readme.indexOf(TABLE_END);
if (start < 0 || end < 0) throw new Error("README.md has no tool table markers");
writeFileSync("README.md", readme.slice(0, start) + renderToolTable(ALL_TOOLS) + readme.slice(end + TABLE_END.length));
console.log("README.md tool table updated");
