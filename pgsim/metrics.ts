import type { MiddlewareHandler } from "hono";
import { latencyBucketsSeconds, prom, type Registry } from "@pay/lib/metrics";
import { pgHeaders } from "@pay/lib/pg";

export type PgsimOperation =
  | "authorize"
  | "capture"
  | "refund"
  | "cancel"
  | "lookup"
  | "settlements"
  | "other";

/**
 * Counts and times every /v1 call as
 * `pgsim_requests_total{operation,outcome}` and
 * `pgsim_request_duration_seconds{operation}` (injected latency included).
 */
export function pgsimMetrics(registry: Registry): MiddlewareHandler {
  const requests = new prom.Counter({
    name: "pgsim_requests_total",
    help: "pgsim /v1 requests by operation and outcome",
    labelNames: ["operation", "outcome"] as const,
    registers: [registry],
  });
  const duration = new prom.Histogram({
    name: "pgsim_request_duration_seconds",
    help: "pgsim /v1 request duration, injected latency included",
    labelNames: ["operation"] as const,
    buckets: latencyBucketsSeconds,
    registers: [registry],
  });
  return async (c, next) => {
    const startedMs = performance.now();
    await next();
    const operation = operationOf(c.req.method, c.req.path);
    const replayed = c.res.headers.get(pgHeaders.replayed) === "true";
    requests.inc({ operation, outcome: outcomeOf(operation, c.res.status, replayed) });
    duration.observe({ operation }, (performance.now() - startedMs) / 1_000);
  };
}

const operationPath = /^\/v1\/authorizations\/[^/]+\/(capture|refund|cancel)$/;

export function operationOf(method: string, path: string): PgsimOperation {
  if (method === "POST" && path === "/v1/authorizations") return "authorize";
  if (method === "GET" && path === "/v1/settlements") return "settlements";
  if (method === "GET" && path === "/v1/authorizations") return "lookup";
  const match = method === "POST" ? operationPath.exec(path) : null;
  return match === null ? "other" : match[1] as "capture" | "refund" | "cancel";
}

/** A small fixed label set: approved, succeeded, declined, rejected, replayed, invalid, mismatch, unavailable, error. */
export function outcomeOf(operation: PgsimOperation, status: number, replayed: boolean): string {
  if (replayed) return "replayed";
  switch (status) {
    case 200:
      return operation === "authorize" ? "approved" : "succeeded";
    case 402:
      return "declined";
    case 400:
    case 413:
      return "invalid";
    case 404:
    case 409:
      return "rejected";
    case 422:
      return "mismatch";
    case 503:
      return "unavailable";
    default:
      return "error";
  }
}
