import { type Context, Hono } from "hono";
import { z } from "zod";
import { pgProblem, simOperationTypes } from "@pay/lib/pg";
import { adminAuth } from "../admin_auth.ts";
import { jsonResponse, problemResponse } from "../answers.ts";
import { faultsPatchSchema } from "../faults.ts";
import { operationJson } from "../reports.ts";
import type { PgsimRuntime } from "../runtime.ts";
import { parseBody } from "../validation.ts";

/** Most operations one /admin/operations answer lists: enough for any test, bounded for a big run. */
export const operationsListMax = 1_000;

const resetBodySchema = z.strictObject({
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
});

const operationsQuerySchema = z.object({
  reference: z.string().min(1).optional(),
  type: z.enum(simOperationTypes).optional(),
  limit: z.coerce.number().int().min(1).max(operationsListMax).default(operationsListMax),
});

/** Fault injection, reset and the operations list, for tests and operators. */
export function adminRoutes(rt: PgsimRuntime): Hono {
  const admin = new Hono();
  admin.use("*", adminAuth(rt.config.adminToken));
  admin.get("/faults", () => jsonResponse(rt.faults.current()));
  admin.post("/faults", (c) => updateFaults(rt, c));
  admin.post("/reset", (c) => reset(rt, c));
  admin.get("/operations", (c) => operations(rt, c));
  return admin;
}

async function updateFaults(rt: PgsimRuntime, c: Context): Promise<Response> {
  const patch = await parseBody(c, faultsPatchSchema);
  if (!patch.ok) return problemResponse(patch.problem);
  const updated = rt.faults.update(patch.value);
  if ("error" in updated) {
    return problemResponse(pgProblem("validation_error", updated.error, "latencyMsMin"));
  }
  return jsonResponse(updated);
}

/** Forgets every record, restores the start-up faults and restarts the PRNG (tests only). */
async function reset(rt: PgsimRuntime, c: Context): Promise<Response> {
  const body = await parseBody(c, resetBodySchema, {});
  if (!body.ok) return problemResponse(body.problem);
  rt.db.clear();
  rt.faults.reset();
  rt.prng.reseed(body.value.seed ?? rt.initialSeed);
  return jsonResponse({ seed: rt.prng.seed, faults: rt.faults.current() });
}

function operations(rt: PgsimRuntime, c: Context): Response {
  const query = operationsQuerySchema.safeParse(c.req.query());
  if (!query.success) {
    const issue = query.error.issues[0]!;
    const param = String(issue.path[0]);
    return problemResponse(pgProblem("validation_error", `${param}: ${issue.message}`, param));
  }
  const { reference, type, limit } = query.data;
  const found = rt.db.listOperations({
    ...(reference === undefined ? {} : { reference }),
    ...(type === undefined ? {} : { types: [type] }),
    limit,
  });
  return jsonResponse({ operations: found.map(operationJson) });
}
