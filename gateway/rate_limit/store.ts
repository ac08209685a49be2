import type { RateLimitClass } from "@pay/lib/config";
import type { GcraOutcome } from "./gcra.ts";

/**
 * Where GCRA buckets live (the limiter's port). Adapters: `redis_store.ts`
 * (scale-out: one bucket per merchant and class shared by every gateway
 * process, on the Redis clock) and `memory_store.ts` (embedded: the one
 * gateway process keeps them). Both make the decisions of `gcraStep`.
 */
export interface RateLimitStore {
  /**
   * Counts one request against the bucket of (merchant, class) when it fits,
   * and says what was decided. Rejects only when the store cannot be reached.
   */
  take(
    merchantId: string,
    endpointClass: RateLimitClass,
    intervalUs: number,
    burst: number,
  ): Promise<GcraOutcome>;
}
