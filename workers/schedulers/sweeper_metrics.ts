import { prom, type Registry } from "@pay/lib/metrics";

/**
 * What the sweepers found and repaired. Every repair means a bus message was
 * lost (or an outbox row went DEAD): monitoring/alerts.yml alerts on any.
 */
export interface SweeperMetrics {
  /** Missing effects found, by sweeper (`ledger`, `void`). */
  readonly found: prom.Counter<"sweeper">;
  /** Missing effects this process created; found minus repaired were made meanwhile by a consumer. */
  readonly repaired: prom.Counter<"sweeper">;
}

const metricsByRegistry = new WeakMap<Registry, SweeperMetrics>();

export function sweeperMetrics(registry: Registry): SweeperMetrics {
  const known = metricsByRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const metrics: SweeperMetrics = {
    found: new prom.Counter({
      name: "sweeper_found_total",
      help: "Effects of lost bus messages a sweeper found missing (ledger postings, voids)",
      labelNames: ["sweeper"],
      registers,
    }),
    repaired: new prom.Counter({
      name: "sweeper_repaired_total",
      help: "Effects of lost bus messages a sweeper created (each one means a message was lost)",
      labelNames: ["sweeper"],
      registers,
    }),
  };
  metricsByRegistry.set(registry, metrics);
  return metrics;
}
