import { type Db, type OutboxStats, outboxStats } from "@pay/lib/db";
import { prom, type Registry } from "@pay/lib/metrics";

export type PublishResult = "published" | "failed" | "dead" | "rejected";

export interface RelayMetrics {
  /** Rows by publish result: published, failed (will retry), dead, rejected (breaker open). */
  readonly published: prom.Counter<"result">;
  readonly batchDuration: prom.Histogram<"result">;
  /** Outbox rows set back to NEW because the bus lost its data. */
  readonly replayed: prom.Counter;
  /** Times a relay found the bus's epoch changed (the bus lost its data). */
  readonly busEpochChanges: prom.Counter;
}

/**
 * Backlog gauges read MariaDB at scrape time; one query result serves every
 * gauge of a scrape, and scrapes closer than this share it.
 */
const statsCacheMs = 1_000;

/** Upper bucket bounds of a claim-publish-mark cycle, 1 ms to 10 s. */
const batchBucketsSeconds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const metricsByRegistry = new WeakMap<Registry, RelayMetrics>();

export function relayMetrics(pool: Db, registry?: Registry): RelayMetrics {
  const known = registry && metricsByRegistry.get(registry);
  if (known) return known;
  const registers = registry ? [registry] : [];
  let cached: { atMs: number; stats: Promise<OutboxStats> } | null = null;
  const stats = () => {
    if (!cached || Date.now() - cached.atMs > statsCacheMs) {
      cached = { atMs: Date.now(), stats: outboxStats(pool) };
      cached.stats.catch(() => cached = null);
    }
    return cached.stats;
  };
  const gauge = (name: string, help: string, read: (s: OutboxStats) => number) =>
    new prom.Gauge({
      name,
      help,
      registers,
      async collect() {
        // MariaDB down: keep the last value rather than fail the whole /metrics
        // (every other series, breakers included, would vanish with it); /ready says why.
        const current = await stats().catch(() => undefined);
        if (current) this.set(read(current));
      },
    });
  gauge("outbox_backlog_events", "Outbox rows not yet published (NEW)", (s) => s.backlog);
  gauge(
    "outbox_oldest_event_age_seconds",
    "Age of the oldest unpublished outbox row",
    (s) => s.oldestAgeSeconds,
  );
  gauge("outbox_dead_events", "Outbox rows that exhausted their attempts (DEAD)", (s) => s.dead);
  const metrics: RelayMetrics = {
    published: new prom.Counter({
      name: "outbox_published_total",
      help: "Outbox rows by publish result (published, failed, dead, rejected)",
      labelNames: ["result"],
      registers,
    }),
    batchDuration: new prom.Histogram({
      name: "outbox_relay_batch_duration_seconds",
      help: "Duration of one claim-publish-mark cycle by result",
      labelNames: ["result"],
      buckets: batchBucketsSeconds,
      registers,
    }),
    replayed: new prom.Counter({
      name: "outbox_replayed_total",
      help: "Outbox rows published again because the bus lost its data (its epoch changed)",
      registers,
    }),
    busEpochChanges: new prom.Counter({
      name: "bus_epoch_changes_total",
      help: "Times the relay found the bus restarted without its data (a new epoch marker)",
      registers,
    }),
  };
  if (registry) metricsByRegistry.set(registry, metrics);
  return metrics;
}
