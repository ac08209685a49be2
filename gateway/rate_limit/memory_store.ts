import { bucketKey, gcraStep } from "./gcra.ts";
import type { RateLimitStore } from "./store.ts";

/**
 * How often buckets that are full again (their TAT passed) are dropped: they
 * decide nothing a missing bucket would not, so memory stays bounded by the
 * merchants active in the last minute.
 */
export const memoryBucketSweepIntervalMs = 60_000;

/**
 * Buckets in this process's memory, with the arithmetic of the Redis script.
 * Correct only while one gateway process serves all traffic (the embedded
 * profile): two processes would each allow the full rate. Buckets start full
 * again after a restart, as they do when Redis restarts without persistence.
 */
export function memoryRateLimitStore(nowMs: () => number = Date.now): RateLimitStore {
  const tats = new Map<string, number>();
  let lastSweepMs = nowMs();

  function sweep(nowUs: number): void {
    for (const [key, tatUs] of tats) if (tatUs <= nowUs) tats.delete(key);
  }

  return {
    take(merchantId, endpointClass, intervalUs, burst) {
      const now = nowMs();
      const nowUs = Math.round(now * 1000);
      if (now - lastSweepMs >= memoryBucketSweepIntervalMs) {
        lastSweepMs = now;
        sweep(nowUs);
      }
      const key = bucketKey(merchantId, endpointClass);
      const { newTatUs, ...outcome } = gcraStep(tats.get(key), nowUs, intervalUs, burst);
      if (newTatUs !== undefined) tats.set(key, newTatUs);
      return Promise.resolve(outcome);
    },
  };
}
