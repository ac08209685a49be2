/** The storefront's Prometheus metrics (DESIGN §7), on a registry of its own. */
import { createRegistry, latencyBucketsSeconds, prom, type Registry } from "@pay/lib/metrics";

export interface StoreMetrics {
  readonly registry: Registry;
  /** `route` is the route pattern (`/orders/:id`), `static` or `none`: a bounded label set. */
  readonly httpRequests: prom.Counter<"route" | "method" | "status">;
  readonly httpDuration: prom.Histogram<"route">;
  /** One count per checkout submission, by how it ended (paid, card_declined, stale, ...). */
  readonly checkoutOutcomes: prom.Counter<"outcome">;
}

export function createStoreMetrics(): StoreMetrics {
  const registry = createRegistry("store");
  return {
    registry,
    httpRequests: new prom.Counter({
      name: "store_http_requests_total",
      help: "Storefront HTTP requests by route pattern, method and status",
      labelNames: ["route", "method", "status"],
      registers: [registry],
    }),
    httpDuration: new prom.Histogram({
      name: "store_http_request_duration_seconds",
      help: "Storefront request handling time, gateway calls included",
      labelNames: ["route"],
      buckets: latencyBucketsSeconds,
      registers: [registry],
    }),
    checkoutOutcomes: new prom.Counter({
      name: "store_checkout_outcomes_total",
      help: "Checkout submissions by outcome (paid, stale, or the gateway's problem code)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
  };
}
