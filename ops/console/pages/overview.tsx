import type { OutboxStats, ReconciliationRunRecord } from "@pay/lib/db";
import type { Sample } from "../../metrics/sampler.ts";
import { trafficSeries } from "../../metrics/series.ts";
import { breakerStateName } from "../../operations/breakers.ts";
import type { WindowStatistics } from "../../operations/payments.ts";
import { Sparkline } from "../charts.tsx";
import {
  Badge,
  Kpi,
  Layout,
  outboxBacklogWarnMin,
  StatusBadge,
  type ViewSession,
} from "../components.tsx";
import { formatPercent, formatRate, formatSeconds, formatTime } from "../format.ts";
import type { Settled } from "../settled.ts";

export interface OverviewData {
  readonly services: ReadonlyArray<{ name: string; url: string; history: readonly Sample[] }>;
  readonly outbox: Settled<OutboxStats>;
  readonly dlqPending: Settled<number>;
  readonly lastHour: Settled<WindowStatistics>;
  readonly reconciliation: Settled<ReconciliationRunRecord | null>;
  readonly refreshSeconds: number;
}

function ServicePanel(props: { name: string; url: string; history: readonly Sample[] }) {
  const last = props.history.at(-1);
  const points = trafficSeries(props.history);
  const breakers = last?.up ? Object.entries(last.summary.breakers) : [];
  return (
    <section class="panel">
      <h3>
        <span>{props.name}</span>
        {last === undefined
          ? <Badge tone="neutral">waiting</Badge>
          : last.up
          ? <Badge tone="ok">up</Badge>
          : <Badge tone="bad">down</Badge>}
      </h3>
      <div class="sub muted mono">{props.url}</div>
      {last && !last.up ? <p class="muted mono">{last.error}</p> : null}
      <div class="charts">
        <Sparkline
          label="throughput"
          values={points.map((p) => p.throughput)}
          format={formatRate}
        />
        <Sparkline
          label="error rate"
          kind="errors"
          values={points.map((p) => p.errorRate)}
          format={formatPercent}
        />
        <Sparkline
          label="p95 latency"
          kind="latency"
          values={points.map((p) => p.p95Seconds ?? 0)}
          format={formatSeconds}
        />
      </div>
      {breakers.length
        ? (
          <p>
            {breakers.map(([name, b]) => (
              <span>
                {name} <StatusBadge status={breakerStateName(b.state)} />
                {" "}
              </span>
            ))}
          </p>
        )
        : null}
    </section>
  );
}

export function OverviewPage(props: { session: ViewSession; data: OverviewData }) {
  const { data } = props;
  const hour = data.lastHour.value;
  const failed = hour?.byStatus.filter((s) => s.status.endsWith("FAILED"))
    .reduce((n, s) => n + s.count, 0) ?? 0;
  const run = data.reconciliation.value;
  const lastScrapeMs = Math.max(0, ...data.services.map((s) => s.history.at(-1)?.atMs ?? 0));
  return (
    <Layout
      title="Overview"
      active="/"
      session={props.session}
      refreshSeconds={data.refreshSeconds}
    >
      <div class="kpis">
        <Kpi label="payments, last hour" value={hour ? hour.total : "?"} />
        <Kpi
          label="failed, last hour"
          value={hour ? failed : "?"}
          tone={failed ? "warn" : undefined}
        />
        <Kpi
          label="outbox backlog"
          value={data.outbox.value?.backlog ?? "?"}
          tone={(data.outbox.value?.backlog ?? 0) > outboxBacklogWarnMin ? "warn" : undefined}
        />
        <Kpi
          label="oldest unpublished"
          value={data.outbox.value ? formatSeconds(data.outbox.value.oldestAgeSeconds) : "?"}
        />
        <Kpi
          label="outbox DEAD"
          value={data.outbox.value?.dead ?? "?"}
          tone={(data.outbox.value?.dead ?? 0) > 0 ? "bad" : undefined}
        />
        <Kpi
          label="DLQ pending"
          value={data.dlqPending.value ?? "?"}
          tone={(data.dlqPending.value ?? 0) > 0 ? "bad" : undefined}
        />
        <Kpi
          label={run ? `reconciliation ${run.date}` : "reconciliation"}
          value={run ? run.status : data.reconciliation.error ? "?" : "no run"}
          tone={run && run.status !== "CLEAN" ? "bad" : undefined}
        />
      </div>
      {[data.outbox, data.dlqPending, data.lastHour, data.reconciliation].some((s) => s.error)
        ? (
          <div class="notice bad">
            MariaDB: {[data.outbox, data.dlqPending, data.lastHour, data.reconciliation]
              .find((s) => s.error)?.error}
          </div>
        )
        : null}
      <h2>Services</h2>
      <p class="muted">
        From each service's /metrics, scraped every {data.refreshSeconds}{" "}
        s (page refreshes itself). Last scrape:{" "}
        {formatTime(lastScrapeMs ? new Date(lastScrapeMs) : null)}
      </p>
      <div class="grid">
        {data.services.map((s) => (
          <ServicePanel key={s.name} name={s.name} url={s.url} history={s.history} />
        ))}
      </div>
    </Layout>
  );
}
