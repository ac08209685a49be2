import type { Redis } from "@pay/lib/redis";
import {
  blockedRetentionUs,
  blockedSetKey,
  blockedSetSizeMax,
  bucketKey,
  gcraScript,
} from "./gcra.ts";
import type { RateLimitStore } from "./store.ts";

type GcraReply = [number, number, number, number];
type WithGcra = Redis & {
  gcra(
    bucket: string,
    blocked: string,
    intervalUs: number,
    burst: number,
    member: string,
    blockedMax: number,
    retentionUs: number,
  ): Promise<GcraReply>;
};

/**
 * Buckets in Redis, one EVALSHA per request, shared by every gateway process.
 * A denial is also recorded in the recently-blocked set the ops view reads.
 */
export function redisRateLimitStore(client: Redis): RateLimitStore {
  const redis = client as WithGcra;
  // defineCommand sends EVALSHA and falls back to EVAL once when the script is not cached.
  if (typeof redis.gcra !== "function") {
    redis.defineCommand("gcra", { numberOfKeys: 2, lua: gcraScript });
  }
  return {
    async take(merchantId, endpointClass, intervalUs, burst) {
      const [allowed, remaining, retryAfterUs, resetUs] = await redis.gcra(
        bucketKey(merchantId, endpointClass),
        blockedSetKey,
        intervalUs,
        burst,
        `${merchantId} ${endpointClass}`,
        blockedSetSizeMax,
        blockedRetentionUs,
      );
      return { allowed: allowed === 1, remaining, retryAfterUs, resetUs };
    },
  };
}
