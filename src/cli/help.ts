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

function describe(o: OptionSpec, dbDefault: string): string[] {
  const flag = `  --${o.flag}${o.value ? ` ${o.value}` : ""}${o.short ? `, -${o.short}` : ""}`;
  const env = o.env ? (o.envForm ?? o.env.join(" or ")) : "";
  const fallback = o.flag === "db" ? dbDefault : o.default;
  const first = [env, fallback ? `default ${fallback}` : ""].filter(Boolean).join("; ");
  const lines = [...(first ? [first] : []), o.help, ...(o.flag === "db" ? [`(the per-user data folder follows ${DATA_DIR_ENV.join(" and ")})`] : [])];
  return [`${flag.padEnd(COLUMN - 1)} ${lines[0]}`, ...lines.slice(1).map((l) => `${" ".repeat(COLUMN)}${l}`)];
}

export function renderHelp(version: string, env: NodeJS.ProcessEnv = process.env): string {
  const dbDefault = defaultDbPath(env);
  const out = [
    `apicenter-mcp ${version}: an MCP server for Azure API Center inventories`,
    "",
    "Usage:",
    "  apicenter-mcp [options]            serve MCP over stdio (Streamable HTTP with --http)",
    "  apicenter-mcp doctor [options]     check the set-up and say what to fix: Node, the SQLite module, the",
    "                                     database; on Azure the credentials, subscription, service, access",
    "  apicenter-mcp emulator [options]   serve the local API Center as an ARM endpoint over HTTP",
    "",
    "Each option can come from its environment variable; a flag wins over the variable.",
  ];
  for (const [section, title] of Object.entries(SECTIONS)) {
    out.push("", `${title}:`);
    for (const o of OPTIONS.filter((x) => x.section === section)) out.push(...describe(o, dbDefault));
  }
  out.push(
    "",
    "Azure credentials (DefaultAzureCredential, tried in this order): a service principal from",
    "  AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH); workload",
    "  identity (AZURE_FEDERATED_TOKEN_FILE); managed identity (AZURE_CLIENT_ID picks a user-assigned one);",
    "  `az login`; Azure PowerShell; `azd auth login`. AZURE_TOKEN_CREDENTIALS=dev, prod or one credential's",
    "  name narrows the chain. `apicenter-mcp doctor` shows which one answers.",
    "",
  );
  return out.join("\n");
}
