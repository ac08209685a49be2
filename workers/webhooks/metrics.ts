import { countWebhookEndpointsByState, type Db, readWebhookBacklog } from "@pay/lib/db";
import { prom, type Registry } from "@pay/lib/metrics";

/** Webhook metrics (monitoring/alerts.yml alerts on the backlog and on disabled endpoints). */
export interface WebhookMetrics {
  /** Webhook events derived, by source (consumer, sweeper) and result (created, duplicate, ...). */
  readonly events: prom.Counter<"source" | "result">;
  /** Attempts by result: delivered, http_error, timeout, network_error, refused. */
  readonly attempts: prom.Counter<"result">;
  /** Deliveries that ended, by result: delivered, failed. */
  readonly deliveries: prom.Counter<"result">;
  readonly attemptDuration: prom.Histogram<"result">;
  /** Event committed → first attempt of a delivery. */
  readonly firstAttemptDelay: prom.Histogram;
  /** Endpoints this process disabled after a run of failures. */
  readonly endpointsDisabled: prom.Counter;
}

/** Scrapes closer than this share one backlog query. */
const statsCacheMs = 1_000;

/** Attempt latency, 5 ms to the 10 s timeout. */
const attemptBucketsSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Commit → first attempt: tens of ms when healthy, minutes behind a backlog. */
const delayBucketsSeconds = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

const metricsByRegistry = new WeakMap<Registry, WebhookMetrics>();

export function webhookMetrics(pool: Db, registry: Registry): WebhookMetrics {
  const known = metricsByRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  backlogGauges(pool, registers);
  const metrics: WebhookMetrics = {
    events: new prom.Counter({
      name: "webhook_events_total",
      help: "Webhook events derived from payment events, by source and result",
      labelNames: ["source", "result"],
      registers,
    }),
    attempts: new prom.Counter({
      name: "webhook_delivery_attempts_total",
      help:
        "Webhook delivery attempts by result (delivered, http_error, timeout, network_error, refused)",
      labelNames: ["result"],
      registers,
    }),
    deliveries: new prom.Counter({
      name: "webhook_deliveries_total",
      help: "Webhook deliveries that ended, by result (delivered, failed)",
      labelNames: ["result"],
      registers,
    }),
    attemptDuration: new prom.Histogram({
      name: "webhook_delivery_attempt_duration_seconds",
      help: "Duration of one webhook delivery attempt (request to response headers and body)",
      labelNames: ["result"],
      buckets: attemptBucketsSeconds,
      registers,
    }),
    firstAttemptDelay: new prom.Histogram({
      name: "webhook_delivery_first_attempt_delay_seconds",
      help: "Time from a payment event's commit to the first attempt of its webhook delivery",
      buckets: delayBucketsSeconds,
      registers,
    }),
    endpointsDisabled: new prom.Counter({
      name: "webhook_endpoints_disabled_total",
      help: "Webhook endpoints disabled after a run of consecutive failed attempts",
      registers,
    }),
  };
  metricsByRegistry.set(registry, metrics);
  return metrics;
}

/** Gauges read from MariaDB at scrape time; MariaDB down keeps the last value. */
function backlogGauges(pool: Db, registers: Registry[]): void {
  let cached: { atMs: number; stats: ReturnType<typeof readStats> } | null = null;
  const stats = () => {
    if (!cached || Date.now() - cached.atMs > statsCacheMs) {
      cached = { atMs: Date.now(), stats: readStats(pool) };
      cached.stats.catch(() => cached = null);
    }
    return cached.stats;
  };
  new prom.Gauge({
    name: "webhook_delivery_backlog",
    help: "Webhook deliveries not yet delivered or given up (PENDING)",
    registers,
    async collect() {
      const s = await stats().catch(() => undefined);
      if (s) this.set(s.pending);
    },
  });
  new prom.Gauge({
    name: "webhook_delivery_oldest_pending_age_seconds",
    help: "Age of the oldest PENDING webhook delivery",
    registers,
    async collect() {
      const s = await stats().catch(() => undefined);
      if (s) this.set(s.oldestAgeSeconds);
    },
  });
  new prom.Gauge({
    name: "webhook_endpoints",
    help: "Webhook endpoints by state (enabled, disabled_by_merchant, disabled_by_failures)",
    labelNames: ["state"],
    registers,
    async collect() {
      const s = await stats().catch(() => undefined);
      if (!s) return;
      for (const state of endpointStates) this.set({ state }, s.endpoints[state]);
    },
  });
}

const endpointStates = ["enabled", "disabled_by_merchant", "disabled_by_failures"] as const;

async function readStats(pool: Db) {
  const [backlog, states] = await Promise.all([
    readWebhookBacklog(pool),
    countWebhookEndpointsByState(pool),
  ]);
  const endpoints = { enabled: 0, disabled_by_merchant: 0, disabled_by_failures: 0 };
  for (const s of states) {
    if (s.status === "enabled") endpoints.enabled += s.count;
    else if (s.reason === "failures") endpoints.disabled_by_failures += s.count;
    else endpoints.disabled_by_merchant += s.count;
  }
  return { ...backlog, endpoints };
}
