import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { DependencyUnavailableError, DomainError } from "@pay/lib/domain";
import {
  problem,
  ProblemError,
  problemFromDomainError,
  problemOfUnexpected,
  problemResponse,
} from "@pay/lib/http";
import { isTransientFailure } from "@pay/lib/resilience";

/**
 * The one place errors become HTTP: domain errors map to their problem; a
 * dependency that is unavailable (MariaDB refused or lost, pool wait
 * exceeded, deadlock) is a 503 with Retry-After; anything else is a 500.
 * The error's own text (driver messages name hosts and users) goes to the
 * log with the request id, never into the response.
 */
export function errorResponse(
  error: unknown,
  c: Context,
  log: (fields: Record<string, unknown>) => void,
): Response {
  if (error instanceof DependencyUnavailableError) {
    logError(c, log, "warn", "Dependency unavailable", error);
    return problemResponse(problemFromDomainError(error));
  }
  if (error instanceof DomainError) return problemResponse(problemFromDomainError(error));
  if (error instanceof ProblemError) return problemResponse(error.problem);
  if (error instanceof HTTPException && error.status < 500) {
    return problemResponse(problem("validation_error", error.message || "Bad request"));
  }
  const transient = isTransientFailure(error);
  logError(
    c,
    log,
    transient ? "warn" : "error",
    transient ? "Dependency unavailable" : "Unhandled error",
    error,
  );
  return problemResponse(problemOfUnexpected(error));
}

function logError(
  c: Context,
  log: (fields: Record<string, unknown>) => void,
  level: "warn" | "error",
  msg: string,
  error: unknown,
): void {
  log({
    level,
    msg,
    path: c.req.path,
    requestId: c.get("requestId"),
    error: error instanceof Error ? error.stack ?? error.message : String(error),
    ...(error instanceof Error && error.cause !== undefined ? { cause: String(error.cause) } : {}),
  });
}
