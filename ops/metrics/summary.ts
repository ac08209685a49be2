import type { PromSample } from "./prom_text.ts";

/**
 * What one scrape of a service keeps: a few totals, not every series, so the
 * ring buffer of samples stays small whatever the service exports.
 */
export interface ScrapeSummary {
  /** Requests (or work items) served since the process started. */
  readonly requests: number;
  /** Of those, the failed ones (5xx, PG unavailable, failed publishes). */
  readonly errors: number;
  /** Cumulative latency histogram summed over its label sets: [upper bound s, count]. */
  readonly latencyBuckets: ReadonlyArray<readonly [number, number]>;
  readonly breakers: Readonly<Record<string, BreakerSample>>;
}

export interface BreakerSample {
  /** 0 closed, 1 open, 2 half-open (`circuit_breaker_state`). */
  readonly state: number;
  /** `circuit_breaker_calls_total` by result: success, failure, timeout, rejected. */
  readonly calls: Readonly<Record<string, number>>;
}

type Labels = Readonly<Record<string, string>>;

/**
 * The counters that measure each service's traffic, and which of their
 * samples are failures. Only metric names the services really export.
 */
export const trafficCounters: Readonly<Record<string, (labels: Labels) => boolean>> = {
  gateway_requests_total: (l) => Number(l.status) >= 500,
  ingest_http_requests_total: (l) => Number(l.status) >= 500,
  pgsim_requests_total: (l) => l.outcome === "unavailable" || l.outcome === "error",
  outbox_published_total: (l) => l.result !== "published",
};

/** The latency histograms behind the p95 chart, one per service. */
export const latencyHistograms: readonly string[] = [
  "gateway_request_duration_seconds",
  "ingest_http_request_duration_seconds",
  "pgsim_request_duration_seconds",
  "outbox_relay_batch_duration_seconds",
];

const latencyBucketNames = new Set(latencyHistograms.map((name) => `${name}_bucket`));

export function summarize(samples: readonly PromSample[]): ScrapeSummary {
  let requests = 0;
  let errors = 0;
  const buckets = new Map<number, number>();
  const breakers: Record<string, { state: number; calls: Record<string, number> }> = {};
  const breaker = (name: string) => breakers[name] ??= { state: 0, calls: {} };
  for (const s of samples) {
    const isError = trafficCounters[s.name];
    if (isError) {
      requests += s.value;
      if (isError(s.labels)) errors += s.value;
    } else if (latencyBucketNames.has(s.name) && s.labels.le !== undefined) {
      const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    } else if (s.name === "circuit_breaker_state" && s.labels.name) {
      breaker(s.labels.name).state = s.value;
    } else if (s.name === "circuit_breaker_calls_total" && s.labels.name && s.labels.result) {
      const calls = breaker(s.labels.name).calls;
      calls[s.labels.result] = (calls[s.labels.result] ?? 0) + s.value;
    }
  }
  return {
    requests,
    errors,
    latencyBuckets: [...buckets].sort((a, b) => a[0] - b[0]),
    breakers,
  };
}
