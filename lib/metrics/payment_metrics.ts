import client from "prom-client";
import type { PaymentStatus } from "../domain/mod.ts";

/**
 * `payment_transitions_total{from,to}` (DESIGN §4), on the given registry.
 * Every process that changes payment states counts its own transitions;
 * Prometheus sums them. `from` is `NONE` for a payment's first state.
 */
export function countPaymentTransition(
  registry: client.Registry,
  from: PaymentStatus | null,
  to: PaymentStatus,
): void {
  transitionsCounter(registry).inc({ from: from ?? "NONE", to });
}

/**
 * Declares the counter up front, so a process that makes transitions exports
 * it (at zero) from its first scrape, before its first transition.
 */
export function registerPaymentTransitions(registry: client.Registry): void {
  transitionsCounter(registry);
}

function transitionsCounter(registry: client.Registry): client.Counter<"from" | "to"> {
  const existing = registry.getSingleMetric("payment_transitions_total");
  if (existing) return existing as client.Counter<"from" | "to">;
  return new client.Counter({
    name: "payment_transitions_total",
    help: "Payment state transitions by source and target state",
    labelNames: ["from", "to"],
    registers: [registry],
  });
}
