import assert from "node:assert/strict";
import { createRateLimiter, redisRateLimitStore } from "@pay/gateway/rate_limit";
import { createRegistry } from "@pay/lib/metrics";
// The gateway's metrics are only needed to drive its limiter into blocking a merchant.
import { createGatewayMetrics } from "../../gateway/metrics.ts";
import { buildOpsApp } from "../app.ts";
import { opsHarness, slowRateLimitRules } from "../testing/harness.ts";

const token = "r".repeat(40);

Deno.test("rate-limit status, blocked merchants and reset read and write the gateway's buckets", async () => {
  const h = await opsHarness("ops_rate_limits", { rateLimitRules: slowRateLimitRules });
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

Deno.test("idempotency lookup shows the MariaDB record and the Redis entry without changing them", async () => {
  const h = await opsHarness("ops_idempotency");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const none = await (await app.request("/api/ops/idempotency?merchantId=M123&key=k-1")).json();
    assert.deepEqual([none.record, none.cache], [null, null]);
    await h.db.pool.driver.query(
      `INSERT INTO idempotency_record (merchant_id, idempotency_key, fingerprint, method, path, status,
         http_status, body, payment_id, created_at, expires_at)
       VALUES ('M123', 'k-1', ?, 'POST', '/api/payments/authorize', 'COMPLETED', 201, '{"ok":true}', 'pay_x',
               NOW(3) - INTERVAL 2 DAY, NOW(3) - INTERVAL 1 DAY)`,
      ["f".repeat(64)],
    );
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
    const [[kept]] = await h.db.pool.driver.query(
      "SELECT COUNT(*) AS n FROM idempotency_record",
    ) as unknown as [[{ n: number }]];
    assert.equal(Number(kept.n), 1, "an expired record is shown, not purged");
  } finally {
    await h.close();
  }
});

Deno.test("cache stats report hits, memory and the platform's keys by family", async () => {
  const h = await opsHarness("ops_cache_stats");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
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
