import assert from "node:assert/strict";
import { authHeaders, type TestGateway } from "./harness.ts";
import type { StubServer } from "./stub_upstream.ts";

// One request per minute sustained: no token refills while a test runs, however slow the machine.
export const limitedRules = {
  authorize: { perMinute: 1, burst: 3 },
  capture: { perMinute: 1, burst: 2 },
  refund: { perMinute: 1, burst: 2 },
  read: { perMinute: 1, burst: 2 },
};

/** An authorize through `gw` with `apiKey` and a fresh idempotency key. */
export function authorizeThrough(gw: TestGateway, apiKey: string, merchantId: string) {
  return gw.request("/api/payments/authorize", {
    method: "POST",
    headers: authHeaders(apiKey, { "idempotency-key": crypto.randomUUID() }),
    body: JSON.stringify({ merchantId, amount: 100, currency: "KRW" }),
  });
}

/**
 * The rate limits of a gateway built with `limitedRules`, seen by a client,
 * whichever profile's store holds the buckets: the burst passes, then 429,
 * per merchant and class.
 */
export async function burstSteps(
  t: Deno.TestContext,
  gw: TestGateway,
  upstream: StubServer,
): Promise<void> {
  await t.step("the first three authorizes pass with the headers counting down", async () => {
    for (const remaining of [2, 1, 0]) {
      const res = await authorizeThrough(gw, gw.keys.M1, "M1");
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
    const res = await authorizeThrough(gw, gw.keys.M1, "M1");
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
    const other = await authorizeThrough(gw, gw.keys.M2, "M2");
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
}
