import { latencyBucketsSeconds, prom, type Registry } from "../metrics/mod.ts";
import { breakerStateGauge } from "../resilience/breaker.ts";

/** A running consumer that can say how far behind its group is, per topic. */
export interface LagSource {
  readonly group: string;
  lag(): Promise<ReadonlyArray<{ readonly topic: string; readonly messages: number }>>;
}

export interface BusMetrics {
  readonly handlerDuration: prom.Histogram<"group" | "topic" | "result">;
  readonly dlqMessages: prom.Counter<"topic">;
  /** Handler calls that failed because a dependency was unavailable (retried, never dead-lettered). */
  readonly transientFailures: prom.Counter<"group" | "topic">;
  /** `circuit_breaker_state`, where each consumer group's gate reports as `consumer:<group>`. */
  readonly breakerState: prom.Gauge<"name">;
  /** Consumers whose lag `bus_consumer_lag_messages` reports at each scrape. */
  readonly lagSources: Set<LagSource>;
}

const metricsByRegistry = new WeakMap<Registry, BusMetrics>();

/**
 * The bus metrics of `registry`, created once per registry. Without a
 * registry they are recorded nowhere (tests, tools).
 */
export function busMetrics(registry?: Registry): BusMetrics {
  const known = registry && metricsByRegistry.get(registry);
  if (known) return known;
  const registers = registry ? [registry] : [];
  const lagSources = new Set<LagSource>();
  const metrics: BusMetrics = {
    handlerDuration: new prom.Histogram({
      name: "bus_handler_duration_seconds",
      help: "Duration of one handler call by consumer group, topic and result (ok, error)",
      labelNames: ["group", "topic", "result"],
      buckets: latencyBucketsSeconds,
      registers,
    }),
    dlqMessages: new prom.Counter({
      name: "bus_dlq_messages_total",
      help: "Messages sent to payment.dlq, by original topic",
      labelNames: ["topic"],
      registers,
    }),
    transientFailures: new prom.Counter({
      name: "bus_handler_transient_failures_total",
      help:
        "Handler calls that failed because a dependency was unavailable, by consumer group and topic (retried, never dead-lettered)",
      labelNames: ["group", "topic"],
      registers,
    }),
    breakerState: breakerStateGauge(registry),
    lagSources,
  };
  new prom.Gauge({
    name: "bus_consumer_lag_messages",
    help: "Messages of a topic not yet acknowledged by a consumer group",
    labelNames: ["group", "topic"],
    registers,
    async collect() {
      this.reset();
      for (const source of lagSources) {
        try {
          for (const { topic, messages } of await source.lag()) {
            this.set({ group: source.group, topic }, messages);
          }
        } catch {
          // A scrape must not fail because the bus is down; the gauge just lacks the series.
        }
      }
    },
  });
  if (registry) metricsByRegistry.set(registry, metrics);
  return metrics;
}
