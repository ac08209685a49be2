import {
  type BlockedEntry,
  type BucketStatus,
  bucketStatus,
  recentlyBlocked,
  resetBuckets,
} from "@pay/gateway/rate_limit";
import type { RateLimitClass } from "@pay/lib/config";
import { type OpsContext, redisOf } from "./context.ts";

function limiterRedis(ctx: OpsContext) {
  return redisOf(
    ctx,
    "rate limits live in each gateway process's memory (restarting the gateway refills them)",
  );
}

export async function rateLimitStatus(
  ctx: OpsContext,
  merchantId: string,
): Promise<{ merchantId: string; buckets: BucketStatus[] }> {
  return {
    merchantId,
    buckets: await bucketStatus(limiterRedis(ctx), ctx.rateLimitRules, merchantId),
  };
}

export async function rateLimitReset(
  ctx: OpsContext,
  merchantId: string,
  endpointClass?: RateLimitClass,
): Promise<{ merchantId: string; cleared: number }> {
  return { merchantId, cleared: await resetBuckets(limiterRedis(ctx), merchantId, endpointClass) };
}

export async function blockedMerchants(
  ctx: OpsContext,
  withinSeconds?: number,
): Promise<{ withinSeconds: number | null; blocked: BlockedEntry[] }> {
  return {
    withinSeconds: withinSeconds ?? null,
    blocked: await recentlyBlocked(limiterRedis(ctx), withinSeconds),
  };
}
