import { Hono } from "hono";
import { pingDatabase } from "@pay/lib/db";
import {
  admissionMiddleware,
  breakerAdminRoutes,
  createMeasuredAdmission,
  problem,
  problemResponse,
} from "@pay/lib/http";
import {
  countPaymentTransition,
  metricsResponse,
  registerPaymentTransitions,
} from "@pay/lib/metrics";
import { createBreaker } from "@pay/lib/resilience";
import type { PgAuthorizeRequest } from "@pay/lib/pg";
import type { IngestDeps, IngestEnv } from "./deps.ts";
import { errorResponse } from "./http/errors.ts";
import { readBody } from "./http/read_body.ts";
import { rateLimitedLogger, verifyGatewaySignature } from "./http/verify_signature.ts";
import type { GuardDeps } from "./idempotency/guard.ts";
import { idempotencyOutcomeCounter, ingestMetrics } from "./metrics.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { asPgUnavailable } from "./payments/authorize.ts";
import { mountPaymentRoutes } from "./routes.ts";
import { mountWebhookRoutes } from "./webhooks/routes.ts";

/**
 * Margin over the PG call timeout for the in-flight idempotency marker. The
 * marker only spares duplicate work (MariaDB's unique keys decide), so it is
 * kept short: after an ingest instance dies mid-request, the gateway's retry
 * on another instance waits at most PG_TIMEOUT_MS + this before it proceeds.
 */
const idempotencyLockMarginMs = 1_000;

/** The ingest HTTP app: signed payment API, health, readiness, metrics. */
export function buildIngestApp(deps: IngestDeps): Hono<IngestEnv> {
  const app = new Hono<IngestEnv>();
  const metrics = ingestMetrics(deps.registry);
  registerPaymentTransitions(deps.registry);
  const breaker = createBreaker(
    (request: PgAuthorizeRequest) => deps.pg.authorize(request),
    { name: "pg-authorize", timeoutMs: deps.config.pgTimeoutMs + 100, volumeThreshold: 20 },
    deps.registry,
  );
  const guard: GuardDeps = {
    pool: deps.pool,
    cache: deps.shared.idempotencyCache,
    now: deps.now,
    retentionMs: deps.config.idempotencyRetentionMs,
    lockTtlMs: deps.config.pgTimeoutMs + idempotencyLockMarginMs,
    onOutcome: idempotencyOutcomeCounter(metrics),
    onCacheError: rateLimitedLogger(
      deps.log,
      "Idempotency cache unavailable; using MariaDB alone",
      () => metrics.cacheErrors.inc(),
    ),
  };

  app.onError((error, c) => errorResponse(error, c, deps.log));
  app.notFound((c) =>
    problemResponse(problem("not_found", `No such route: ${c.req.method} ${c.req.path}`))
  );

  // First: a shed request costs no body read, signature check, idempotency or database work.
  app.use(
    "*",
    admissionMiddleware(createMeasuredAdmission(deps.config.admission, deps.registry, "ingest")),
  );
  app.use("*", async (c, next) => {
    const started = performance.now();
    c.set("requestId", c.req.header("x-request-id") ?? crypto.randomUUID());
    await next();
    const route = c.req.routePath;
    const labels = { route, method: c.req.method };
    metrics.requests.inc({ ...labels, status: String(c.res.status) });
    metrics.duration.observe(labels, (performance.now() - started) / 1000);
    c.header("x-request-id", c.get("requestId"));
  });

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", async (c) => {
    const checks = await readiness(deps);
    return c.json(
      { status: checks.db === "ok" ? "ready" : "not_ready", checks },
      checks.db === "ok" ? 200 : 503,
    );
  });
  app.get("/metrics", () => metricsResponse(deps.registry));
  app.get("/api/openapi.json", (c) => c.json(buildOpenApiDocument()));
  app.route(
    "/",
    breakerAdminRoutes({ token: deps.opsToken, breakers: new Map([[breaker.name, breaker]]) }),
  );

  // "/api/payments/*" also matches "/api/payments" itself.
  app.use("/api/payments/*", readBody(deps.config.bodySizeBytesMax));
  const signature = verifyGatewaySignature(
    deps.internalAuth,
    deps.shared.nonces,
    rateLimitedLogger(
      deps.log,
      "Nonce store unavailable; replay check limited to the timestamp window",
      () => metrics.nonceStoreErrors.inc(),
    ),
  );
  app.use("/api/payments/*", signature);
  for (const path of webhookApiPaths) {
    app.use(path, readBody(deps.config.bodySizeBytesMax));
    app.use(path, signature);
  }

  mountPaymentRoutes(app, {
    deps,
    guard,
    metrics,
    authorizeDeps: {
      pool: deps.pool,
      now: deps.now,
      authExpiryMs: deps.config.authExpiryMs,
      authorizeAtPg: async (request) => {
        try {
          return await breaker.fire(request);
        } catch (error) {
          throw asPgUnavailable(error);
        }
      },
      onCreated: (payment) => {
        metrics.payments.inc({ status: payment.status, currency: payment.currency });
        countPaymentTransition(deps.registry, null, payment.status);
      },
    },
  });
  mountWebhookRoutes(app, {
    deps,
    guard,
    allowPrivateUrls: deps.webhooks.allowPrivateUrls,
    eventRetentionMs: deps.webhooks.eventRetentionMs,
  });
  return app;
}

/** The webhook API's paths ("/x/*" also matches "/x"). */
const webhookApiPaths = ["/api/webhook-endpoints/*", "/api/events/*"];

/**
 * The database decides readiness. Redis (scale-out) is shown but does not:
 * without it ingest still answers correctly, counted and logged (the
 * database decides idempotency; replay protection keeps the timestamp window).
 */
async function readiness(deps: IngestDeps): Promise<Record<string, string>> {
  const shared = Object.entries(deps.shared.readiness);
  const [db, ...others] = await Promise.allSettled([
    pingDatabase(deps.pool),
    ...shared.map(([, check]) => check()),
  ]);
  return {
    db: db!.status === "fulfilled" ? "ok" : "down",
    ...Object.fromEntries(shared.map(([name], i) => {
      const result = others[i]!;
      return [name, result.status === "fulfilled" && result.value ? "ok" : "down"];
    })),
  };
}
