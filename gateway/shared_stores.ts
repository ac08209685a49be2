import type { ProfileConfig, RedisConfig } from "@pay/lib/config";
import { type Redis, redisForProfile } from "@pay/lib/redis";
import { memoryRateLimitStore } from "./rate_limit/memory_store.ts";
import { redisRateLimitStore } from "./rate_limit/redis_store.ts";
import type { RateLimitStore } from "./rate_limit/store.ts";

/** What gateway processes share in the scale-out profile (Redis roles), or keep alone embedded. */
export interface GatewaySharedStores {
  readonly rateLimits: RateLimitStore;
  /** Named dependency checks for /ready: Redis when scale-out; none when embedded. */
  readonly readiness: Readonly<Record<string, () => Promise<boolean>>>;
  /** Closes what these stores opened themselves (the Redis client of `gatewayStoresForProfile`). */
  close(): void;
}

/** Scale-out: rate limits in `redis`, which the caller owns; /ready asks it. */
export function redisGatewayStores(redis: Redis): GatewaySharedStores {
  return {
    rateLimits: redisRateLimitStore(redis),
    readiness: { redis: () => redis.ping().then(() => true, () => false) },
    close() {},
  };
}

/** Embedded: one gateway process, so its own memory holds the rate-limit buckets. */
export function embeddedGatewayStores(nowMs?: () => number): GatewaySharedStores {
  return { rateLimits: memoryRateLimitStore(nowMs), readiness: {}, close() {} };
}

/** The stores `profile` calls for: Redis (opened here) for scale-out; no Redis client at all embedded. */
export function gatewayStoresForProfile(
  profile: ProfileConfig,
  redisConfig: RedisConfig,
): GatewaySharedStores {
  const redis = redisForProfile(profile, redisConfig);
  if (redis === null) return embeddedGatewayStores();
  return { ...redisGatewayStores(redis), close: () => redis.disconnect() };
}
