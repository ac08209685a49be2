// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ZodError } from "zod";
import { DomainError } from "@pay/lib/domain";
import { problemOfZodError } from "../http/errors.ts";
import type { OpsContext } from "../operations/context.ts";
import type { Operation } from "../operations/operation.ts";
import { operations } from "../operations/registry.ts";

export const mcpServerName = "pay-ops";
export const mcpServerVersion = "0.1.0";

/** The read-only operations offered as MCP tools (mutations stay with the API and CLI). */
export function mcpOperations(): Operation[] {
  return operations.filter((op) => op.mcp !== null && !op.mutating);
}

function errorText(error: unknown): string {
  if (error instanceof ZodError) return problemOfZodError(error).detail;
  if (error instanceof DomainError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The MCP server of the seed's three (circuit breaker, database, redis),
 * one tool per read-only operation, over the same functions as the API.
 * Each tool answers JSON text; failures come back as tool errors.
 */
export function buildMcpServer(ctx: OpsContext): McpServer {
  const server = new McpServer({ name: mcpServerName, version: mcpServerVersion });
  for (const op of mcpOperations()) {
    server.registerTool(
      op.mcp!,
      { title: op.name, description: op.summary, inputSchema: op.input },
      // The SDK has already validated (and transformed) the arguments with `op.input`.
      async (args: Record<string, unknown>) => {
        try {
          const result = await op.run(ctx, args, { actor: "mcp" });
          return { content: [{ type: "text" as const, text: JSON.stringify(result, null, 2) }] };
        } catch (error) {
          return { isError: true, content: [{ type: "text" as const, text: errorText(error) }] };
        }
      },
    );
  }
  return server;
}
