import type { ReconciliationReportView } from "../../operations/reconciliation.ts";
import { ActionForm, Empty, Layout, StatusBadge, type ViewSession } from "../components.tsx";
import type { Notice } from "../notice.ts";

export function ReconciliationPage(
  props: { session: ViewSession; report: ReconciliationReportView; notice: Notice },
) {
  const { runs, run, mismatches } = props.report;
  const { i18n } = props.session;
  const { t } = i18n;
  return (
    <Layout
      title={t("reconciliation.title")}
      active="/reconciliation"
      session={props.session}
      notice={props.notice}
    >
      <ActionForm session={props.session} action="/console/reconciliation/run">
        <label>
          {t("reconciliation.day")}
          <input name="date" size={30} placeholder={t("reconciliation.dayHint")} />
        </label>
        <button type="submit">{t("reconciliation.run")}</button>
      </ActionForm>
      <h2>{t("reconciliation.latest")}</h2>
      {runs.length === 0 ? <Empty>{t("reconciliation.none")}</Empty> : (
        <table>
          <thead>
            <tr>
              <th>{t("reconciliation.runCol")}</th>
              <th>{t("reconciliation.dayCol")}</th>
              <th>{t("common.status")}</th>
              <th class="num">{t("reconciliation.matched")}</th>
              <th class="num">{t("reconciliation.missingAtPg")}</th>
              <th class="num">{t("reconciliation.missingHere")}</th>
              <th class="num">{t("reconciliation.amount")}</th>
              <th class="num">{t("reconciliation.ledger")}</th>
              <th class="num">{t("reconciliation.unbalanced")}</th>
              <th>{t("reconciliation.finished")}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr>
                <td>
                  <a href={`/reconciliation?runId=${r.id}`}>#{r.id}</a>
                </td>
                <td>{r.date}</td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td class="num">{r.counts.matched}</td>
                <td class="num">{r.counts.missing_at_pg}</td>
                <td class="num">{r.counts.missing_here}</td>
                <td class="num">{r.counts.amount_mismatch}</td>
                <td class="num">{r.counts.ledger_mismatch}</td>
                <td class="num">{r.counts.ledger_unbalanced}</td>
                <td class="t">{i18n.time(r.finishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {run
        ? (
          <>
            <h2>{t("reconciliation.mismatchesOf", { id: run.id ?? "-", date: run.date })}</h2>
            {run.error ? <p class="notice bad">{run.error}</p> : null}
            {mismatches.length === 0 ? <Empty>{t("reconciliation.noMismatch")}</Empty> : (
              <table>
                <thead>
                  <tr>
                    <th>{t("reconciliation.kind")}</th>
                    <th>{t("reconciliation.operation")}</th>
                    <th>{t("reconciliation.request")}</th>
                    <th>{t("common.payment")}</th>
                    <th class="num">{t("reconciliation.ours")}</th>
                    <th class="num">{t("reconciliation.other")}</th>
                    <th>{t("reconciliation.detail")}</th>
                  </tr>
                </thead>
                <tbody>
                  {mismatches.map((m) => (
                    <tr>
                      <td>{m.kind}</td>
                      <td>{m.operation}</td>
                      <td>
                        <code>{m.requestId ?? "-"}</code>
                      </td>
                      <td>
                        {m.paymentId && /^pay_[0-9a-z]{26}$/.test(m.paymentId)
                          ? (
                            <a href={`/payments/${m.paymentId}`}>
                              <code>{m.paymentId}</code>
                            </a>
                          )
                          : <code>{m.paymentId ?? "-"}</code>}
                      </td>
                      <td class="num">{m.ourAmount ?? "-"}</td>
                      <td class="num">{m.otherAmount ?? "-"}</td>
                      <td>{m.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )
        : null}
    </Layout>
  );
}
