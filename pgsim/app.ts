import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { PgsimConfig } from "@pay/lib/config";
import { createRegistry, metricsResponse, type Registry } from "@pay/lib/metrics";
import { pgProblem, type SimDb } from "@pay/lib/pg";
import { jsonResponse, problemResponse } from "./answers.ts";
import type { Clock } from "./clock.ts";
import { createFaults } from "./faults.ts";
import { pgsimMetrics } from "./metrics.ts";
import type { Prng } from "./prng.ts";
import { adminRoutes } from "./routes/admin.ts";
import { v1Routes } from "./routes/v1.ts";
import type { PgsimRuntime } from "./runtime.ts";

/** Largest request body: PG requests are ~200 bytes; 4 KiB leaves room and refuses floods. */
export const pgsimBodyBytesMax = 4_096;

export interface PgsimDeps {
  readonly config: PgsimConfig;
  readonly clock: Clock;
  /** Seeded source of every fault draw; its seed is the one /admin/reset returns to. */
  readonly random: Prng;
  readonly db: SimDb;
  readonly registry?: Registry;
}

export interface Pgsim {
  readonly app: Hono;
  readonly registry: Registry;
  /** Releases held answers (latency, tok_timeout) so a server can shut down at once. */
  close(): void;
}

export function createPgsimApp(deps: PgsimDeps): Pgsim {
  const closing = new AbortController();
  const rt: PgsimRuntime = {
    config: deps.config,
    clock: deps.clock,
    db: deps.db,
    prng: deps.random,
    initialSeed: deps.random.seed,
    faults: createFaults(deps.config.faults, deps.random),
    closing: closing.signal,
  };
  const registry = deps.registry ?? createRegistry("pgsim");
  const app = new Hono();
  const limitBody = bodyLimit({
    maxSize: pgsimBodyBytesMax,
    onError: () =>
      problemResponse(
        pgProblem("payload_too_large", `Body exceeds ${pgsimBodyBytesMax} bytes`),
      ),
  });

  app.use("/v1/*", pgsimMetrics(registry));
  app.use("/v1/*", limitBody);
  app.use("/admin/*", limitBody);
  app.route("/v1", v1Routes(rt));
  app.route("/admin", adminRoutes(rt));
  app.get("/health", () => jsonResponse({ status: "ok" }));
  app.get("/ready", () => ready(rt.db));
  app.get("/metrics", () => metricsResponse(registry));
  app.notFound((c) =>
    problemResponse(pgProblem("not_found", `No route: ${c.req.method} ${c.req.path}`))
  );
  app.onError((error) => {
    console.error("pgsim: unexpected error", error);
    return problemResponse(pgProblem("internal_error", "Unexpected error"));
  });
  return { app, registry, close: () => closing.abort() };
}

function ready(db: SimDb): Response {
  try {
    db.check();
    return jsonResponse({ status: "ready" });
  } catch (error) {
    return jsonResponse({ status: "unavailable", detail: String(error) }, 503);
  }
}
