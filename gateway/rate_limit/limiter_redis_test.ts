/** Rate limits under the scale-out profile: buckets in Redis, which operators read and reset. */
// test-needs: redis
import assert from "node:assert/strict";
import { startScaleOutTestGateway, testSecret } from "../testing/harness.ts";
import { authorizeThrough, burstSteps, limitedRules } from "../testing/rate_limit_steps.ts";
import { serveStubUpstream } from "../testing/stub_upstream.ts";
import { bucketStatus, recentlyBlocked, resetBuckets } from "./ops.ts";

Deno.test("scale-out: rate limits allow exactly the burst per merchant and class, then 429", async (t) => {
  const upstream = serveStubUpstream({ secret: testSecret });
  const gw = await startScaleOutTestGateway("ratelimit_scale_out", {
    upstreams: { kind: "static", urls: [upstream.url] },
    rateLimits: limitedRules,
  });
  try {
    await burstSteps(t, gw, upstream);

    // The embedded profile's buckets live in the gateway process: operators read Redis's.
    await t.step("operators see the status and the blocked merchant, and can reset", async () => {
      const redis = gw.redis.redis;
      const status = await bucketStatus(redis, limitedRules, "M1");
      assert.equal(status.find((s) => s.endpointClass === "authorize")!.remaining, 0);
      assert.equal(status.find((s) => s.endpointClass === "refund")!.remaining, 2);
      const blocked = await recentlyBlocked(redis, 60);
      assert.deepEqual(blocked.map((b) => [b.merchantId, b.endpointClass]), [[
        "M1",
        "authorize",
      ]]);
      assert.ok(Math.abs(blocked[0]!.lastBlockedAt.getTime() - Date.now()) < 60_000);
      assert.equal(await resetBuckets(redis, "M1", "authorize"), 1);
      const res = await authorizeThrough(gw, gw.keys.M1, "M1");
      assert.equal(res.status, 201);
      await res.body?.cancel();
    });
  } finally {
    await gw.close();
    await upstream.close();
  }
});
