/** Prometheus metrics (prom-client). */
export * from "./registry.ts";
