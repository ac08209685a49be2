import assert from "node:assert/strict";
import { readGatewayConfig, readRedisConfig } from "@pay/lib/config";
import { createRedis } from "@pay/lib/redis";
import { freePort } from "@pay/lib/testing";
import { createGatewayMetrics } from "../metrics.ts";
import { startTestGateway, testSecret } from "../testing/harness.ts";
import { burstSteps, limitedRules } from "../testing/rate_limit_steps.ts";
import { serveStubUpstream } from "../testing/stub_upstream.ts";
import { createRateLimiter } from "./limiter.ts";
import { redisRateLimitStore } from "./redis_store.ts";

// The scale-out profile's run of the same steps, and its operator functions: limiter_redis_test.ts.
Deno.test("embedded: rate limits allow exactly the burst per merchant and class, then 429", async (t) => {
  const upstream = serveStubUpstream({ secret: testSecret });
  const gw = await startTestGateway("ratelimit_embedded", {
    upstreams: { kind: "static", urls: [upstream.url] },
    rateLimits: limitedRules,
  });
  try {
    await burstSteps(t, gw, upstream);
  } finally {
    await gw.close();
    await upstream.close();
  }
});

Deno.test("the limiter fails open, counted and logged once, when Redis is unreachable", async () => {
  const redis = createRedis({ ...readRedisConfig({}), url: `redis://127.0.0.1:${freePort()}` });
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
