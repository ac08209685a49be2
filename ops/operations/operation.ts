import { z } from "zod";
import type { OpsContext } from "./context.ts";

/** Who asked for an operation (recorded where the platform records it, e.g. DLQ replays). */
export interface OperationMeta {
  readonly actor: string;
}

/**
 * One operator operation, served alike by the HTTP API (`method` + `path`
 * under /api/ops), the MCP server (`mcp`, read-only ones only) and the CLI
 * (`name` with dashes). Inputs are validated by `input` on every surface.
 */
export interface Operation {
  readonly name: string;
  readonly summary: string;
  readonly method: "GET" | "POST";
  /** Hono path below /api/ops, e.g. `/payments/:paymentId`. */
  readonly path: string;
  /** Changes state: needs the ops token on the API, never an MCP tool. */
  readonly mutating: boolean;
  /** MCP tool name, or null when not offered over MCP. */
  readonly mcp: string | null;
  readonly input: z.ZodRawShape;
  /** CLI positional arguments, in order, filling these input fields. */
  readonly positional?: readonly string[];
  run(ctx: OpsContext, input: Record<string, unknown>, meta: OperationMeta): Promise<unknown>;
  /** True when the result reports a problem (the CLI then exits 1). */
  problems?(result: unknown): boolean;
}

/** Declares an operation with its input typed from its schema. */
export function defineOperation<S extends z.ZodRawShape, R>(op: {
  name: string;
  summary: string;
  method: "GET" | "POST";
  path: string;
  mutating?: boolean;
  mcp?: string | null;
  input: S;
  positional?: readonly (keyof S & string)[];
  run(ctx: OpsContext, input: z.output<z.ZodObject<S>>, meta: OperationMeta): Promise<R>;
  problems?(result: R): boolean;
}): Operation {
  return {
    ...op,
    mutating: op.mutating ?? false,
    mcp: op.mcp ?? null,
    run: (ctx, input, meta) => op.run(ctx, input as z.output<z.ZodObject<S>>, meta),
    problems: op.problems as ((result: unknown) => boolean) | undefined,
  };
}

/** Validates raw input (query strings, JSON, flags) against an operation's schema. */
export function parseInput(op: Operation, raw: Record<string, unknown>): Record<string, unknown> {
  return z.strictObject(op.input).parse(raw) as Record<string, unknown>;
}
