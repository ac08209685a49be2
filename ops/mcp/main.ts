/**
 * The ops MCP server over stdio (`deno task ops:mcp`). stdout carries the
 * protocol only: every log line goes to stderr.
 */
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import process from "node:process";
import { processEnv, toolEnv } from "@pay/lib/config";
import { createOpsRuntime } from "../context_env.ts";
import { buildMcpServer } from "./server.ts";

// The running platform's ports and tokens (DATA_DIR/runtime.json) unless the environment sets them.
const runtime = await createOpsRuntime(await toolEnv(processEnv()));
const server = buildMcpServer(runtime.ctx);
const transport = new StdioServerTransport();

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close().catch(() => {});
  await runtime.close();
  Deno.exit(0);
}
transport.onclose = () => void close();
// The client closing our stdin ends the session too.
process.stdin.on("end", () => void close());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => void close());
}
await server.connect(transport);
console.error(JSON.stringify({ time: new Date().toISOString(), area: "ops-mcp", event: "ready" }));
