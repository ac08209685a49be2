import { type RateLimitClass, rateLimitClasses, type RateLimitRule } from "@pay/lib/config";
import type { Redis } from "@pay/lib/redis";
import { blockedRetentionUs, blockedSetKey, bucketKey, remainingOf } from "./gcra.ts";

/**
 * Operator view of the rate limiter (the ops service, MCP tools and CLI call
 * these). Reads use the Redis clock, like the limiter's script.
 */
export interface BucketStatus {
  readonly endpointClass: RateLimitClass;
  readonly perMinute: number;
  readonly burst: number;
  readonly remaining: number;
  /** Seconds until the bucket is full again (0 when it is). */
  readonly resetSeconds: number;
}

async function redisNowUs(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1_000_000 + Number(micros);
}

export async function bucketStatus(
  redis: Redis,
  rules: Readonly<Record<RateLimitClass, RateLimitRule>>,
  merchantId: string,
): Promise<BucketStatus[]> {
  const nowUs = await redisNowUs(redis);
  const tats = await redis.mget(...rateLimitClasses.map((c) => bucketKey(merchantId, c)));
  return rateLimitClasses.map((endpointClass, i) => {
    const rule = rules[endpointClass];
    const tatUs = tats[i] === null || tats[i] === undefined ? nowUs : Number(tats[i]);
    return {
      endpointClass,
      perMinute: rule.perMinute,
      burst: rule.burst,
      remaining: remainingOf(tatUs, nowUs, rule.perMinute, rule.burst),
      resetSeconds: Math.ceil(Math.max(0, tatUs - nowUs) / 1_000_000),
    };
  });
}

/** Refills a merchant's buckets (all classes, or one); returns how many were cleared. */
export async function resetBuckets(
  redis: Redis,
  merchantId: string,
  endpointClass?: RateLimitClass,
): Promise<number> {
  const classes = endpointClass ? [endpointClass] : rateLimitClasses;
  return await redis.del(...classes.map((c) => bucketKey(merchantId, c)));
}

export interface BlockedEntry {
  readonly merchantId: string;
  readonly endpointClass: RateLimitClass;
  readonly lastBlockedAt: Date;
}

/** Merchants denied at least once within `withinSeconds` (default and cap: one hour), latest first. */
export async function recentlyBlocked(
  redis: Redis,
  withinSeconds = blockedRetentionUs / 1_000_000,
): Promise<BlockedEntry[]> {
  const nowUs = await redisNowUs(redis);
  const since = nowUs - Math.min(withinSeconds * 1_000_000, blockedRetentionUs);
  const flat = await redis.zrevrangebyscore(blockedSetKey, "+inf", since, "WITHSCORES");
  const entries: BlockedEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const [merchantId, endpointClass] = flat[i]!.split(" ");
    entries.push({
      merchantId: merchantId!,
      endpointClass: endpointClass as RateLimitClass,
      lastBlockedAt: new Date(Number(flat[i + 1]) / 1000),
    });
  }
  return entries;
}
