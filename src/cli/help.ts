/** `--help`, rendered from the option table so that every flag and environment variable read is shown. */
import { DATA_DIR_ENV, EMULATOR_PORT, OPTIONS, defaultDbPath, type OptionSection, type OptionSpec } from "../config/config.js";

const SECTIONS: Record<OptionSection, string> = {
  backend: "Backend (Azure when subscription, resource group and service are set, else the local API Center)",
  transport: "MCP transport and exposure",
  intelligence: "Inventory intelligence",
  emulator: "apicenter-mcp emulator (also takes --db, --host and --port; its port defaults to " + EMULATOR_PORT + ")",
  other: "Other",
};

const COLUMN = 27;
const WIDTH = 100;

/** Breaks text into lines that fit beside the flag column. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > WIDTH - COLUMN) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

function describe(o: OptionSpec, dbDefault: string): string[] {
  const flag = `  --${o.flag}${o.value ? ` ${o.value}` : ""}${o.short ? `, -${o.short}` : ""}`;
  const env = o.env ? (o.envForm ?? o.env.join(" or ")) : "";
  const fallback = o.flag === "db" ? dbDefault : o.default;
  const first = [env, fallback ? `default ${fallback}` : ""].filter(Boolean).join("; ");
  const lines = [first, o.help, o.flag === "db" ? `(the per-user data folder follows ${DATA_DIR_ENV.join(" and ")})` : ""].filter(Boolean).flatMap(wrap);
  return [`${flag.padEnd(COLUMN - 1)} ${lines[0]}`, ...lines.slice(1).map((l) => `${" ".repeat(COLUMN)}${l}`)];
}

export function renderHelp(version: string, env: NodeJS.ProcessEnv = process.env): string {
  const dbDefault = defaultDbPath(env);
  const out = [
    `apicenter-mcp ${version}: an MCP server for Azure API Center inventories`,
    "",
    "Usage:",
    "  apicenter-mcp [options]            serve MCP over stdio (Streamable HTTP with --http)",
    "  apicenter-mcp doctor [options]     check the set-up and say what to fix: Node, SQLite, the",
    "                                     database; on Azure: credentials, subscription, service, access",
    "  apicenter-mcp emulator [options]   serve the local API Center as an ARM endpoint over HTTP",
    "  apicenter-mcp emulator seed-apim   add a local API Management with APIs (--apim, --spec) to import",
    "",
    "Each option can come from its environment variable; a flag wins over the variable.",
  ];
  for (const [section, title] of Object.entries(SECTIONS)) {
    out.push("", `${title}:`);
    for (const o of OPTIONS.filter((x) => x.section === section)) out.push(...describe(o, dbDefault));
  }
  out.push(
    "",
    "Azure credentials (DefaultAzureCredential tries them in this order; doctor shows which answers):",
    "  a service principal      AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET,",
    "                           or AZURE_CLIENT_CERTIFICATE_PATH in place of the secret",
    "  workload identity        AZURE_FEDERATED_TOKEN_FILE, with AZURE_TENANT_ID and AZURE_CLIENT_ID",
    "  managed identity         AZURE_CLIENT_ID picks a user-assigned one",
    "  a developer's sign-in    `az login`, Azure PowerShell, `azd auth login`",
    "  AZURE_TOKEN_CREDENTIALS  dev, prod or one credential's name narrows the chain",
    "",
  );
  return out.join("\n");
}
