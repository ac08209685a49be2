/**
 * GCRA (generic cell rate algorithm): the Lua script the Redis store runs in
 * one round trip, and `gcraStep`, the same arithmetic for the in-process store.
 *
 * A bucket stores only its theoretical arrival time (TAT, microseconds on the
 * Redis clock, so gateways with skewed clocks agree). A request is allowed when
 * it would not push the TAT more than `burst` emission intervals ahead of now:
 * exactly `burst` requests pass back to back, then one per interval. A denial
 * is also recorded in a small sorted set of recently blocked merchants.
 *
 * KEYS: bucket, blocked set. ARGV: interval µs, burst, blocked member,
 * blocked set size max, blocked retention µs.
 * Returns {allowed 0|1, remaining, retry after µs, reset µs}.
 */
export const gcraScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tolerance = interval * burst
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local newTat = tat + interval
local allowAt = newTat - tolerance
if allowAt > now then
  redis.call('ZADD', KEYS[2], now, ARGV[3])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[5]))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[4]) + 1))
  return {0, 0, math.ceil(allowAt - now), math.ceil(tat - now)}
end
redis.call('SET', KEYS[1], string.format('%.0f', newTat), 'PX', math.ceil((newTat - now) / 1000) + 1)
return {1, math.floor((tolerance - (newTat - now)) / interval), 0, math.ceil(newTat - now)}
`;

/** What one GCRA step decided, in the script's units (microseconds). */
export interface GcraOutcome {
  readonly allowed: boolean;
  readonly remaining: number;
  /** Until a denied request would pass (0 when allowed). */
  readonly retryAfterUs: number;
  /** Until the bucket is full again. */
  readonly resetUs: number;
}

/**
 * The script's arithmetic without Redis: the decision for a bucket whose
 * theoretical arrival time is `tatUs` (undefined: never used or expired), and
 * the TAT to store when allowed (rounded to whole microseconds, as the script
 * stores it). Any change here must be made in `gcraScript` too: the shared
 * contract test runs both.
 */
export function gcraStep(
  tatUs: number | undefined,
  nowUs: number,
  intervalUs: number,
  burst: number,
): GcraOutcome & { readonly newTatUs?: number } {
  const tolerance = intervalUs * burst;
  const tat = tatUs === undefined || tatUs < nowUs ? nowUs : tatUs;
  const newTat = tat + intervalUs;
  const allowAt = newTat - tolerance;
  if (allowAt > nowUs) {
    return {
      allowed: false,
      remaining: 0,
      retryAfterUs: Math.ceil(allowAt - nowUs),
      resetUs: Math.ceil(tat - nowUs),
    };
  }
  return {
    allowed: true,
    remaining: Math.floor((tolerance - (newTat - nowUs)) / intervalUs),
    retryAfterUs: 0,
    resetUs: Math.ceil(newTat - nowUs),
    newTatUs: Math.round(newTat),
  };
}

/** Microseconds between two requests at the sustained rate. */
export function emissionIntervalUs(perMinute: number): number {
  return 60_000_000 / perMinute;
}

/** Requests still allowed now for a bucket whose TAT is `tatUs`, as the script counts them. */
export function remainingOf(tatUs: number, nowUs: number, perMinute: number, burst: number) {
  const interval = emissionIntervalUs(perMinute);
  const ahead = Math.max(0, tatUs - nowUs);
  return Math.max(0, Math.min(burst, Math.floor((interval * burst - ahead) / interval)));
}

export function bucketKey(merchantId: string, endpointClass: string): string {
  return `rl:${merchantId}:${endpointClass}`;
}

/** The sorted set of recent denials: member `<merchantId> <class>`, score = time in µs. */
export const blockedSetKey = "rl:blocked";

/** Recent denials kept: enough for an operator's "who is being throttled" view, bounded. */
export const blockedSetSizeMax = 1_000;
/** How far back the blocked list looks: an operator asks about the last hour. */
export const blockedRetentionUs = 3_600_000_000;
