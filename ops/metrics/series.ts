import type { Sample } from "./sampler.ts";

/** One chart point between two consecutive scrapes of a service. */
export interface TrafficPoint {
  readonly atMs: number;
  /** Requests per second. */
  readonly throughput: number;
  /** Failed share of the requests, 0..1 (0 when there were none). */
  readonly errorRate: number;
  /** 95th percentile latency in seconds (upper bound of its bucket), null without requests. */
  readonly p95Seconds: number | null;
}

/** A counter delta; a drop means the process restarted and counts from 0 again. */
function increase(before: number, after: number): number {
  return after >= before ? after - before : after;
}

/**
 * The latency quantile `q` from the change of a cumulative histogram between
 * two scrapes: the upper bound of the first bucket holding the q-th request
 * (+Inf maps to the largest finite bound), as Prometheus' histogram_quantile does
 * without interpolation.
 */
export function quantileOfDelta(
  before: ReadonlyArray<readonly [number, number]>,
  after: ReadonlyArray<readonly [number, number]>,
  q: number,
): number | null {
  const previous = new Map(before);
  const deltas = after.map(([le, count]) => [le, increase(previous.get(le) ?? 0, count)] as const);
  const total = deltas.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let largestFinite = 0;
  for (const [le, cumulative] of deltas) {
    if (Number.isFinite(le)) largestFinite = le;
    if (cumulative >= rank) return Number.isFinite(le) ? le : largestFinite;
  }
  return largestFinite;
}

/** Points between consecutive successful scrapes, oldest first. */
export function trafficSeries(samples: readonly Sample[]): TrafficPoint[] {
  const points: TrafficPoint[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    if (!a.up || !b.up || b.atMs <= a.atMs) continue;
    const requests = increase(a.summary.requests, b.summary.requests);
    const errors = Math.min(requests, increase(a.summary.errors, b.summary.errors));
    points.push({
      atMs: b.atMs,
      throughput: requests / ((b.atMs - a.atMs) / 1_000),
      errorRate: requests > 0 ? errors / requests : 0,
      p95Seconds: quantileOfDelta(a.summary.latencyBuckets, b.summary.latencyBuckets, 0.95),
    });
  }
  return points;
}

/** Calls through one breaker between two instants, by result. */
export interface BreakerWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly calls: Readonly<Record<string, number>>;
  /** (failure + timeout) / (success + failure + timeout); null without calls. */
  readonly failureRate: number | null;
}

export function failureRateOf(calls: Readonly<Record<string, number>>): number | null {
  const failed = (calls.failure ?? 0) + (calls.timeout ?? 0);
  const attempted = failed + (calls.success ?? 0);
  return attempted > 0 ? failed / attempted : null;
}

/**
 * The calls of breaker `name` between the oldest sample at most `windowMs`
 * old and the newest. With one sample only, the totals since the process
 * started.
 */
export function breakerWindow(
  samples: readonly Sample[],
  name: string,
  windowMs: number,
): BreakerWindow | null {
  const up = samples.filter((s) => s.up && s.summary.breakers[name]);
  const last = up.at(-1);
  if (!last) return null;
  const first = up.find((s) => s.atMs >= last.atMs - windowMs) ?? last;
  const after = last.summary.breakers[name]!.calls;
  const before = first === last ? {} : first.summary.breakers[name]!.calls;
  const calls: Record<string, number> = {};
  for (const result of Object.keys(after)) {
    calls[result] = increase(before[result] ?? 0, after[result] ?? 0);
  }
  return {
    fromMs: first === last ? 0 : first.atMs,
    toMs: last.atMs,
    calls,
    failureRate: failureRateOf(calls),
  };
}

/** State changes of breaker `name` seen across the samples, oldest first. */
export function breakerTransitions(
  samples: readonly Sample[],
  name: string,
): Array<{ atMs: number; from: number; to: number }> {
  const changes: Array<{ atMs: number; from: number; to: number }> = [];
  let previous: number | undefined;
  for (const s of samples) {
    const state = s.up ? s.summary.breakers[name]?.state : undefined;
    if (state === undefined) continue;
    if (previous !== undefined && state !== previous) {
      changes.push({ atMs: s.atMs, from: previous, to: state });
    }
    previous = state;
  }
  return changes;
}
