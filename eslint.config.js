// Lint: typescript-eslint's recommended rules, plus the layering of ../shared/STYLE.md checked
// mechanically: which folder of src/ may import which, and where the Azure and MCP SDKs may appear.
import tseslint from "typescript-eslint";

const SRC = ["arm", "azure", "emulator", "domain", "spectral", "journal", "index-store", "mcp", "config", "cli"];

/** A folder may import only the folders listed (and itself); everything else in src/ is refused. */
function layer(folder, allowed, extra = []) {
  const refused = SRC.filter((f) => f !== folder && !allowed.includes(f));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...refused.map((f) => ({ group: [`**/${f}/*`, `../${f}`, `../${f}/*`], message: `src/${folder} may not import src/${f} (see STYLE.md)` })),
            ...extra,
          ],
        },
      ],
    },
  };
}

const noAzure = { group: ["@azure/*"], message: "only src/azure talks to the Azure SDK" };
const noMcp = { group: ["@modelcontextprotocol/*"], message: "only src/mcp uses the MCP SDK" };
const noSpectral = { group: ["@stoplight/*"], message: "only src/spectral uses Spectral" };


export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "scripts/**", "eslint.config.js"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
  layer("arm", [], [noAzure, noMcp, noSpectral]),
  layer("config", [], [noAzure, noMcp, noSpectral]),
  // The wire contract is I/O-free: the domain uses its rules and vocabularies directly (a shared kernel).
  layer("domain", ["arm"], [noAzure, noMcp, noSpectral]),
  layer("emulator", ["arm"], [noAzure, noMcp, noSpectral]),
  layer("azure", ["arm", "domain"], [noMcp, noSpectral]),
  layer("spectral", ["domain"], [noAzure, noMcp]),
  // The plan journal on disk: an adapter of the domain's PlanJournal port.
  layer("journal", ["domain"], [noAzure, noMcp, noSpectral]),
  layer("index-store", ["domain"], [noAzure, noMcp, noSpectral]),
  layer("mcp", ["domain", "config"], [noAzure, noSpectral]),
  layer("cli", SRC, []),
);
