import assert from "node:assert/strict";
import { loadMerchantIds, loadMerchantsMax, merchantsNeeded, newRunId } from "./merchants.ts";

const limits = {
  authorize: { perMinute: 6_000, burst: 100 },
  capture: { perMinute: 6_000, burst: 100 },
  refund: { perMinute: 3_000, burst: 50 },
  read: { perMinute: 12_000, burst: 200 },
};

Deno.test("enough merchants that none runs above 80% of its rate limit", () => {
  // 3,000 authorizes/s at 100/s per merchant, with 25% headroom: 38 merchants (78.9/s each).
  assert.equal(merchantsNeeded(3_000, limits, ["authorize"]), 38);
  // Refunds have the lowest limit (50/s), so a refunding flow needs twice as many.
  assert.equal(merchantsNeeded(1_000, limits, ["authorize", "capture", "refund"]), 25);
  assert.equal(merchantsNeeded(10, limits, ["authorize"]), 1);
  assert.equal(merchantsNeeded(10_000_000, limits, ["authorize"]), loadMerchantsMax);
});

Deno.test("merchant ids belong to one run and run ids do not repeat", () => {
  assert.deepEqual(loadMerchantIds("abc", 3), ["LT_abc_1", "LT_abc_2", "LT_abc_3"]);
  const ids = new Set(Array.from({ length: 100 }, newRunId));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(loadMerchantIds(id, 2000).at(-1)!, /^[A-Za-z0-9_-]{1,64}$/);
});
