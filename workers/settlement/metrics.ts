import { latencyBucketsSeconds, prom, type Registry } from "@pay/lib/metrics";

/** What the settlement worker counts (DESIGN §7: Prometheus naming, base units). */
export interface SettlementMetrics {
  /** PG calls by operation (capture, refund, cancel) and result (succeeded, rejected, unavailable). */
  readonly pgCalls: prom.Counter<"operation" | "result">;
  readonly pgCallDuration: prom.Histogram<"operation">;
  /** Requests that reached SUCCESS or FAILED, by kind (capture, refund). */
  readonly completed: prom.Counter<"kind" | "status">;
  /** Retries scheduled because the PG could not answer. */
  readonly retriesScheduled: prom.Counter<"kind">;
  /** From the request (ingest's 202) to its SUCCESS or FAILED outcome. */
  readonly completionDuration: prom.Histogram<"kind" | "status">;
  /** Failed requests recorded in payment.dlq, and DLQ publishes that failed. */
  readonly dlqRecords: prom.Counter<"kind" | "result">;
}

const metricsByRegistry = new WeakMap<Registry, SettlementMetrics>();

/** Settlement buckets reach past the longest retry schedule's first minutes. */
const completionBucketsSeconds = [...latencyBucketsSeconds, 30, 60, 300, 1_800, 3_600];

/** The settlement metrics of `registry`, created once per registry. */
export function settlementMetrics(registry: Registry): SettlementMetrics {
  const known = metricsByRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const metrics: SettlementMetrics = {
    pgCalls: new prom.Counter({
      name: "settlement_pg_calls_total",
      help: "PG calls of the settlement worker by operation and result",
      labelNames: ["operation", "result"],
      registers,
    }),
    pgCallDuration: new prom.Histogram({
      name: "settlement_pg_call_duration_seconds",
      help: "Duration of one PG call of the settlement worker, breaker included",
      labelNames: ["operation"],
      buckets: latencyBucketsSeconds,
      registers,
    }),
    completed: new prom.Counter({
      name: "settlement_requests_completed_total",
      help: "Capture and refund requests completed, by kind and final status",
      labelNames: ["kind", "status"],
      registers,
    }),
    retriesScheduled: new prom.Counter({
      name: "settlement_retries_scheduled_total",
      help: "Capture and refund requests rescheduled because the PG could not answer",
      labelNames: ["kind"],
      registers,
    }),
    completionDuration: new prom.Histogram({
      name: "settlement_completion_seconds",
      help: "Time from a capture or refund request to its final outcome",
      labelNames: ["kind", "status"],
      buckets: completionBucketsSeconds,
      registers,
    }),
    dlqRecords: new prom.Counter({
      name: "settlement_dlq_records_total",
      help: "Failed requests sent to payment.dlq (result ok) or not sent (result error)",
      labelNames: ["kind", "result"],
      registers,
    }),
  };
  metricsByRegistry.set(registry, metrics);
  return metrics;
}
