/** Redis down under the scale-out profile: the gateway fails open and says so on /ready. */
// test-needs: redis
import assert from "node:assert/strict";
import { authHeaders, startScaleOutTestGateway, testSecret } from "./testing/harness.ts";
import { serveStubUpstream } from "./testing/stub_upstream.ts";

Deno.test("Redis down at the gateway: rate limiting fails open, requests are served, /ready says not ready", async () => {
  const upstream = serveStubUpstream({ secret: testSecret });
  const gw = await startScaleOutTestGateway("fault_redis", {
    upstreams: { kind: "static", urls: [upstream.url] },
    rateLimitEnabled: true,
  });
  try {
    const ready = await gw.request("/ready");
    assert.equal(ready.status, 200);
    assert.deepEqual((await ready.json()).checks, { redis: true, upstream: true });

    gw.redis.redis.disconnect();
    const res = await gw.request("/api/payments", { headers: authHeaders(gw.keys.M1) });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal(upstream.received.length, 1);
    const notReady = await gw.request("/ready");
    assert.equal(notReady.status, 503);
    assert.deepEqual((await notReady.json()).checks, { redis: false, upstream: true });
  } finally {
    // The Redis client is disconnected already: close the rest only.
    gw.gateway.close();
    await gw.db.close();
    await upstream.close();
  }
});
