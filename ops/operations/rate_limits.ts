import {
  type BlockedEntry,
  type BucketStatus,
  bucketStatus,
  recentlyBlocked,
  resetBuckets,
} from "@pay/gateway/rate_limit";
import type { RateLimitClass } from "@pay/lib/config";
import type { OpsContext } from "./context.ts";

export async function rateLimitStatus(
  ctx: OpsContext,
  merchantId: string,
): Promise<{ merchantId: string; buckets: BucketStatus[] }> {
  return { merchantId, buckets: await bucketStatus(ctx.redis, ctx.rateLimitRules, merchantId) };
}

export async function rateLimitReset(
  ctx: OpsContext,
  merchantId: string,
  endpointClass?: RateLimitClass,
): Promise<{ merchantId: string; cleared: number }> {
  return { merchantId, cleared: await resetBuckets(ctx.redis, merchantId, endpointClass) };
}

export async function blockedMerchants(
  ctx: OpsContext,
  withinSeconds?: number,
): Promise<{ withinSeconds: number | null; blocked: BlockedEntry[] }> {
  return {
    withinSeconds: withinSeconds ?? null,
    blocked: await recentlyBlocked(ctx.redis, withinSeconds),
  };
}
