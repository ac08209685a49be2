import { latencyBucketsSeconds, prom, type Registry } from "@pay/lib/metrics";
import type { MetricsSampler } from "./sampler.ts";

export interface OpsMetrics {
  readonly requests: prom.Counter<"route" | "method" | "status">;
  readonly duration: prom.Histogram<"route" | "method">;
}

/** The ops service's own metrics, plus whether each scrape target answered its last scrape. */
export function opsMetrics(registry: Registry, sampler: MetricsSampler): OpsMetrics {
  const registers = [registry];
  new prom.Gauge({
    name: "ops_scrape_target_up",
    help: "1 when the service answered the ops service's last /metrics scrape, 0 when not",
    labelNames: ["target"],
    registers,
    collect() {
      for (const target of sampler.targets) {
        const last = sampler.history(target.name).at(-1);
        if (last) this.set({ target: target.name }, last.up ? 1 : 0);
      }
    },
  });
  return {
    requests: new prom.Counter({
      name: "ops_http_requests_total",
      help: "Requests served by the ops API and console, by route, method and status",
      labelNames: ["route", "method", "status"],
      registers,
    }),
    duration: new prom.Histogram({
      name: "ops_http_request_duration_seconds",
      help: "Ops API and console request latency in seconds",
      labelNames: ["route", "method"],
      buckets: latencyBucketsSeconds,
      registers,
    }),
  };
}
