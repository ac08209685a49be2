import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { pgProblem } from "@pay/lib/pg";
import { problemResponse } from "./answers.ts";

/**
 * Requires `Authorization: Bearer <token>` when a token is configured; open
 * when it is not (development). Digests are compared so the comparison takes
 * the same time whatever the length or content of the guess.
 */
export function adminAuth(token: string | undefined): MiddlewareHandler {
  if (token === undefined) return async (_c, next) => await next();
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
    if (!timingSafeEqual(digest(given), expected)) {
      return problemResponse(pgProblem("unauthorized", "Admin token missing or wrong"));
    }
    await next();
  };
}

function digest(value: string): Uint8Array {
  return createHash("sha256").update(value).digest();
}
