import type { ReconciliationReportView } from "../../operations/reconciliation.ts";
import { ActionForm, Empty, Layout, StatusBadge, type ViewSession } from "../components.tsx";
import { formatTime } from "../format.ts";
import type { Notice } from "../notice.ts";

export function ReconciliationPage(
  props: { session: ViewSession; report: ReconciliationReportView; notice: Notice },
) {
  const { runs, run, mismatches } = props.report;
  return (
    <Layout
      title="Reconciliation"
      active="/reconciliation"
      session={props.session}
      notice={props.notice}
    >
      <ActionForm session={props.session} action="/console/reconciliation/run">
        <label>
          UTC day<input name="date" size={30} placeholder="YYYY-MM-DD (default yesterday)" />
        </label>
        <button type="submit">Run reconciliation now</button>
      </ActionForm>
      <h2>Latest runs</h2>
      {runs.length === 0 ? <Empty>No reconciliation run yet.</Empty> : (
        <table>
          <thead>
            <tr>
              <th>Run</th>
              <th>Day</th>
              <th>Status</th>
              <th class="num">Matched</th>
              <th class="num">Missing at PG</th>
              <th class="num">Missing here</th>
              <th class="num">Amount</th>
              <th class="num">Ledger</th>
              <th class="num">Unbalanced</th>
              <th>Finished</th>
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
                <td class="t">{formatTime(r.finishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {run
        ? (
          <>
            <h2>Mismatches of run #{run.id} ({run.date})</h2>
            {run.error ? <p class="notice bad">{run.error}</p> : null}
            {mismatches.length === 0 ? <Empty>None.</Empty> : (
              <table>
                <thead>
                  <tr>
                    <th>Kind</th>
                    <th>Operation</th>
                    <th>Request</th>
                    <th>Payment</th>
                    <th class="num">Ours</th>
                    <th class="num">Other side</th>
                    <th>Detail</th>
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
