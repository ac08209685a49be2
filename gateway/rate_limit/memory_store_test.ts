import assert from "node:assert/strict";
import { emissionIntervalUs, gcraStep } from "./gcra.ts";
import { memoryBucketSweepIntervalMs, memoryRateLimitStore } from "./memory_store.ts";

const perMinute = 60; // one request a second sustained
const intervalUs = emissionIntervalUs(perMinute);
const burst = 2;

Deno.test("the in-process store refills one request per emission interval", async () => {
  let nowMs = 1_000_000;
  const store = memoryRateLimitStore(() => nowMs);
  assert.equal((await store.take("M1", "read", intervalUs, burst)).allowed, true);
  assert.equal((await store.take("M1", "read", intervalUs, burst)).allowed, true);
  const denied = await store.take("M1", "read", intervalUs, burst);
  assert.deepEqual(denied, {
    allowed: false,
    remaining: 0,
    retryAfterUs: 1_000_000,
    resetUs: 2_000_000,
  });
  nowMs += 400;
  assert.equal((await store.take("M1", "read", intervalUs, burst)).retryAfterUs, 600_000);
  nowMs += 600;
  assert.deepEqual(await store.take("M1", "read", intervalUs, burst), {
    allowed: true,
    remaining: 0,
    retryAfterUs: 0,
    resetUs: 2_000_000,
  });
  nowMs += 10_000;
  assert.equal((await store.take("M1", "read", intervalUs, burst)).remaining, 1, "full again");
});

Deno.test("the in-process store keeps deciding the same after it sweeps full buckets", async () => {
  let nowMs = 0;
  const store = memoryRateLimitStore(() => nowMs);
  await store.take("M1", "read", intervalUs, burst);
  await store.take("M2", "read", intervalUs, burst);
  await store.take("M2", "read", intervalUs, burst);
  nowMs += memoryBucketSweepIntervalMs;
  assert.equal((await store.take("M2", "read", intervalUs, burst)).remaining, 1);
  assert.equal((await store.take("M2", "read", intervalUs, burst)).remaining, 0);
  assert.equal((await store.take("M2", "read", intervalUs, burst)).allowed, false);
});

Deno.test("a GCRA step stores the new arrival time in whole microseconds, as the Lua script does", () => {
  const step = gcraStep(undefined, 10, emissionIntervalUs(7), 3);
  assert.equal(step.newTatUs, 10 + 8_571_429);
  assert.equal(step.remaining, 2);
  assert.equal(step.resetUs, 8_571_429);
});
