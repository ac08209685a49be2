import { latencyBucketsSeconds, prom, type Registry } from "@pay/lib/metrics";
import type { IdempotencyOutcome } from "./idempotency/guard.ts";

export interface IngestMetrics {
  readonly requests: prom.Counter<"route" | "method" | "status">;
  readonly duration: prom.Histogram<"route" | "method">;
  readonly idempotency: prom.Counter<"outcome">;
  readonly cacheErrors: prom.Counter;
  readonly nonceStoreErrors: prom.Counter;
  readonly payments: prom.Counter<"status" | "currency">;
}

export function ingestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  return {
    requests: new prom.Counter({
      name: "ingest_http_requests_total",
      help: "HTTP requests served by ingest, by route, method and status",
      labelNames: ["route", "method", "status"],
      registers,
    }),
    duration: new prom.Histogram({
      name: "ingest_http_request_duration_seconds",
      help: "Ingest request latency in seconds",
      labelNames: ["route", "method"],
      buckets: latencyBucketsSeconds,
      registers,
    }),
    idempotency: new prom.Counter({
      name: "idempotency_requests_total",
      help: "Keyed requests by idempotency outcome (new, replayed, mismatch, in_use)",
      labelNames: ["outcome"],
      registers,
    }),
    cacheErrors: new prom.Counter({
      name: "idempotency_cache_errors_total",
      help: "Redis idempotency cache operations that failed (MariaDB answered instead)",
      registers,
    }),
    nonceStoreErrors: new prom.Counter({
      name: "ingest_nonce_store_errors_total",
      help:
        "Signed requests let through without a nonce replay check because the nonce store failed",
      registers,
    }),
    payments: new prom.Counter({
      name: "payments_created_total",
      help: "Payments created by authorize, by first status and currency",
      labelNames: ["status", "currency"],
      registers,
    }),
  };
}

export function idempotencyOutcomeCounter(m: IngestMetrics): (o: IdempotencyOutcome) => void {
  return (outcome) => m.idempotency.inc({ outcome });
}
