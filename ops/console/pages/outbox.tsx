import type { OutboxStatus } from "../../operations/outbox.ts";
import {
  ActionForm,
  Empty,
  Kpi,
  Layout,
  outboxBacklogWarnMin,
  type ViewSession,
} from "../components.tsx";
import { formatSeconds, formatTime } from "../format.ts";
import type { Notice } from "../notice.ts";

export function OutboxPage(props: { session: ViewSession; status: OutboxStatus; notice: Notice }) {
  const s = props.status;
  return (
    <Layout title="Outbox" active="/outbox" session={props.session} notice={props.notice}>
      <div class="kpis">
        <Kpi
          label="backlog (NEW rows)"
          value={s.backlog}
          tone={s.backlog > outboxBacklogWarnMin ? "warn" : undefined}
        />
        <Kpi label="oldest unpublished" value={formatSeconds(s.oldestAgeSeconds)} />
        <Kpi label="DEAD rows" value={s.dead} tone={s.dead > 0 ? "bad" : undefined} />
      </div>
      <h2>DEAD rows</h2>
      <p class="muted">
        Rows whose publish failed OUTBOX_ATTEMPTS_MAX times. Requeueing makes them NEW with attempts
        reset; the relay publishes them again (consumers are idempotent).
      </p>
      {s.deadRows.length === 0
        ? <Empty>No DEAD rows.</Empty>
        : (
          <ActionForm session={props.session} action="/console/outbox/requeue" class="">
            <table>
              <thead>
                <tr>
                  <th></th>
                  <th>Id</th>
                  <th>Topic</th>
                  <th>Payment</th>
                  <th class="num">Attempts</th>
                  <th>Last error</th>
                  <th>Created</th>
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
                        aria-label={`select ${r.id}`}
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
                    <td class="t">{formatTime(r.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              <button type="submit">Requeue selected</button>{" "}
              <button type="submit" name="all" value="true" class="secondary">
                Requeue all DEAD
              </button>
            </p>
          </ActionForm>
        )}
    </Layout>
  );
}
