/**
 * Exponential backoff with full jitter: a delay drawn uniformly from
 * [0, min(capMs, baseMs * 2^attempt)]. Full jitter spreads retries of many
 * clients that failed together, so they do not return together.
 */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
