import { Redis } from "ioredis";
import type { RedisConfig } from "../config/mod.ts";

export type { Redis };

/**
 * How long one Redis command may take before it fails. Redis answers in
 * well under a millisecond here; anything near this bound means it is gone,
 * and callers (rate limiter, idempotency cache) must fail fast and degrade.
 */
export const redisCommandTimeoutMs = 500;

/**
 * While Redis is unreachable ioredis emits an error on every reconnect
 * attempt (several a second); one line per this interval says it is still down.
 */
export const redisErrorLogIntervalMs = 10_000;

export interface RedisOptions {
  /** Extra key prefix under the configured one (tests isolate themselves with it). */
  readonly extraPrefix?: string;
  /** Dedicated connection for blocking reads (XREADGROUP BLOCK). */
  readonly blocking?: boolean;
  /** Where connection errors are reported (rate-limited); default: one JSON line on stderr. */
  readonly log?: (line: string) => void;
  /** Clock of the rate limit (tests). */
  readonly nowMs?: () => number;
}

export function createRedis(config: RedisConfig, options: RedisOptions = {}): Redis {
  const redis = new Redis(config.url, {
    keyPrefix: config.keyPrefix + (options.extraPrefix ?? ""),
    commandTimeout: options.blocking ? undefined : redisCommandTimeoutMs,
    // Fail commands at once while disconnected instead of queueing them:
    // callers decide how to degrade (fail open, skip the cache).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    // Commands issued in the same event-loop tick go out in one write. Socket
    // writes through Deno's node:net layer dominate CPU on the hot path
    // (profiled: ~30% of the gateway), so batching them is the cheapest win.
    // Never on a blocking connection: a BLOCK read would hold up its batch.
    enableAutoPipelining: !options.blocking,
  });
  reportConnectionErrors(redis, redisAddress(config.url), options);
  return redis;
}

/** host:port of a Redis URL, never its credentials. */
export function redisAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "6379"}`;
}

/**
 * Without an "error" listener ioredis prints every failed reconnect with a
 * stack trace ("Unhandled error event"). Commands fail on their own while
 * Redis is gone, and their callers degrade; this says once per interval that
 * it is down (with how many errors were not printed), and once that it is back.
 */
function reportConnectionErrors(redis: Redis, address: string, options: RedisOptions): void {
  const log = options.log ?? ((line: string) => console.error(line));
  const nowMs = options.nowMs ?? Date.now;
  let lastLoggedMs: number | undefined;
  let suppressed = 0;
  const line = (level: string, msg: string, fields: Record<string, unknown> = {}) =>
    log(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        area: "redis",
        msg,
        address,
        ...fields,
      }),
    );
  redis.on("error", (error: Error & { code?: string }) => {
    const now = nowMs();
    if (lastLoggedMs !== undefined && now - lastLoggedMs < redisErrorLogIntervalMs) {
      suppressed++;
      return;
    }
    line("warn", "Redis is not reachable; retrying", {
      error: error.code ?? error.message,
      ...(suppressed ? { suppressed } : {}),
    });
    lastLoggedMs = now;
    suppressed = 0;
  });
  redis.on("ready", () => {
    if (lastLoggedMs === undefined) return;
    line("info", "Redis is reachable again");
    lastLoggedMs = undefined;
    suppressed = 0;
  });
}
