import type { Redis } from "@pay/lib/redis";
import type { NonceStore } from "./port.ts";

export function redisNonceStore(redis: Redis): NonceStore {
  return {
    async claim(nonce, ttlMs) {
      return (await redis.set(`nonce:${nonce}`, "1", "PX", ttlMs, "NX")) === "OK";
    },
  };
}
