import assert from "node:assert/strict";
import { createRedis } from "@pay/lib/redis";
import { createRedisState } from "./redis.ts";
import { Shopper, startStoreHarness } from "../testing/harness.ts";

const ttlMs = 60_000;

Deno.test("an unreachable Redis answers 503 pages, not 500s", async () => {
  const redis = createRedis({ url: "redis://127.0.0.1:1", keyPrefix: "pay:t:store_down:" });
  redis.on("error", () => {});
  const store = await startStoreHarness({ state: createRedisState(redis, ttlMs) });
  try {
    const shopper = new Shopper(store.handler);
    const response = await shopper.get("/cart");
    assert.equal(response.status, 503);
    assert.match(await response.text(), /cannot reach its cart storage/);
  } finally {
    redis.disconnect();
    await store.fake.close();
  }
});
