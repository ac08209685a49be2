/**
 * Grafana dashboards as code. `deno task monitoring:dashboards` writes them to
 * grafana/dashboards/*.json (provisioned by compose); a test keeps the files
 * current and checks every metric they query is exported by a service.
 */
interface Target {
  readonly expr: string;
  readonly legend: string;
}

interface PanelSpec {
  readonly title: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  readonly kind?: "timeseries" | "stat";
}

const panelWidth = 12;
const panelHeight = 8;

function panel(spec: PanelSpec, index: number) {
  return {
    id: index + 1,
    type: spec.kind ?? "timeseries",
    title: spec.title,
    datasource: { type: "prometheus", uid: "prometheus" },
    gridPos: {
      x: (index % 2) * panelWidth,
      y: Math.floor(index / 2) * panelHeight,
      w: panelWidth,
      h: panelHeight,
    },
    fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
    targets: spec.targets.map((t, i) => ({
      refId: String.fromCharCode(65 + i),
      expr: t.expr,
      legendFormat: t.legend,
    })),
  };
}

function dashboard(uid: string, title: string, panels: readonly PanelSpec[]) {
  return {
    uid,
    title,
    tags: ["payments"],
    timezone: "utc",
    schemaVersion: 39,
    version: 1,
    refresh: "5s",
    time: { from: "now-30m", to: "now" },
    panels: panels.map(panel),
  };
}

const rate = (metric: string, window = "1m") => `rate(${metric}[${window}])`;

/** The original "Payment Service Overview", plus settlement, DLQ and outbox. */
export function paymentOverview() {
  return dashboard("payment-overview", "Payment Service Overview", [
    {
      title: "Request rate by route",
      unit: "reqps",
      targets: [{
        expr: `sum by (route) (${rate("gateway_requests_total")})`,
        legend: "{{route}}",
      }],
    },
    {
      title: "Latency p95 by route",
      unit: "s",
      targets: [{
        expr: `histogram_quantile(0.95, sum by (le, route) (${
          rate("gateway_request_duration_seconds_bucket")
        }))`,
        legend: "{{route}}",
      }],
    },
    {
      title: "Error rate (4xx, 5xx)",
      unit: "percentunit",
      targets: [
        {
          expr: `sum(${rate('gateway_requests_total{status=~"5.."}')}) / clamp_min(sum(${
            rate("gateway_requests_total")
          }), 1e-9)`,
          legend: "5xx",
        },
        {
          expr: `sum(${rate('gateway_requests_total{status=~"4.."}')}) / clamp_min(sum(${
            rate("gateway_requests_total")
          }), 1e-9)`,
          legend: "4xx",
        },
      ],
    },
    {
      title: "Consumer throughput by group",
      unit: "ops",
      targets: [{
        expr: `sum by (group) (${rate('bus_handler_duration_seconds_count{result="ok"}')})`,
        legend: "{{group}}",
      }],
    },
    {
      title: "Circuit breaker state (0 closed, 1 open, 2 half-open)",
      unit: "none",
      targets: [{ expr: "max by (name) (circuit_breaker_state)", legend: "{{name}}" }],
    },
    {
      title: "Circuit breaker calls by result",
      unit: "ops",
      targets: [{
        expr: `sum by (name, result) (${rate("circuit_breaker_calls_total")})`,
        legend: "{{name}} {{result}}",
      }],
    },
    {
      title: "Circuit breaker failure % and slow (timeout) %",
      unit: "percentunit",
      targets: [
        {
          expr: `sum by (name) (${
            rate('circuit_breaker_calls_total{result="failure"}')
          }) / clamp_min(sum by (name) (${rate("circuit_breaker_calls_total")}), 1e-9)`,
          legend: "{{name}} failure",
        },
        {
          expr: `sum by (name) (${
            rate('circuit_breaker_calls_total{result="timeout"}')
          }) / clamp_min(sum by (name) (${rate("circuit_breaker_calls_total")}), 1e-9)`,
          legend: "{{name}} slow",
        },
      ],
    },
    {
      title: "Payment transitions",
      unit: "ops",
      targets: [{ expr: `sum by (to) (${rate("payment_transitions_total")})`, legend: "{{to}}" }],
    },
    {
      title: "Settlement and refund outcomes",
      unit: "ops",
      targets: [{
        expr: `sum by (kind, status) (${rate("settlement_requests_completed_total")})`,
        legend: "{{kind}} {{status}}",
      }],
    },
    {
      title: "Capture/refund completion p95",
      unit: "s",
      targets: [{
        expr: `histogram_quantile(0.95, sum by (le, kind) (${
          rate("settlement_completion_seconds_bucket", "5m")
        }))`,
        legend: "{{kind}}",
      }],
    },
    {
      title: "Outbox backlog, oldest age and DEAD rows",
      unit: "none",
      targets: [
        { expr: "max(outbox_backlog_events)", legend: "backlog" },
        { expr: "max(outbox_oldest_event_age_seconds)", legend: "oldest age (s)" },
        { expr: "max(outbox_dead_events)", legend: "dead" },
      ],
    },
    {
      title: "DLQ messages and consumer lag",
      unit: "none",
      targets: [
        { expr: `sum by (topic) (increase(bus_dlq_messages_total[5m]))`, legend: "dlq {{topic}}" },
        {
          expr: "max by (group, topic) (bus_consumer_lag_messages)",
          legend: "lag {{group}} {{topic}}",
        },
      ],
    },
    {
      title: "Rate-limit decisions",
      unit: "ops",
      targets: [
        {
          expr: `sum by (class, decision) (${rate("gateway_rate_limit_decisions_total")})`,
          legend: "{{class}} {{decision}}",
        },
        { expr: `sum(${rate("gateway_rate_limit_fail_open_total")})`, legend: "fail open" },
      ],
    },
    {
      title: "Reconciliation mismatches (last run)",
      unit: "none",
      targets: [{ expr: "sum by (kind) (reconciliation_mismatches)", legend: "{{kind}}" }],
    },
    {
      title: "Lost messages repaired (sweepers) and outbox rows replayed (bus data lost)",
      unit: "none",
      targets: [
        {
          expr: "sum by (sweeper) (increase(sweeper_repaired_total[5m]))",
          legend: "repaired {{sweeper}}",
        },
        { expr: "sum(increase(outbox_replayed_total[5m]))", legend: "replayed" },
      ],
    },
  ]);
}

export const dashboards = { "payment-overview.json": paymentOverview } as const;

export function renderDashboard(build: () => unknown): string {
  return JSON.stringify(build(), null, 2) + "\n";
}

if (import.meta.main) {
  for (const [file, build] of Object.entries(dashboards)) {
    await Deno.writeTextFile(
      new URL(`./dashboards/${file}`, import.meta.url),
      renderDashboard(build),
    );
    console.log(`wrote monitoring/grafana/dashboards/${file}`);
  }
}
