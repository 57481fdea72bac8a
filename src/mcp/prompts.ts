/** Prompts for the everyday jobs: each one sets out the tool calls that answer it well. */
import type { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { LIMITS, arg } from "./define-tool.js";

const user = (text: string) => ({ messages: [{ role: "user" as const, content: { type: "text" as const, text } }] });

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    "register_api_from_spec",
    {
      title: "Register an API from its spec",
      description: "Register an API, its first version, a definition and the spec in one go, then record where it runs",
      argsSchema: z.object({
        spec: z.string().describe("The spec text, or a public URL to it"),
        lifecycleStage: arg(LIMITS.name).optional().describe("Lifecycle stage of the first version (default design)"),
        environmentName: arg(LIMITS.name).optional().describe("An environment it is deployed to, if any"),
        runtimeUrl: arg(LIMITS.url).optional().describe("Where it answers in that environment"),
      }),
    },
    ({ spec, lifecycleStage, environmentName, runtimeUrl }) => {
      const isUrl = /^https?:\/\//i.test(spec.trim());
      return user(
        [
          `Register this API in the API Center inventory.`,
          `1. Call list_metadata_schemas to see which custom properties APIs must carry; ask me for any required value you cannot infer.`,
          `2. Call register_api with ${isUrl ? `specUrl "${spec.trim()}"` : "specContent set to the spec below"}${lifecycleStage ? ` and lifecycleStage "${lifecycleStage}"` : ""}, first with dryRun: true; show me the notes and names it derived, then call it again without dryRun.`,
          environmentName
            ? `3. Call list_environments; create "${environmentName}" with create_environment if it is missing, then create_deployment of the new definition there${runtimeUrl ? ` at ${runtimeUrl}` : ""}.`
            : `3. Ask me whether it is deployed anywhere; if so, record it with create_deployment.`,
          `4. Finish with get_api to show what was registered.`,
          ...(isUrl ? [] : ["", "Spec:", spec]),
        ].join("\n"),
      );
    },
  );

  server.registerPrompt(
    "review_governance",
    {
      title: "Review the inventory's governance",
      description: "Find what is missing or wrong across the inventory and propose fixes",
      argsSchema: z.object({ focus: arg().optional().describe("A lifecycle stage, team or kind to focus on") }),
    },
    ({ focus }) =>
      user(
        [
          `Review the governance of the API Center inventory${focus ? `, focusing on ${focus}` : ""}.`,
          `Call audit_inventory (it checks every rule across the whole inventory in one call), then get_api for the APIs with error findings.`,
          `Report the findings grouped by severity, each with the APIs concerned and the tool call that fixes it; add what the rules cannot see, e.g. production APIs not deployed anywhere (search_apis with lifecycleStage 'production').`,
          `Do not change anything until I say which fixes to apply.`,
        ].join("\n"),
      ),
  );

  server.registerPrompt(
    "find_api_for_task",
    {
      title: "Find an API for a task",
      description: "Find the API (and the operation) that does what you need, and how to reach it",
      argsSchema: z.object({ task: arg().describe("What you want to do, e.g. 'refund an order'") }),
    },
    ({ task }) =>
      user(
        [
          `Find the API in our inventory that lets me: ${task}.`,
          `Call search_apis with the task in a few words (try synonyms if nothing fits); it searches the specs' operations too and says what matched. Prefer production APIs.`,
          `For the best candidates, call analyze_spec (the rows name the latest version and its definitions) to see their operations; show the best operation in full with analyze_spec's operationId or export_spec mode 'operation'.`,
          `Answer with the API, the operation (method, path, operationId), who owns it (get_api contacts) and where it runs (its deployments' runtime URLs).`,
        ].join("\n"),
      ),
  );
}
