import type { Counter, Gauge, Histogram } from "prom-client";
import { createRegistry, latencyBucketsSeconds, prom, type Registry } from "@pay/lib/metrics";

/** Every metric the gateway exports, on a registry of its own. */
export interface GatewayMetrics {
  readonly registry: Registry;
  readonly requests: Counter<"route" | "method" | "status">;
  readonly duration: Histogram<"route">;
  readonly upstreamErrors: Counter<"kind">;
  readonly upstreamRetries: Counter;
  readonly rateLimitDecisions: Counter<"class" | "decision">;
  readonly rateLimitFailOpen: Counter;
  readonly upstreamHealthy: Gauge<"upstream">;
  readonly upstreamInFlight: Gauge<"upstream">;
  readonly apiKeyLookups: Counter<"source">;
}

export function createGatewayMetrics(
  registry: Registry = createRegistry("gateway"),
): GatewayMetrics {
  const registers = [registry];
  return {
    registry,
    requests: new prom.Counter({
      name: "gateway_requests_total",
      help: "Requests answered by the gateway",
      labelNames: ["route", "method", "status"],
      registers,
    }),
    duration: new prom.Histogram({
      name: "gateway_request_duration_seconds",
      help: "Time from request to response at the gateway",
      labelNames: ["route"],
      buckets: latencyBucketsSeconds,
      registers,
    }),
    upstreamErrors: new prom.Counter({
      name: "gateway_upstream_errors_total",
      help: "Failed upstream calls by kind (connect, reset, timeout)",
      labelNames: ["kind"],
      registers,
    }),
    upstreamRetries: new prom.Counter({
      name: "gateway_upstream_retries_total",
      help: "Upstream calls retried on another instance",
      registers,
    }),
    rateLimitDecisions: new prom.Counter({
      name: "gateway_rate_limit_decisions_total",
      help: "Rate limit decisions by endpoint class (allowed, limited, fail_open)",
      labelNames: ["class", "decision"],
      registers,
    }),
    rateLimitFailOpen: new prom.Counter({
      name: "gateway_rate_limit_fail_open_total",
      help: "Requests let through because Redis could not be asked",
      registers,
    }),
    upstreamHealthy: new prom.Gauge({
      name: "gateway_upstream_healthy",
      help: "1 when the upstream receives traffic, 0 while ejected",
      labelNames: ["upstream"],
      registers,
    }),
    upstreamInFlight: new prom.Gauge({
      name: "gateway_upstream_in_flight",
      help: "Requests currently forwarded to the upstream",
      labelNames: ["upstream"],
      registers,
    }),
    apiKeyLookups: new prom.Counter({
      name: "gateway_api_key_lookups_total",
      help: "API key verifications by source (cache, db)",
      labelNames: ["source"],
      registers,
    }),
  };
}
