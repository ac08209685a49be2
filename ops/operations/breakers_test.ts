import assert from "node:assert/strict";
import { breakerAdminRoutes } from "@pay/lib/http";
import { createRegistry } from "@pay/lib/metrics";
import { createBreaker } from "@pay/lib/resilience";
import { buildOpsApp } from "../app.ts";
import { metricsText, opsHarness } from "../testing/harness.ts";

const token = "b".repeat(40);

Deno.test("breaker status and diagnosis name the open breaker and the dependency that is down", async () => {
  const h = await opsHarness("ops_breakers");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    h.network.metrics(
      "ingest-1.test:8181",
      () =>
        metricsText({
          breaker: "pg-authorize",
          state: 1,
          calls: { success: 10, failure: 30, rejected: 5 },
        }),
    );
    // workers.test is not on the fake network: it shows as down.
    const status = await (await app.request("/api/ops/breakers")).json();
    assert.deepEqual(status.breakers, [{
      service: "ingest-1",
      name: "pg-authorize",
      state: "open",
      calls: { success: 10, failure: 30, rejected: 5 },
    }]);
    assert.deepEqual(
      status.services.map((s: { service: string; up: boolean }) => [s.service, s.up]),
      [
        ["ingest-1", true],
        ["workers", false],
      ],
    );
    const diagnosis = await (await app.request("/api/ops/breakers/diagnosis")).json();
    assert.equal(diagnosis.healthy, false);
    assert.notEqual(diagnosis.probes.pg, "ok");
    assert.equal(diagnosis.probes.db, "ok");
    const [pg] = diagnosis.breakers;
    assert.equal(pg.dependency, "pg");
    assert.equal(pg.recentFailureRate, 0.75);
    assert.match(pg.likelyCause, /PG \(pgsim\) is down/);
    assert.deepEqual(diagnosis.servicesDown, ["workers"]);
  } finally {
    await h.close();
  }
});

Deno.test("a PG whose /health answers while its calls fail makes the diagnosis unhealthy and names it", async () => {
  const h = await opsHarness("ops_breakers_failing");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    h.network.handlers.set("pg.test:8090", () => Response.json({ status: "ok" }));
    let calls = { success: 100, failure: 0 };
    const healthyWorkers = () =>
      metricsText({ breaker: "pg-settlement", state: 0, calls: { success: 10 } });
    h.network.metrics(
      "ingest-1.test:8181",
      () => metricsText({ breaker: "pg-settlement", state: 0, calls }),
    );
    h.network.metrics("workers.test:8084", healthyWorkers);
    await h.ctx.sampler.scrapeAll();
    h.tick(5_000);
    calls = { success: 103, failure: 4 };
    const diagnosis = await (await app.request("/api/ops/breakers/diagnosis")).json();
    assert.equal(diagnosis.probes.pg, "ok", "the PG's /health answers");
    assert.equal(diagnosis.healthy, false);
    assert.deepEqual(diagnosis.failingDependencies, ["PG (pgsim)"]);
    const failing = diagnosis.breakers.find((b: { service: string }) => b.service === "ingest-1");
    assert.equal(failing.failing, true);
    assert.equal(failing.attemptedCalls, 7);
    assert.equal(failing.windowSeconds, 5);
    assert.match(failing.likelyCause, /PG \(pgsim\) fails 57 % of calls/);
    assert.equal(
      diagnosis.summary,
      "PG (pgsim) is failing: ingest-1/pg-settlement failed 57 % of 7 calls in the last 5 s",
    );

    h.tick(5_000);
    calls = { success: 110, failure: 4 };
    const recovered = await (await app.request("/api/ops/breakers/diagnosis")).json();
    assert.equal(recovered.breakers[0].recentFailureRate, 4 / 14, "the window spans 10 s");
    assert.equal(recovered.healthy, false, "4 of 14 calls in the window still fail");
    h.tick(60_000);
    await h.ctx.sampler.scrapeAll();
    h.tick(5_000);
    calls = { success: 120, failure: 4 };
    const healthy = await (await app.request("/api/ops/breakers/diagnosis")).json();
    assert.equal(healthy.healthy, true, healthy.summary);
    assert.deepEqual(healthy.failingDependencies, []);
    assert.match(healthy.summary, /^Healthy/);
  } finally {
    await h.close();
  }
});

Deno.test("the failure pattern compares scrapes over the window and sees flapping and timeouts", async () => {
  const h = await opsHarness("ops_failure_pattern");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    let calls = { success: 100, failure: 0, timeout: 0 };
    let state = 0;
    h.network.metrics(
      "ingest-1.test:8181",
      () => metricsText({ breaker: "pg-authorize", state, calls }),
    );
    await h.ctx.sampler.scrapeAll();
    for (const next of [1, 0, 1, 0]) {
      h.tick(5_000);
      state = next;
      calls = { ...calls, success: calls.success + 2, timeout: calls.timeout + 6 };
      await h.ctx.sampler.scrapeAll();
    }
    h.tick(5_000);
    const result = await (await app.request(
      "/api/ops/breakers/failure-pattern?name=pg-authorize&windowSeconds=60",
    ))
      .json();
    const [pattern] = result.patterns;
    assert.equal(pattern.basis, "window");
    assert.deepEqual(pattern.calls, { success: 8, failure: 0, timeout: 24 });
    assert.equal(pattern.failureRate, 0.75);
    assert.equal(pattern.transitions.length, 4);
    assert.match(pattern.pattern, /Flapping/);
    const unknown = await app.request("/api/ops/breakers/failure-pattern?name=nope");
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("forcing a breaker reaches the service's admin routes with the ops token", async () => {
  const h = await opsHarness("ops_breaker_force");
  const breaker = createBreaker(() => Promise.resolve(1), {
    name: "pg-authorize",
    timeoutMs: 1_000,
  });
  try {
    const admin = breakerAdminRoutes({
      token: h.ctx.opsToken,
      breakers: new Map([["pg-authorize", breaker]]),
    });
    h.network.handlers.set("ingest-1.test:8181", (request) => {
      if (new URL(request.url).pathname === "/metrics") {
        return new Response(
          metricsText({ breaker: "pg-authorize", state: breaker.opened ? 1 : 0 }),
        );
      }
      return admin.fetch(request);
    });
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const forced = await app.request("/api/ops/breakers/pg-authorize/open", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await forced.json();
    assert.equal(forced.status, 200);
    assert.deepEqual(body.results.map((r: { service: string; ok: boolean }) => [r.service, r.ok]), [
      ["ingest-1", true],
    ]);
    assert.equal(breaker.opened, true);
    const status = await (await app.request("/api/ops/breakers")).json();
    assert.equal(status.breakers[0].state, "open");
    await (await app.request("/api/ops/breakers/pg-authorize/close", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    })).body?.cancel();
    assert.equal(breaker.opened, false);
  } finally {
    breaker.shutdown();
    await h.close();
  }
});
