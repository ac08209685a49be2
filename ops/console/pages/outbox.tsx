import type { OutboxStatus } from "../../operations/outbox.ts";
import {
  ActionForm,
  Empty,
  Kpi,
  Layout,
  outboxBacklogWarnMin,
  type ViewSession,
} from "../components.tsx";
import type { Notice } from "../notice.ts";

export function OutboxPage(props: { session: ViewSession; status: OutboxStatus; notice: Notice }) {
  const s = props.status;
  const { i18n } = props.session;
  const { t } = i18n;
  return (
    <Layout
      title={t("outbox.title")}
      active="/outbox"
      session={props.session}
      notice={props.notice}
    >
      <div class="kpis">
        <Kpi
          label={t("outbox.backlog")}
          value={s.backlog}
          tone={s.backlog > outboxBacklogWarnMin ? "warn" : undefined}
        />
        <Kpi label={t("outbox.oldest")} value={i18n.seconds(s.oldestAgeSeconds)} />
        <Kpi label={t("outbox.deadRows")} value={s.dead} tone={s.dead > 0 ? "bad" : undefined} />
      </div>
      <h2>{t("outbox.deadRows")}</h2>
      <p class="muted">{t("outbox.deadHint")}</p>
      {s.deadRows.length === 0
        ? <Empty>{t("outbox.noDead")}</Empty>
        : (
          <ActionForm session={props.session} action="/console/outbox/requeue" class="">
            <table>
              <thead>
                <tr>
                  <th></th>
                  <th>{t("common.id")}</th>
                  <th>{t("common.topic")}</th>
                  <th>{t("common.payment")}</th>
                  <th class="num">{t("common.attempts")}</th>
                  <th>{t("common.lastError")}</th>
                  <th>{t("common.created")}</th>
                </tr>
              </thead>
              <tbody>
                {s.deadRows.map((r) => (
                  <tr>
                    <td>
                      <input
                        type="checkbox"
                        name="ids"
                        value={String(r.id)}
                        aria-label={t("common.select", { id: r.id })}
                      />
                    </td>
                    <td class="num">{r.id}</td>
                    <td>{r.topic}</td>
                    <td>
                      <a href={`/payments/${r.aggregateId}`}>
                        <code>{r.aggregateId}</code>
                      </a>
                    </td>
                    <td class="num">{r.attempts}</td>
                    <td>{r.lastError ?? "-"}</td>
                    <td class="t">{i18n.time(r.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              <button type="submit">{t("outbox.requeueSelected")}</button>{" "}
              <button type="submit" name="all" value="true" class="secondary">
                {t("outbox.requeueAll")}
              </button>
            </p>
          </ActionForm>
        )}
    </Layout>
  );
}
