import { Hono } from "hono";
import { metricsResponse } from "@pay/lib/metrics";
import {
  type AdmissionController,
  admissionMiddleware,
  defaultAdmissionOutcome,
  problem,
  problemOfUnexpected,
  problemResponse,
  problemTypePage,
} from "@pay/lib/http";
import {
  docsPageContentSecurityPolicy,
  docsPagePath,
  redocBundlePath,
  renderDocsPage,
} from "./docs/docs_page.ts";
import { redocBundleResponse } from "./docs/redoc_bundle.ts";
import { renderProblemsPage } from "./docs/problems_page.ts";
import { accessLogLine } from "./http/access_log.ts";
import { requestIdHeader, requestIdOf } from "./http/request_id.ts";
import type { GatewayMetrics } from "./metrics.ts";
import { handlePayment, type PaymentsDeps, type PaymentsNotes } from "./payments_handler.ts";
import { matchPaymentRoute } from "./routes.ts";

export interface GatewayAppDeps extends PaymentsDeps {
  readonly metrics: GatewayMetrics;
  /** Sheds what the platform cannot take before any other work (first middleware). */
  readonly admission: AdmissionController;
  readonly logAccess: boolean;
  /** Named dependency checks for /ready (Redis, upstreams). */
  readonly readiness: () => Promise<Record<string, boolean>>;
  /** The OpenAPI document of the payment API (served at /api/openapi.json and /api/docs). */
  readonly openApiDocument: () => Promise<unknown>;
}

type Env = { Variables: { requestId: string; route: string; notes: PaymentsNotes } };

/** The gateway's HTTP surface; main.ts wires the dependencies. */
export function createGatewayApp(deps: GatewayAppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const log = deps.log ?? ((line) => console.log(line));

  // First: a shed request costs no key lookup, body read, rate-limit trip or access log line.
  app.use(
    "*",
    admissionMiddleware(deps.admission, {
      // An ingest instance refusing for overload is the gateway's cue to back off.
      outcomeOf: (c) => c.get("notes")?.overloaded ? "dropped" : defaultAdmissionOutcome(c),
    }),
  );
  app.use("*", async (c, next) => {
    const startMs = performance.now();
    const requestId = requestIdOf(c.req.header(requestIdHeader));
    c.set("requestId", requestId);
    c.set("route", "unmatched");
    c.set("notes", {});
    await next();
    c.res.headers.set(requestIdHeader, requestId);
    const durationMs = performance.now() - startMs;
    const route = c.get("route");
    deps.metrics.requests.inc({ route, method: c.req.method, status: c.res.status });
    deps.metrics.duration.observe({ route }, durationMs / 1000);
    if (deps.logAccess) {
      log(accessLogLine({
        requestId,
        method: c.req.method,
        path: c.req.path,
        route,
        status: c.res.status,
        durationMs: Math.round(durationMs * 100) / 100,
        ...c.get("notes"),
      }, deps.nowMs()));
    }
  });

  app.get("/health", (c) => {
    c.set("route", "/health");
    return c.json({ status: "ok" });
  });
  app.get("/ready", async (c) => {
    c.set("route", "/ready");
    const checks = await deps.readiness();
    const ready = Object.values(checks).every(Boolean);
    return c.json({ status: ready ? "ready" : "not_ready", checks }, ready ? 200 : 503);
  });
  app.get("/metrics", (c) => {
    c.set("route", "/metrics");
    return metricsResponse(deps.metrics.registry);
  });
  app.get("/api/openapi.json", async (c) => {
    c.set("route", "/api/openapi.json");
    return c.json(await deps.openApiDocument());
  });
  app.get(docsPagePath, async (c) => {
    c.set("route", docsPagePath);
    c.header("Content-Security-Policy", docsPageContentSecurityPolicy);
    return c.html(renderDocsPage(documentTitle(await deps.openApiDocument())));
  });
  app.get(redocBundlePath, (c) => {
    c.set("route", redocBundlePath);
    return redocBundleResponse();
  });
  app.get(problemTypePage, (c) => {
    c.set("route", problemTypePage);
    return c.html(renderProblemsPage());
  });

  const payments = async (c: import("hono").Context<Env>) => {
    const match = matchPaymentRoute(c.req.method, c.req.path);
    if (match.kind === "not_found") return notFound(c.req.method, c.req.path);
    if (match.kind === "method_not_allowed") {
      c.set("route", match.route);
      return problemResponse(
        problem("method_not_allowed", `Method not allowed on ${match.route}: ${c.req.method}`),
        { Allow: match.allow },
      );
    }
    c.set("route", match.route.route);
    return await handlePayment(deps, c.req.raw, match.route, c.get("requestId"), c.get("notes"));
  };
  app.all("/api/payments", payments);
  app.all("/api/payments/*", payments);
  for (const path of ["/api/webhook-endpoints", "/api/events"]) {
    app.all(path, payments);
    app.all(`${path}/*`, payments);
  }

  app.notFound((c) => notFound(c.req.method, c.req.path));
  app.onError((error, c) => {
    log(JSON.stringify({
      level: "error",
      msg: "Unhandled gateway error",
      requestId: c.get("requestId"),
      error: String(error),
    }));
    // A dependency failure is a 503 with Retry-After; a bug a 500. Neither carries the error's text.
    return problemResponse(problemOfUnexpected(error));
  });
  return app;
}

function documentTitle(document: unknown): string {
  const info = (document as { info?: { title?: unknown } } | null)?.info;
  return typeof info?.title === "string" ? info.title : "Payment API";
}

function notFound(method: string, path: string): Response {
  return problemResponse(problem("not_found", `No such route: ${method} ${path}`));
}
