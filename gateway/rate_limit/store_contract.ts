/**
 * One set of limiter cases for every rate-limit store: the embedded profile
 * must decide, and answer with headers, exactly as Redis does. Memory:
 * store_contract_test.ts; Redis: redis_store_contract_test.ts.
 */
import assert from "node:assert/strict";
import type { RateLimitClass } from "@pay/lib/config";
import { createGatewayMetrics } from "../metrics.ts";
import { limitedRules } from "../testing/rate_limit_steps.ts";
import { rateLimitHeaders } from "./headers.ts";
import { createRateLimiter } from "./limiter.ts";
import type { RateLimitStore } from "./store.ts";

/** Headers are computed at a fixed instant so that X-RateLimit-Reset is exact. */
const headersAtMs = 1_700_000_000_000;
const headersAtSeconds = headersAtMs / 1000;

export interface RateLimitStoreAdapter {
  readonly name: string;
  open(test: string): Promise<{ store: RateLimitStore; close(): Promise<void> }>;
}

function limiterOver(store: RateLimitStore) {
  const limiter = createRateLimiter({
    store,
    rules: limitedRules,
    metrics: createGatewayMetrics(),
    log: () => {},
  });
  return async (merchantId: string, endpointClass: RateLimitClass) =>
    rateLimitHeaders(await limiter.check(merchantId, endpointClass), headersAtMs);
}

const policy = { "RateLimit-Policy": '"authorize";q=1;w=60', "X-RateLimit-Limit": "1" };

/** Registers every case for `adapter`. */
export function rateLimitStoreContract(adapter: RateLimitStoreAdapter): void {
  Deno.test(`${adapter.name} rate-limit store: the burst passes back to back, counting down, then 429 headers`, async () => {
    const { store, close } = await adapter.open("burst");
    try {
      const check = limiterOver(store);
      for (const [remaining, resetSeconds] of [[2, 60], [1, 120], [0, 180]] as const) {
        assert.deepEqual(await check("M1", "authorize"), {
          ...policy,
          "RateLimit": `"authorize";r=${remaining};t=${resetSeconds}`,
          "X-RateLimit-Remaining": String(remaining),
          "X-RateLimit-Reset": String(headersAtSeconds + resetSeconds),
        });
      }
      for (let denial = 0; denial < 2; denial++) {
        assert.deepEqual(await check("M1", "authorize"), {
          ...policy,
          "RateLimit": '"authorize";r=0;t=180',
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": String(headersAtSeconds + 180),
          "Retry-After": "60",
        }, "a denial is not counted: the next request is denied alike");
      }
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} rate-limit store: each merchant and endpoint class has its own bucket`, async () => {
    const { store, close } = await adapter.open("buckets");
    try {
      const check = limiterOver(store);
      for (let i = 0; i < 3; i++) await check("M1", "authorize");
      assert.equal((await check("M1", "authorize"))["Retry-After"], "60");
      assert.equal((await check("M2", "authorize"))["X-RateLimit-Remaining"], "2");
      assert.equal((await check("M1", "read"))["RateLimit"], '"read";r=1;t=60');
      assert.equal((await check("M1", "capture"))["RateLimit"], '"capture";r=1;t=60');
      assert.equal((await check("M1", "capture"))["RateLimit"], '"capture";r=0;t=120');
      assert.equal((await check("M1", "capture"))["Retry-After"], "60");
    } finally {
      await close();
    }
  });

  Deno.test(`${adapter.name} rate-limit store: decisions are counted in the gateway's metrics`, async () => {
    const { store, close } = await adapter.open("metrics");
    try {
      const metrics = createGatewayMetrics();
      const limiter = createRateLimiter({ store, rules: limitedRules, metrics, log: () => {} });
      for (let i = 0; i < 4; i++) await limiter.check("M1", "capture");
      const counts = Object.fromEntries(
        (await metrics.rateLimitDecisions.get()).values.map((v) => [v.labels.decision, v.value]),
      );
      assert.deepEqual(counts, { allowed: 2, limited: 2 });
    } finally {
      await close();
    }
  });
}
