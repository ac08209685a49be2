import { pingDatabase } from "@pay/lib/db";
import { displayTimeZoneDefault } from "@pay/lib/config";
import { probeWithin } from "@pay/lib/resilience";
import { Hono } from "hono";
import { problem, problemResponse } from "@pay/lib/http";
import { metricsResponse, type Registry } from "@pay/lib/metrics";
import { mountConsoleActions } from "./console/actions.tsx";
import { mountConsolePages } from "./console/pages_routes.tsx";
import { SessionStore } from "./console/session.ts";
import { mountApi } from "./http/api.ts";
import { problemOfError } from "./http/errors.ts";
import { opsMetrics } from "./metrics/ops_metrics.ts";
import type { OpsContext } from "./operations/context.ts";

export interface OpsAppDeps {
  readonly ctx: OpsContext;
  readonly registry: Registry;
  /** OPS_TOKEN (or the development default); null disables every mutation. */
  readonly token: string | null;
  readonly devToken?: boolean;
  /** How often the overview page reloads itself (the scrape interval). */
  readonly refreshSeconds?: number;
  readonly sessions?: SessionStore;
  readonly log?: (line: string) => void;
  /** DISPLAY_TIME_ZONE for the console's times (default Asia/Seoul). */
  readonly timeZone?: string;
}

/** Longest wait for one readiness probe: a hung dependency must turn /ready red quickly. */
export const readyCheckTimeoutMs = 2_000;

function probe(check: () => Promise<unknown>): Promise<string> {
  return probeWithin(check, readyCheckTimeoutMs);
}

/** The ops service: JSON API under /api/ops, console pages, /health, /ready, /metrics. */
export function buildOpsApp(deps: OpsAppDeps): Hono {
  const { ctx } = deps;
  const log = deps.log ?? ((line: string) => console.error(line));
  const metrics = opsMetrics(deps.registry, ctx.sampler);
  const app = new Hono();

  app.onError((error, c) => {
    const p = problemOfError(error, log);
    metrics.requests.inc({
      route: c.req.routePath,
      method: c.req.method,
      status: String(p.status),
    });
    return problemResponse(p);
  });
  app.notFound((c) =>
    problemResponse(problem("not_found", `No such route: ${c.req.method} ${c.req.path}`))
  );

  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    const labels = { route: c.req.routePath, method: c.req.method };
    metrics.requests.inc({ ...labels, status: String(c.res.status) });
    metrics.duration.observe(labels, (performance.now() - started) / 1_000);
  });

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", async (c) => {
    const redisClient = ctx.redis;
    const [db, redis] = await Promise.all([
      probe(() => pingDatabase(ctx.pool)),
      // The embedded profile has no Redis to wait for.
      redisClient ? probe(() => redisClient.ping()) : undefined,
    ]);
    const ready = db === "ok" && (redis === undefined || redis === "ok");
    return c.json(
      {
        status: ready ? "ready" : "not_ready",
        checks: { db, ...(redis === undefined ? {} : { redis }) },
      },
      ready ? 200 : 503,
    );
  });
  app.get("/metrics", () => metricsResponse(deps.registry));

  mountApi(app, { ctx, token: deps.token });
  const consoleDeps = {
    ctx,
    sessions: deps.sessions ?? new SessionStore(),
    token: deps.token,
    devToken: deps.devToken ?? false,
    refreshSeconds: deps.refreshSeconds ?? 5,
    timeZone: deps.timeZone ?? displayTimeZoneDefault,
  };
  mountConsolePages(app, consoleDeps);
  mountConsoleActions(app, consoleDeps);
  return app;
}
