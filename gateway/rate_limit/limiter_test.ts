import assert from "node:assert/strict";
import { readGatewayConfig, readRedisConfig } from "@pay/lib/config";
import { createRedis } from "@pay/lib/redis";
import { createGatewayMetrics } from "../metrics.ts";
import { authHeaders, startTestGateway, testSecret } from "../testing/harness.ts";
import { serveStubUpstream } from "../testing/stub_upstream.ts";
import { embeddedGatewayStores } from "../shared_stores.ts";
import { createRateLimiter } from "./limiter.ts";
import { redisRateLimitStore } from "./redis_store.ts";
import { bucketStatus, recentlyBlocked, resetBuckets } from "./ops.ts";

// One request per minute sustained: no token refills while a test runs, however slow the machine.
const rules = {
  authorize: { perMinute: 1, burst: 3 },
  capture: { perMinute: 1, burst: 2 },
  refund: { perMinute: 1, burst: 2 },
  read: { perMinute: 1, burst: 2 },
};

for (const profile of ["scale-out", "embedded"] as const) {
  Deno.test(`${profile}: rate limits allow exactly the burst per merchant and class, then 429`, async (t) => {
    const upstream = serveStubUpstream({ secret: testSecret });
    const gw = await startTestGateway(`ratelimit_${profile.replace("-", "_")}`, {
      upstreams: { kind: "static", urls: [upstream.url] },
      rateLimits: rules,
    }, profile === "embedded" ? { shared: embeddedGatewayStores() } : {});
    const authorize = (key: string, merchantId: string) =>
      gw.request("/api/payments/authorize", {
        method: "POST",
        headers: authHeaders(key, { "idempotency-key": crypto.randomUUID() }),
        body: JSON.stringify({ merchantId, amount: 100, currency: "KRW" }),
      });
    try {
      await t.step("the first three authorizes pass with the headers counting down", async () => {
        for (const remaining of [2, 1, 0]) {
          const res = await authorize(gw.keys.M1, "M1");
          assert.equal(res.status, 201);
          assert.equal(res.headers.get("ratelimit-policy"), '"authorize";q=1;w=60');
          assert.match(
            res.headers.get("ratelimit")!,
            new RegExp(`^"authorize";r=${remaining};t=\\d+$`),
          );
          assert.equal(res.headers.get("x-ratelimit-limit"), "1");
          assert.equal(res.headers.get("x-ratelimit-remaining"), String(remaining));
          assert.ok(Number(res.headers.get("x-ratelimit-reset")) > Date.now() / 1000);
          await res.body?.cancel();
        }
      });

      await t.step("the fourth is 429 problem+json with Retry-After and every header", async () => {
        const before = upstream.received.length;
        const res = await authorize(gw.keys.M1, "M1");
        assert.equal(res.status, 429);
        assert.equal(res.headers.get("content-type"), "application/problem+json");
        assert.equal((await res.json()).code, "rate_limited");
        assert.equal(res.headers.get("retry-after"), "60");
        assert.equal(res.headers.get("ratelimit-policy"), '"authorize";q=1;w=60');
        assert.match(res.headers.get("ratelimit")!, /^"authorize";r=0;t=\d+$/);
        assert.equal(res.headers.get("x-ratelimit-remaining"), "0");
        assert.ok(res.headers.get("x-ratelimit-reset"));
        assert.ok(res.headers.get("x-request-id"));
        assert.equal(upstream.received.length, before);
      });

      await t.step("another merchant and another class keep their own buckets", async () => {
        const other = await authorize(gw.keys.M2, "M2");
        assert.equal(other.status, 201);
        await other.body?.cancel();
        const read = await gw.request("/api/payments/pay_1", { headers: authHeaders(gw.keys.M1) });
        assert.equal(read.status, 200);
        assert.match(read.headers.get("ratelimit")!, /^"read";r=1;/);
        await read.body?.cancel();
        const cancel = await gw.request("/api/payments/cancel/pay_1", {
          method: "POST",
          headers: authHeaders(gw.keys.M1),
        });
        assert.match(cancel.headers.get("ratelimit")!, /^"capture";r=1;/);
        await cancel.body?.cancel();
      });

      // The operator functions read Redis: the embedded profile's buckets live in the gateway process.
      if (profile === "embedded") return;
      await t.step("operators see the status and the blocked merchant, and can reset", async () => {
        const redis = gw.redis.redis;
        const status = await bucketStatus(redis, rules, "M1");
        assert.equal(status.find((s) => s.endpointClass === "authorize")!.remaining, 0);
        assert.equal(status.find((s) => s.endpointClass === "refund")!.remaining, 2);
        const blocked = await recentlyBlocked(redis, 60);
        assert.deepEqual(blocked.map((b) => [b.merchantId, b.endpointClass]), [[
          "M1",
          "authorize",
        ]]);
        assert.ok(Math.abs(blocked[0]!.lastBlockedAt.getTime() - Date.now()) < 60_000);
        assert.equal(await resetBuckets(redis, "M1", "authorize"), 1);
        const res = await authorize(gw.keys.M1, "M1");
        assert.equal(res.status, 201);
        await res.body?.cancel();
      });
    } finally {
      await gw.close();
      await upstream.close();
    }
  });
}

Deno.test("the limiter fails open, counted and logged once, when Redis is unreachable", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = listener.addr.port;
  listener.close();
  const redis = createRedis({ ...readRedisConfig({}), url: `redis://127.0.0.1:${closedPort}` });
  redis.on("error", () => {});
  const metrics = createGatewayMetrics();
  const logs: string[] = [];
  const limiter = createRateLimiter({
    store: redisRateLimitStore(redis),
    rules: readGatewayConfig({}).rateLimits,
    metrics,
    log: (line) => logs.push(line),
  });
  try {
    for (let i = 0; i < 3; i++) {
      const decision = await limiter.check("M1", "authorize");
      assert.equal(decision.kind, "fail_open");
      assert.equal(decision.allowed, true);
    }
    assert.equal((await metrics.rateLimitFailOpen.get()).values[0]!.value, 3);
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /failing open/);
  } finally {
    redis.disconnect();
  }
});
