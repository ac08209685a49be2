import { backoffDelayMs } from "@pay/lib/resilience";
import type { CachedEntry, IdempotencyCache } from "./cache.ts";

/** First pause before looking at an in-flight marker again: a capture commits in milliseconds. */
export const inFlightPollBaseMs = 10;
/** Longest pause between two looks: an authorize waits on the PG for up to PG_TIMEOUT_MS. */
export const inFlightPollCapMs = 200;

/**
 * Waits for the request holding a key's in-flight marker to settle, looking
 * at the marker with backoff for at most `waitMs`. Answers the completed
 * entry, null when the marker went away without an answer (the holder failed
 * and released it, or died and it expired; MariaDB decides then, also when
 * Redis fails meanwhile), or the in-flight entry when it outlived `waitMs`.
 */
export async function awaitSettled(
  deps: { cache: IdempotencyCache; onCacheError: (error: unknown) => void },
  scope: { merchantId: string; key: string },
  waitMs: number,
): Promise<CachedEntry | null> {
  const deadlineMs = Date.now() + waitMs;
  let entry: CachedEntry | null = null;
  for (let attempt = 0; Date.now() < deadlineMs; attempt++) {
    const pauseMs = Math.max(1, backoffDelayMs(attempt, inFlightPollBaseMs, inFlightPollCapMs));
    await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, deadlineMs - Date.now())));
    try {
      entry = await deps.cache.peek(scope.merchantId, scope.key);
    } catch (error) {
      deps.onCacheError(error);
      return null;
    }
    if (entry === null || entry.state === "done") return entry;
  }
  return entry;
}
