import { Redis } from "ioredis";
import type { RedisConfig } from "../config/mod.ts";

export type { Redis };

/**
 * How long one Redis command may take before it fails. Redis answers in
 * well under a millisecond here; anything near this bound means it is gone,
 * and callers (rate limiter, idempotency cache) must fail fast and degrade.
 */
export const redisCommandTimeoutMs = 500;

export interface RedisOptions {
  /** Extra key prefix under the configured one (tests isolate themselves with it). */
  readonly extraPrefix?: string;
  /** Dedicated connection for blocking reads (XREADGROUP BLOCK). */
  readonly blocking?: boolean;
}

export function createRedis(config: RedisConfig, options: RedisOptions = {}): Redis {
  return new Redis(config.url, {
    keyPrefix: config.keyPrefix + (options.extraPrefix ?? ""),
    commandTimeout: options.blocking ? undefined : redisCommandTimeoutMs,
    // Fail commands at once while disconnected instead of queueing them:
    // callers decide how to degrade (fail open, skip the cache).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
}
