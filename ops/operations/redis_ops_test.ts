/**
 * The operations on the scale-out profile's Redis roles (rate-limit buckets,
 * the idempotency cache, cache statistics) against a real Redis; the
 * embedded profile's 409 answers are in ops/embedded_profile_test.ts.
 */
// test-needs: redis
import assert from "node:assert/strict";
import { createRateLimiter, redisRateLimitStore } from "@pay/gateway/rate_limit";
import { createRegistry } from "@pay/lib/metrics";
import { insertIdempotencyRecordStatement, runBatch } from "@pay/lib/db";
import { fixtureRows } from "@pay/lib/testing";
// The gateway's metrics are only needed to drive its limiter into blocking a merchant.
import { createGatewayMetrics } from "../../gateway/metrics.ts";
import { buildOpsApp } from "../app.ts";
import { redisOpsHarness, slowRateLimitRules } from "../testing/harness.ts";

const token = "r".repeat(40);

Deno.test("rate-limit status, blocked merchants and reset read and write the gateway's buckets", async () => {
  const h = await redisOpsHarness("ops_rate_limits", { rateLimitRules: slowRateLimitRules });
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const limiter = createRateLimiter({
      store: redisRateLimitStore(h.redis.redis),
      rules: h.ctx.rateLimitRules,
      metrics: createGatewayMetrics(createRegistry("gateway")),
      log: () => {},
    });
    const burst = h.ctx.rateLimitRules.refund.burst;
    let denied = 0;
    for (let i = 0; i < burst + 1; i++) {
      if (!(await limiter.check("M42", "refund")).allowed) denied++;
    }
    assert.equal(denied, 1);
    const status = await (await app.request("/api/ops/rate-limits/merchants/M42")).json();
    const refund = status.buckets.find((b: { endpointClass: string }) =>
      b.endpointClass === "refund"
    );
    assert.equal(refund.remaining, 0);
    assert.equal(refund.burst, burst);
    const blocked = await (await app.request("/api/ops/rate-limits/blocked")).json();
    assert.deepEqual(
      blocked.blocked.map((
        b: { merchantId: string; endpointClass: string },
      ) => [b.merchantId, b.endpointClass]),
      [["M42", "refund"]],
    );
    const page = await (await app.request("/rate-limits")).text();
    assert.match(page, /href="\/rate-limits\?merchantId=M42"/, "the console lists the merchant");
    const bucketsPage = await (await app.request("/rate-limits?merchantId=M42")).text();
    assert.match(
      bucketsPage,
      new RegExp(
        `<td>refund</td><td class="num">1</td><td class="num">${burst}</td><td class="num">0</td>`,
      ),
    );
    const reset = await app.request("/api/ops/rate-limits/merchants/M42/reset", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.deepEqual(await reset.json(), { merchantId: "M42", cleared: 1 });
    assert.equal((await limiter.check("M42", "refund")).allowed, true);
    const bad = await app.request("/api/ops/rate-limits/merchants/M42/reset", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ endpointClass: "bogus" }),
    });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("idempotency lookup shows the database record and the Redis entry without changing them", async () => {
  const h = await redisOpsHarness("ops_idempotency");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const none = await (await app.request("/api/ops/idempotency?merchantId=M123&key=k-1")).json();
    assert.deepEqual([none.record, none.cache], [null, null]);
    const dayMs = 86_400_000;
    await runBatch(h.db.pool, [insertIdempotencyRecordStatement({
      merchantId: "M123",
      key: "k-1",
      fingerprint: "f".repeat(64),
      method: "POST",
      path: "/api/payments/authorize",
      httpStatus: 201,
      body: '{"ok":true}',
      paymentId: "pay_x",
      createdAt: new Date(Date.now() - 2 * dayMs),
      expiresAt: new Date(Date.now() - dayMs),
    })]);
    await h.redis.redis.set(
      "idem:M123:k-1",
      JSON.stringify({ state: "done", fingerprint: "e".repeat(64), httpStatus: 201, body: "{}" }),
      "EX",
      600,
    );
    const found = await (await app.request("/api/ops/idempotency?merchantId=M123&key=k-1")).json();
    assert.equal(found.record.httpStatus, 201);
    assert.equal(found.record.expired, true);
    assert.equal(found.record.body, '{"ok":true}');
    assert.equal(found.cache.state, "done");
    assert.equal(found.cache.fingerprintDiffers, true);
    assert.ok(found.cache.ttlMs > 0 && found.cache.ttlMs <= 600_000);
    const [kept] = await fixtureRows(h.db.pool, "SELECT COUNT(*) AS n FROM idempotency_record");
    assert.equal(Number(kept!.n), 1, "an expired record is shown, not purged");
  } finally {
    await h.close();
  }
});

Deno.test("cache stats report hits, memory and the platform's keys by family; /ready checks Redis", async () => {
  const h = await redisOpsHarness("ops_cache_stats");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const ready = await app.request("/ready");
    assert.equal(ready.status, 200);
    assert.deepEqual((await ready.json()).checks, { db: "ok", redis: "ok" });
    await h.redis.redis.set("idem:M1:a", "1");
    await h.redis.redis.set("idem:M1:b", "1");
    await h.redis.redis.set("rl:M1:read", "1");
    await h.redis.redis.get("idem:M1:a");
    const stats = await (await app.request("/api/ops/cache")).json();
    assert.deepEqual(stats.keysByPrefix, { idem: 2, rl: 1 });
    assert.equal(stats.scanComplete, true);
    assert.ok(stats.hits >= 1);
    assert.ok(stats.usedMemoryBytes > 0);
  } finally {
    await h.close();
  }
});
