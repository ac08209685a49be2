import type { Context, Hono } from "hono";
import { problem, ProblemError } from "@pay/lib/http";
import type { OpsContext } from "../operations/context.ts";
import { parseInput } from "../operations/operation.ts";
import { operations } from "../operations/registry.ts";
import { assertMayMutate } from "./auth.ts";

/** Largest JSON body an ops call accepts: operation inputs are a few fields and id lists. */
export const apiBodyBytesMax = 64 * 1024;

export const apiBase = "/api/ops";

function queryOf(c: Context): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    const last = values.at(-1);
    if (last !== undefined) query[name] = last;
  }
  return query;
}

async function jsonBodyOf(c: Context): Promise<Record<string, unknown>> {
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > apiBodyBytesMax) {
    throw new ProblemError(
      problem("payload_too_large", `Bodies are limited to ${apiBodyBytesMax} bytes`),
    );
  }
  const text = await c.req.text();
  if (text.length > apiBodyBytesMax) {
    throw new ProblemError(
      problem("payload_too_large", `Bodies are limited to ${apiBodyBytesMax} bytes`),
    );
  }
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProblemError(problem("validation_error", "The body is not valid JSON"));
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ProblemError(problem("validation_error", "The body must be a JSON object"));
  }
  return body as Record<string, unknown>;
}

/** The operations as JSON endpoints under /api/ops (see ops/README.md for each). */
export function mountApi(app: Hono, deps: { ctx: OpsContext; token: string | null }): void {
  app.get(apiBase, (c) =>
    c.json({
      operations: operations.map((op) => ({
        name: op.name,
        method: op.method,
        path: apiBase + op.path,
        mutating: op.mutating,
        mcpTool: op.mcp,
        summary: op.summary,
      })),
    }));
  for (const op of operations) {
    app.on(op.method, apiBase + op.path, async (c) => {
      if (op.mutating) assertMayMutate(deps.token, c.req.header("authorization"));
      const raw = {
        ...queryOf(c),
        ...(op.method === "POST" ? await jsonBodyOf(c) : {}),
        ...c.req.param(),
      };
      const result = await op.run(deps.ctx, parseInput(op, raw), { actor: "ops-api" });
      return c.json(result as object);
    });
  }
}
