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
import { formatRate } from "../format.ts";
import type { ConsoleI18n } from "../i18n/i18n.ts";
import type { Settled } from "../settled.ts";

export interface OverviewData {
  readonly services: ReadonlyArray<{ name: string; url: string; history: readonly Sample[] }>;
  readonly outbox: Settled<OutboxStats>;
  readonly dlqPending: Settled<number>;
  readonly lastHour: Settled<WindowStatistics>;
  readonly reconciliation: Settled<ReconciliationRunRecord | null>;
  readonly refreshSeconds: number;
}

function ServicePanel(
  props: { name: string; url: string; history: readonly Sample[]; i18n: ConsoleI18n },
) {
  const { i18n } = props;
  const { t } = i18n;
  const last = props.history.at(-1);
  const points = trafficSeries(props.history);
  const breakers = last?.up ? Object.entries(last.summary.breakers) : [];
  return (
    <section class="panel">
      <h3>
        <span>{props.name}</span>
        {last === undefined
          ? <Badge tone="neutral">{t("badge.waiting")}</Badge>
          : last.up
          ? <Badge tone="ok">{t("badge.up")}</Badge>
          : <Badge tone="bad">{t("badge.down")}</Badge>}
      </h3>
      <div class="sub muted mono">{props.url}</div>
      {last && !last.up ? <p class="muted mono">{last.error}</p> : null}
      <div class="charts">
        <Sparkline
          label={t("overview.throughput")}
          values={points.map((p) => p.throughput)}
          format={formatRate}
          i18n={i18n}
        />
        <Sparkline
          label={t("overview.errorRate")}
          kind="errors"
          values={points.map((p) => p.errorRate)}
          format={i18n.percent}
          i18n={i18n}
        />
        <Sparkline
          label={t("overview.p95")}
          kind="latency"
          values={points.map((p) => p.p95Seconds ?? 0)}
          format={i18n.seconds}
          i18n={i18n}
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
  const { i18n } = props.session;
  const { t } = i18n;
  const hour = data.lastHour.value;
  const failed = hour?.byStatus.filter((s) => s.status.endsWith("FAILED"))
    .reduce((n, s) => n + s.count, 0) ?? 0;
  const run = data.reconciliation.value;
  const lastScrapeMs = Math.max(0, ...data.services.map((s) => s.history.at(-1)?.atMs ?? 0));
  return (
    <Layout
      title={t("overview.title")}
      active="/"
      session={props.session}
      refreshSeconds={data.refreshSeconds}
    >
      <div class="kpis">
        <Kpi label={t("overview.paymentsLastHour")} value={hour ? hour.total : "?"} />
        <Kpi
          label={t("overview.failedLastHour")}
          value={hour ? failed : "?"}
          tone={failed ? "warn" : undefined}
        />
        <Kpi
          label={t("overview.outboxBacklog")}
          value={data.outbox.value?.backlog ?? "?"}
          tone={(data.outbox.value?.backlog ?? 0) > outboxBacklogWarnMin ? "warn" : undefined}
        />
        <Kpi
          label={t("overview.oldestUnpublished")}
          value={data.outbox.value ? i18n.seconds(data.outbox.value.oldestAgeSeconds) : "?"}
        />
        <Kpi
          label={t("overview.outboxDead")}
          value={data.outbox.value?.dead ?? "?"}
          tone={(data.outbox.value?.dead ?? 0) > 0 ? "bad" : undefined}
        />
        <Kpi
          label={t("overview.dlqPending")}
          value={data.dlqPending.value ?? "?"}
          tone={(data.dlqPending.value ?? 0) > 0 ? "bad" : undefined}
        />
        <Kpi
          label={run
            ? t("overview.reconciliationOf", { date: run.date })
            : t("overview.reconciliation")}
          value={run ? run.status : data.reconciliation.error ? "?" : t("overview.noRun")}
          tone={run && run.status !== "CLEAN" ? "bad" : undefined}
        />
      </div>
      {[data.outbox, data.dlqPending, data.lastHour, data.reconciliation].some((s) => s.error)
        ? (
          <div class="notice bad">
            {t("overview.database", {
              error: [data.outbox, data.dlqPending, data.lastHour, data.reconciliation]
                .find((s) => s.error)?.error ?? "",
            })}
          </div>
        )
        : null}
      <h2>{t("overview.services")}</h2>
      <p class="muted">
        {t("overview.scraped", {
          seconds: data.refreshSeconds,
          time: i18n.time(lastScrapeMs ? new Date(lastScrapeMs) : null),
        })}
      </p>
      <div class="grid">
        {data.services.map((s) => (
          <ServicePanel
            key={s.name}
            name={s.name}
            url={s.url}
            history={s.history}
            i18n={i18n}
          />
        ))}
      </div>
    </Layout>
  );
}
