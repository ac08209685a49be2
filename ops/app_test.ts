import assert from "node:assert/strict";
import { createRegistry } from "@pay/lib/metrics";
import { buildOpsApp } from "./app.ts";
import { opsHarness } from "./testing/harness.ts";

const token = "x".repeat(40);

Deno.test("health, readiness and metrics answer; unknown routes are problem+json 404", async () => {
  const h = await opsHarness("ops_app_basics");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    assert.deepEqual(await (await app.request("/health")).json(), { status: "ok" });
    const ready = await app.request("/ready");
    assert.equal(ready.status, 200);
    assert.deepEqual((await ready.json()).checks, { db: "ok" }, "no Redis: none is checked");
    const metrics = await (await app.request("/metrics")).text();
    assert.match(metrics, /ops_http_requests_total\{route="\/ready",method="GET",status="200"/);
    const missing = await app.request("/api/ops/nothing");
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("content-type"), "application/problem+json");
    const index = await (await app.request("/api/ops")).json();
    assert.ok(index.operations.some((o: { path: string }) => o.path === "/api/ops/dlq/replay"));
  } finally {
    await h.close();
  }
});

Deno.test("mutations need the bearer token: 401 without it, 403 when no token is configured", async () => {
  const h = await opsHarness("ops_app_auth");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const body = JSON.stringify({ all: true });
    const headers = { "content-type": "application/json" };
    const anonymous = await app.request("/api/ops/outbox/requeue", {
      method: "POST",
      body,
      headers,
    });
    assert.equal(anonymous.status, 401);
    assert.equal((await anonymous.json()).code, "unauthorized");
    const wrong = await app.request("/api/ops/outbox/requeue", {
      method: "POST",
      body,
      headers: { ...headers, authorization: `Bearer ${"y".repeat(40)}` },
    });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const right = await app.request("/api/ops/outbox/requeue", {
      method: "POST",
      body,
      headers: { ...headers, authorization: `Bearer ${token}` },
    });
    assert.equal(right.status, 200);
    assert.deepEqual(await right.json(), { requeued: 0 });

    const locked = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token: null });
    const refused = await locked.request("/api/ops/outbox/requeue", {
      method: "POST",
      body,
      headers: { ...headers, authorization: `Bearer ${token}` },
    });
    assert.equal(refused.status, 403);
    assert.match((await refused.json()).detail, /set OPS_TOKEN/);
    const read = await locked.request("/api/ops/outbox");
    assert.equal(read.status, 200, "reads need no token");
    await read.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("bad input is a 400 problem naming the field, never a 500", async () => {
  const h = await opsHarness("ops_app_bad_input");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const cases: Array<[string, RequestInit | undefined, string]> = [
      ["/api/ops/payments?status=NOPE", undefined, "status"],
      ["/api/ops/payments?limit=0", undefined, "limit"],
      ["/api/ops/payments?from=yesterday", undefined, "from"],
      ["/api/ops/payments?colour=red", undefined, ""],
      ["/api/ops/payments/not-a-payment", undefined, "paymentId"],
      ["/api/ops/reconciliation/check?date=2025-02-30", undefined, "date"],
      ["/api/ops/breakers/failure-pattern?windowSeconds=5", undefined, "name"],
      ["/api/ops/dlq/replay", {
        method: "POST",
        body: "{not json",
        headers: { authorization: `Bearer ${token}` },
      }, ""],
      ["/api/ops/dlq/replay", {
        method: "POST",
        body: "{}",
        headers: { authorization: `Bearer ${token}` },
      }, ""],
    ];
    for (const [path, init, param] of cases) {
      const res = await app.request(path, init);
      const problem = await res.json();
      assert.equal(res.status, 400, `${path}: ${JSON.stringify(problem)}`);
      assert.equal(problem.code, "validation_error");
      if (param) assert.equal(problem.param, param, path);
    }
    const time = await app.request(
      "/api/ops/payments?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z",
    );
    assert.equal(time.status, 400);
    assert.match((await time.json()).detail, /time range is empty/);
    const missing = await app.request("/api/ops/payments/pay_0000000000aaaaaaaaaaaaaaaa");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await h.close();
  }
});
