import assert from "node:assert/strict";
import { Hono } from "hono";
import type { RatePlan } from "../plan/stages.ts";
import { type LoadRunOptions, runLoad } from "./load_run.ts";

function options(targetUrl: string, plan: RatePlan, silenceAbortMs: number): LoadRunOptions {
  return {
    plan,
    scenario: { scenario: "authorize", refund: false, refundRatio: 0, currency: "KRW" },
    targetUrl,
    maxInFlight: 1_000,
    lateToleranceMs: 10,
    requestTimeoutMs: 2_000,
    socketsMax: 10,
    gracefulStopMs: 5_000,
    completionTimeoutMs: 5_000,
    silenceAbortMs,
  };
}

const deps = {
  auth: { kind: "bearer" as const },
  merchants: [{ merchantId: "LT_t_1", apiKey: "pk_test_x_y" }],
  runId: "t",
};

/** A loopback port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("a run against a target that answers nothing stops early and says why", async () => {
  const plan = { startRate: 20, stages: [{ name: "c", durationMs: 600_000, target: 20 }] };
  const url = `http://127.0.0.1:${closedPort()}`;
  const result = await runLoad(options(url, plan, 2_000), deps);
  assert.match(result.aborted ?? "", /^No answer from http:\/\/127\.0\.0\.1:\d+ for [23] s/);
  assert.ok(result.arrivals.scheduled < 200, `${result.arrivals.scheduled} scheduled`);
  assert.ok(
    result.errors.some((e) => e.key === "authorize ECONNREFUSED"),
    JSON.stringify(result.errors),
  );
});

Deno.test("a target answering only errors is alive: the run goes on and counts them", async () => {
  const app = new Hono();
  app.all("*", (c) => c.json({ code: "service_unavailable" }, 503));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  try {
    const plan = { startRate: 20, stages: [{ name: "c", durationMs: 2_000, target: 20 }] };
    const url = `http://127.0.0.1:${server.addr.port}`;
    const result = await runLoad(options(url, plan, 1_000), deps);
    assert.equal(result.aborted, undefined);
    assert.equal(result.arrivals.scheduled, 40);
    assert.deepEqual(result.errors, [{ key: "authorize 503 service_unavailable", count: 40 }]);
  } finally {
    await server.shutdown();
  }
});
