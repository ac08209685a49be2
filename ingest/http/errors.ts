import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { DependencyUnavailableError, DomainError } from "@pay/lib/domain";
import { problem, ProblemError, problemFromDomainError, problemResponse } from "@pay/lib/http";

/**
 * The one place errors become HTTP: domain errors map to their problem, and
 * anything else is a 500 that is logged (never a leak of internals).
 */
export function errorResponse(
  error: unknown,
  c: Context,
  log: (fields: Record<string, unknown>) => void,
): Response {
  if (error instanceof DependencyUnavailableError) return dependencyUnavailable(error, c, log);
  if (error instanceof DomainError) return problemResponse(problemFromDomainError(error));
  if (error instanceof ProblemError) return problemResponse(error.problem);
  if (error instanceof HTTPException && error.status < 500) {
    return problemResponse(problem("validation_error", error.message || "Bad request"));
  }
  log({
    level: "error",
    msg: "Unhandled error",
    path: c.req.path,
    requestId: c.get("requestId"),
    error: error instanceof Error ? error.stack ?? error.message : String(error),
  });
  return problemResponse(problem("internal_error", "An unexpected error occurred"));
}

/** Seconds a client is asked to wait after a dependency failure: a restart or failover is that quick. */
const dependencyRetryAfterSeconds = 1;

/** 503 + Retry-After; the driver's text (hosts, users) goes to the log, never to the client. */
function dependencyUnavailable(
  error: DependencyUnavailableError,
  c: Context,
  log: (fields: Record<string, unknown>) => void,
): Response {
  log({
    level: "warn",
    msg: "Dependency unavailable",
    dependency: error.dependency,
    path: c.req.path,
    requestId: c.get("requestId"),
    error: error.message,
  });
  return problemResponse(
    problem("service_unavailable", `A dependency is temporarily unavailable: ${error.dependency}`),
    { "retry-after": String(dependencyRetryAfterSeconds) },
  );
}
