/**
 * The store's state in Redis (the scale-out profile's carts and orders): the
 * contract every adapter keeps, and what only Redis does. An unreachable
 * Redis: redis_unreachable_test.ts.
 */
// test-needs: redis
import assert from "node:assert/strict";
import { freshTestRedis } from "@pay/lib/testing";
import { createRedis } from "@pay/lib/redis";
import { createRedisState, redisReady } from "./redis.ts";
import { emptySession, type Order, sessionUpdateAttemptsMax } from "./port.ts";
import { contractTtlMs, storeStateContract } from "./state_contract.ts";
import { Shopper, startStoreHarness } from "../testing/harness.ts";

const ttlMs = 60_000;
/** Redis on this machine connects in milliseconds; seconds mean it is not running. */
const readyTimeoutMs = 3_000;

storeStateContract({
  name: "redis",
  async open(test) {
    const redis = await freshTestRedis(`store_contract_${test}`);
    const state = createRedisState(redis.redis, contractTtlMs);
    return { state, close: () => state.close() };
  },
});

Deno.test("two store processes sharing Redis see the same cart", async () => {
  const { config, redis } = await freshTestRedis("store_cart");
  const other = createRedis(config);
  await redisReady(other, readyTimeoutMs);
  const first = await startStoreHarness({ state: createRedisState(redis, ttlMs) });
  const second = await startStoreHarness({ state: createRedisState(other, ttlMs) });
  try {
    const shopper = new Shopper(first.handler);
    const { csrf } = await shopper.page("/products/galaxy-s25-ultra");
    const added = await shopper.post("/cart/add", {
      _csrf: csrf,
      slug: "galaxy-s25-ultra",
      colour: "titanium-gray",
      quantity: "2",
    });
    assert.equal(added.status, 303);
    const elsewhere = new Shopper(second.handler);
    elsewhere.cookie = shopper.cookie;
    const cart = await elsewhere.page("/cart");
    assert.match(cart.html, /Galaxy S25 Ultra/);
    assert.match(cart.html, /₩3,180,000/);
  } finally {
    await first.close();
    await second.close();
  }
});

Deno.test("concurrent updates of one session are all kept", async () => {
  const { config, redis } = await freshTestRedis("store_cas");
  const other = createRedis(config);
  await redisReady(other, readyTimeoutMs);
  const a = createRedisState(redis, ttlMs);
  const b = createRedisState(other, ttlMs);
  try {
    const writers = sessionUpdateAttemptsMax;
    await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        (i % 2 ? a : b).updateSession("s1", (data) => ({
          data: { ...data, orderIds: [...data.orderIds, `o${i}`] },
          result: undefined,
        }))),
    );
    const session = await a.readSession("s1");
    assert.equal(session.orderIds.length, writers);
    assert.equal(new Set(session.orderIds).size, writers);
    assert.deepEqual(await a.readSession("unknown"), emptySession);
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("orders and sessions are stored under the platform prefix with a time to live", async () => {
  const { redis } = await freshTestRedis("store_orders");
  const state = createRedisState(redis, ttlMs);
  try {
    const order: Order = {
      orderId: "ord_0000000000aaaaaaaaaaaaaaaa",
      sessionId: "s1",
      paymentId: "pay_x",
      attemptKey: "k",
      lines: [],
      amount: 1_690_000,
      currency: "KRW",
      createdAt: new Date(0).toISOString(),
    };
    await state.saveOrder(order);
    await state.saveOrder(order);
    assert.deepEqual(await state.findOrder(order.orderId), order);
    assert.equal(await state.findOrder("ord_missing"), undefined);
    await state.updateSession("s1", (data) => ({ data, result: undefined }));
    const sessionTtl = await redis.pttl("store:session:s1");
    assert.ok(sessionTtl > 0 && sessionTtl <= ttlMs, `session TTL ${sessionTtl}`);
    assert.ok(await redis.pttl(`store:order:${order.orderId}`) > ttlMs);
  } finally {
    await state.close();
  }
});
