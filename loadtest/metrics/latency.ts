import * as hdr from "hdr-histogram-js";

/**
 * Latency histograms in microseconds (HdrHistogram, 3 significant digits:
 * every percentile within 0.1%). Values above the top are clamped to it.
 */
export type LatencyHistogram = hdr.Histogram;

/** Highest latency tracked: 10 minutes, past any request or completion timeout here. */
export const latencyUsMax = 600_000_000;

export function createLatencyHistogram(): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: latencyUsMax,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });
}

export function recordLatencyMs(histogram: LatencyHistogram, ms: number): void {
  histogram.recordValue(
    Math.min(latencyUsMax, Math.max(1, Math.round(ms * 1000))),
  );
}

/** Percentiles of one histogram, in milliseconds (0 when it is empty). */
export interface LatencySummary {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export const emptySummary: LatencySummary = {
  count: 0,
  meanMs: 0,
  p50Ms: 0,
  p95Ms: 0,
  p99Ms: 0,
  maxMs: 0,
};

/**
 * Percentiles and mean come from HdrHistogram buckets, reported at the
 * bucket's highest equivalent value (up to 0.1% above the recorded values);
 * the max is exact. A percentile is never above the max, so they are clamped.
 */
export function summarize(histogram: LatencyHistogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) return emptySummary;
  const maxUs = histogram.maxValue;
  const ms = (us: number) => Math.round(Math.min(us, maxUs)) / 1000;
  return {
    count,
    meanMs: ms(histogram.mean),
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p95Ms: ms(histogram.getValueAtPercentile(95)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    maxMs: ms(maxUs),
  };
}
