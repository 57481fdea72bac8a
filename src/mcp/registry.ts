/**
 * Registers tool records on an McpServer: read-only and toolset filtering from the records' own
 * annotations and toolsets, argument checks at the edge, the answer in the text as well as in
 * structuredContent, DomainErrors as `isError` results that name the fix, progress notifications,
 * log lines to the calling client, and confirmation through elicitation in either protocol era.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  type CallToolResult,
  type McpServer,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { z } from "zod";
import { clip, DomainError } from "../domain/errors.js";
import { TOOLSETS, toolsetsOf, type AnyTool, type Confirmation, type ToolContext, type ToolResult, type Toolset } from "./define-tool.js";
import { edgeInput, edgeOutput } from "./edge-schema.js";
import type { LogRelay, ServerLog } from "./logging.js";

export interface ToolSelection {
  readOnly: boolean;
  /** Toolset names; all when empty. */
  toolsets: string[];
}

export type Era = "legacy" | "modern";

/** The tools a configuration exposes, derived from the records: nothing lists them twice. */
export function selectTools(all: readonly AnyTool[], sel: ToolSelection): AnyTool[] {
  const unknown = sel.toolsets.filter((t) => !(t in TOOLSETS));
  if (unknown.length) {
    throw new DomainError("configuration", `unknown toolset(s) ${unknown.join(", ")}: choose from ${Object.keys(TOOLSETS).join(", ")}`);
  }
  return all.filter((t) => (!sel.readOnly || t.annotations.readOnlyHint) && (sel.toolsets.length === 0 || toolsetsOf(t).some((s) => sel.toolsets.includes(s as Toolset))));
}

const CONFIRM_SCHEMA = {
  type: "object" as const,
  properties: { confirm: { type: "boolean" as const, title: "Yes, go ahead" } },
  required: ["confirm"],
};

async function confirm(server: McpServer, era: Era, ctx: ServerContext, question: string, byArgument: boolean | undefined): Promise<Confirmation> {
  if (byArgument === true) return { confirmed: true };
  if (era === "modern") {
    const caps = (ctx.mcpReq.envelope as Record<string, { elicitation?: unknown } | undefined> | undefined)?.[CLIENT_CAPABILITIES_META_KEY];
    if (caps?.elicitation) {
      const view = inputResponse(ctx.mcpReq.inputResponses, "confirm");
      if (view.kind === "missing") {
        return { inputRequired: inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: question, requestedSchema: CONFIRM_SCHEMA }) } }) };
      }
      if (view.kind === "elicit" && view.action === "accept" && (view.content as { confirm?: unknown } | undefined)?.confirm === true) return { confirmed: true };
      return { confirmed: false, reason: "the user did not confirm" };
    }
  } else if (server.server.getClientCapabilities()?.elicitation) {
    const answer = await ctx.mcpReq.elicitInput({ mode: "form", message: question, requestedSchema: CONFIRM_SCHEMA });
    if (answer.action === "accept" && answer.content?.confirm === true) return { confirmed: true };
    return { confirmed: false, reason: answer.action === "accept" ? "the user left the box unticked" : `the user chose ${answer.action}` };
  }
  throw new DomainError("invalid_input", `${question} This client cannot ask the user: ask them, then call again with confirm: true.`);
}

/**
 * The text of an answer: the summary line, then all of structuredContent as compact JSON (several
 * clients hand the model only the text), then a verbatim field as it is, so a spec asked for whole
 * arrives whole and unescaped.
 */
export function answerText(out: ToolResult<Record<string, unknown>>): string {
  if (!out.verbatim || typeof out.structured[out.verbatim] !== "string") return `${out.summary}\n${JSON.stringify(out.structured)}`;
  const { [out.verbatim]: body, ...rest } = out.structured;
  return `${out.summary}\n${JSON.stringify(rest)}\n${body as string}`;
}

function errorResult(e: unknown, onUnexpected: (e: Error) => void): CallToolResult {
  if (e instanceof DomainError) return { isError: true, content: [{ type: "text", text: e.message }] };
  onUnexpected(e as Error);
  return { isError: true, content: [{ type: "text", text: `Internal error: ${clip((e as Error).message)}. This is a bug in apicenter-mcp; the server keeps running.` }] };
}

export function registerTools(
  server: McpServer,
  tools: readonly AnyTool[],
  deps: { era: Era; context: Omit<ToolContext, "progress" | "confirm" | "signal">; onUnexpected: (e: Error) => void; log: ServerLog; relay: LogRelay },
): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: edgeInput(tool.name, tool.input), outputSchema: edgeOutput(tool.output), annotations: tool.annotations },
      (args: z.output<typeof tool.input>, ctx: ServerContext) => deps.relay.within(server, deps.era, ctx, async () => {
        const token = ctx.mcpReq._meta?.progressToken;
        let step = 0;
        // Progress is sent as it happens; the result waits for it, so no update arrives after the answer.
        const sent: Array<Promise<void>> = [];
        const toolCtx: ToolContext = {
          ...deps.context,
          progress(message) {
            if (token === undefined) return Promise.resolve();
            step += 1;
            const p = ctx.mcpReq.notify({ method: "notifications/progress", params: { progressToken: token, progress: step, message } }).catch(() => {});
            sent.push(p);
            return p;
          },
          confirm: (question, byArgument) => confirm(server, deps.era, ctx, question, byArgument),
          signal: ctx.mcpReq.signal,
        };
        const started = Date.now();
        try {
          const out = await tool.handler(args, toolCtx);
          await Promise.all(sent);
          if ("inputRequired" in out) return out.inputRequired;
          deps.log.debug(`${tool.name}: answered in ${Date.now() - started} ms`);
          return {
            content: [
              { type: "text" as const, text: answerText(out as ToolResult<Record<string, unknown>>) },
              ...(out.links ?? []).map((l) => ({ type: "resource_link" as const, ...l })),
            ],
            structuredContent: out.structured as Record<string, unknown>,
          };
        } catch (e) {
          if (e instanceof DomainError) deps.log.info(`${tool.name}: refused in ${Date.now() - started} ms: ${e.message}`);
          return errorResult(e, deps.onUnexpected);
        }
      }),
    );
  }
}
