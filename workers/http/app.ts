import { Hono } from "hono";
import { problem, problemResponse } from "@pay/lib/http";
import { metricsResponse, type Registry } from "@pay/lib/metrics";

/** A dependency probe: resolves when the dependency answers. */
export type ReadinessCheck = () => Promise<void>;

/**
 * Longest wait for one readiness probe. Probes answer in milliseconds when
 * healthy; a hung dependency must turn /ready red well within a scrape or
 * orchestrator probe interval (typically 5-10 s).
 */
export const readyCheckTimeoutMs = 2_000;

export interface WorkersAppDeps {
  readonly registry: Registry;
  /** Named probes /ready runs, e.g. db, redis, bus. */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
}

/** /health (liveness), /ready (MariaDB, Redis, bus) and /metrics of the worker process. */
export function createWorkersApp(deps: WorkersAppDeps): Hono {
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", async (c) => {
    const names = Object.keys(deps.checks);
    const results = await Promise.all(names.map((name) => probe(deps.checks[name]!)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    const ready = results.every((r) => r === "ok");
    return c.json({ status: ready ? "ready" : "not_ready", checks }, ready ? 200 : 503);
  });
  app.get("/metrics", () => metricsResponse(deps.registry));
  app.notFound((c) => problemResponse(problem("not_found", `No such endpoint: ${c.req.path}`)));
  return app;
}

async function probe(check: ReadinessCheck): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`No answer within ${readyCheckTimeoutMs} ms`)),
      readyCheckTimeoutMs,
    );
  });
  try {
    await Promise.race([check(), timeout]);
    return "ok";
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    clearTimeout(timer);
  }
}
