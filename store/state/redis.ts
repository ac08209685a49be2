import type { Redis } from "@pay/lib/redis";
import {
  emptySession,
  type Order,
  orderRetentionMs,
  orderUpdateAttemptsMax,
  orderUpdateLost,
  type SessionData,
  sessionUpdateAttemptsMax,
  type StoreState,
} from "./port.ts";

/** Key namespace under the platform's REDIS_KEY_PREFIX. */
const sessionKey = (id: string) => `store:session:${id}`;
const orderKey = (id: string) => `store:order:${id}`;
const valueKey = (key: string) => `store:value:${key}`;

/**
 * Sets KEYS[1] to ARGV[2] with a TTL of ARGV[3] ms only while it still holds
 * ARGV[1] ('' = absent): an optimistic update that needs no WATCH, which would
 * be unsafe on the connection every request shares.
 */
const compareAndSetScript = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

type CasRedis = Redis & {
  storeCompareAndSet(key: string, expected: string, next: string, ttlMs: number): Promise<number>;
};

/**
 * Sessions and orders in Redis, so every store process behind a balancer sees
 * the same cart. The client's key prefix applies (REDIS_KEY_PREFIX + `store:`).
 */
export function createRedisState(redis: Redis, sessionTtlMs: number): StoreState {
  redis.defineCommand("storeCompareAndSet", { numberOfKeys: 1, lua: compareAndSetScript });
  const cas = redis as CasRedis;

  return {
    async readSession(sessionId) {
      const json = await redis.get(sessionKey(sessionId));
      return json ? JSON.parse(json) as SessionData : emptySession;
    },
    async updateSession(sessionId, change) {
      const key = sessionKey(sessionId);
      for (let attempt = 1; attempt <= sessionUpdateAttemptsMax; attempt++) {
        const current = await redis.get(key);
        const { data, result } = change(
          current ? JSON.parse(current) as SessionData : emptySession,
        );
        const next = JSON.stringify(data);
        if (await cas.storeCompareAndSet(key, current ?? "", next, sessionTtlMs) === 1) {
          return result;
        }
      }
      throw new Error(
        `Session update lost ${sessionUpdateAttemptsMax} races in a row: ${sessionId.slice(0, 6)}…`,
      );
    },
    async saveOrder(order) {
      await redis.set(orderKey(order.orderId), JSON.stringify(order), "PX", orderRetentionMs);
    },
    async findOrder(orderId) {
      const json = await redis.get(orderKey(orderId));
      return json ? JSON.parse(json) as Order : undefined;
    },
    async updateOrder(orderId, change) {
      const key = orderKey(orderId);
      for (let attempt = 1; attempt <= orderUpdateAttemptsMax; attempt++) {
        const current = await redis.get(key);
        if (current === null) return undefined;
        const next = change(JSON.parse(current) as Order);
        if (next === undefined) return JSON.parse(current) as Order;
        const json = JSON.stringify(next);
        if (await cas.storeCompareAndSet(key, current, json, orderRetentionMs) === 1) {
          return JSON.parse(json) as Order;
        }
      }
      throw orderUpdateLost(orderId);
    },
    async readValue(key) {
      return await redis.get(valueKey(key)) ?? undefined;
    },
    async writeValue(key, value, ttlMs) {
      await redis.set(valueKey(key), value, "PX", ttlMs);
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      if (redis.status === "ready") await redis.quit();
      else redis.disconnect();
    },
  };
}

/**
 * Waits until the client is connected: the platform's clients do not queue
 * commands while connecting, so a store must not take requests before this.
 */
export async function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error(`Redis is not reachable (waited ${timeoutMs} ms)`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
}
