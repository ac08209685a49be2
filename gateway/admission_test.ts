/**
 * Admission control at the gateway (embedded profile): a flood far above the
 * concurrency limit is refused with 503 + Retry-After before any other work,
 * the admitted requests succeed, and an ingest instance refusing for overload
 * makes the gateway's limit back off.
 */
import assert from "node:assert/strict";
import { readGatewayConfig } from "@pay/lib/config";
import { overloadedResponse } from "@pay/lib/http";
import { authHeaders, startTestGateway, testSecret } from "./testing/harness.ts";
import { serveStubUpstream } from "./testing/stub_upstream.ts";

const defaults = readGatewayConfig({}).admission;

async function metricValue(
  gw: { gateway: { metrics: { registry: import("@pay/lib/metrics").Registry } } },
  name: string,
): Promise<number> {
  const metric = gw.gateway.metrics.registry.getSingleMetric(name);
  assert.ok(metric, `${name} is exported`);
  const { values } = await metric.get();
  return values.reduce((sum, v) => sum + v.value, 0);
}

Deno.test("a flood far above the limit: the excess gets 503 + Retry-After before any work, the admitted succeed", async () => {
  const upstream = serveStubUpstream({ secret: testSecret });
  const limit = 4;
  const queueSizeMax = 2;
  const gw = await startTestGateway("admission_flood", {
    upstreams: { kind: "static", urls: [upstream.url] },
    admission: {
      ...defaults,
      limitInitial: limit,
      limitMin: limit,
      limitMax: limit,
      queueSizeMax,
      queueWaitMsMax: 60_000,
    },
  });
  try {
    const flood = 200;
    const answers = await Promise.all(
      Array.from({ length: flood }, (_, i) =>
        gw.request("/api/payments/authorize", {
          method: "POST",
          headers: authHeaders(gw.keys.M1, { "idempotency-key": `flood-${i}` }),
          body: JSON.stringify({ amount: 1000, currency: "KRW" }),
        })),
    );
    const byStatus = new Map<number, number>();
    for (const res of answers) byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
    const admitted = limit + queueSizeMax;
    assert.deepEqual(Object.fromEntries(byStatus), { 201: admitted, 503: flood - admitted });
    for (const res of answers.filter((r) => r.status === 503)) {
      assert.equal(res.headers.get("retry-after"), "1");
      assert.equal((await res.json()).code, "overloaded");
    }
    for (const res of answers.filter((r) => r.status === 201)) await res.body?.cancel();
    // Only the admitted were authenticated, rate limited and forwarded.
    assert.equal(upstream.received.length, admitted);
    assert.equal(await metricValue(gw, "gateway_rate_limit_decisions_total"), admitted);
    assert.equal(await metricValue(gw, "gateway_admission_shed_total"), flood - admitted);
    assert.equal(await metricValue(gw, "gateway_admission_in_flight"), 0);
    assert.equal(await metricValue(gw, "gateway_admission_limit"), limit);
  } finally {
    await gw.close();
    await upstream.close();
  }
});

Deno.test("/health, /ready and /metrics answer while every slot is taken", async () => {
  const upstream = serveStubUpstream({ secret: testSecret, delayMs: 200 });
  const gw = await startTestGateway("admission_exempt", {
    upstreams: { kind: "static", urls: [upstream.url] },
    admission: { ...defaults, limitInitial: 1, limitMin: 1, limitMax: 1, queueSizeMax: 0 },
  });
  try {
    const held = gw.request("/api/payments", { headers: authHeaders(gw.keys.M1) });
    const shed = await gw.request("/api/payments", { headers: authHeaders(gw.keys.M1) });
    assert.equal(shed.status, 503);
    await shed.body?.cancel();
    for (const path of ["/health", "/ready", "/metrics"]) {
      const res = await gw.request(path);
      assert.equal(res.status, 200, path);
      await res.body?.cancel();
    }
    const res = await held;
    assert.equal(res.status, 200);
    await res.body?.cancel();
  } finally {
    await gw.close();
    await upstream.close();
  }
});

Deno.test("an ingest instance refusing for overload passes through and backs the gateway's limit off", async () => {
  let refuse = false;
  const upstream = serveStubUpstream({
    secret: testSecret,
    respond: () => refuse ? overloadedResponse() : undefined,
  });
  // Windows of one sample, no minimum time: every answer moves the limit.
  const gw = await startTestGateway("admission_drop", {
    upstreams: { kind: "static", urls: [upstream.url] },
    admission: { ...defaults, limitInitial: 50, limitMin: 1, windowMs: 0, windowSamplesMin: 1 },
  });
  try {
    const send = () => gw.request("/api/payments", { headers: authHeaders(gw.keys.M1) });
    const probed = await send(); // the first answer measures the no-load latency
    assert.equal(probed.status, 200);
    await probed.body?.cancel();
    assert.equal(await metricValue(gw, "gateway_admission_limit"), 50);
    refuse = true;
    const refused = await send();
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "1");
    assert.equal((await refused.json()).code, "overloaded");
    assert.equal(await metricValue(gw, "gateway_admission_limit"), 45);
  } finally {
    await gw.close();
    await upstream.close();
  }
});
