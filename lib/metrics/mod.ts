/** Prometheus metrics (prom-client). */
export * from "./registry.ts";
export * from "./payment_metrics.ts";
