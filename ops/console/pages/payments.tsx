import type { PaymentRecord } from "@pay/lib/db";
import { paymentStatuses } from "@pay/lib/domain";
import type { PaymentDetail } from "../../operations/payments.ts";
import { Empty, Layout, StatusBadge, type ViewSession } from "../components.tsx";
import { formatMoney, formatTime } from "../format.ts";
import { JournalTable } from "../journal_table.tsx";

export interface PaymentSearch {
  readonly paymentId?: string;
  readonly merchantId?: string;
  readonly status?: string;
  readonly from?: string;
  readonly to?: string;
}

function PaymentsTable(props: { payments: readonly PaymentRecord[] }) {
  if (props.payments.length === 0) return <Empty>No payment matches.</Empty>;
  return (
    <table>
      <thead>
        <tr>
          <th>Payment</th>
          <th>Merchant</th>
          <th>Status</th>
          <th class="num">Amount</th>
          <th class="num">Captured</th>
          <th class="num">Refunded</th>
          <th>Order</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {props.payments.map((p) => (
          <tr>
            <td>
              <a href={`/payments/${p.id}`}>
                <code>{p.id}</code>
              </a>
            </td>
            <td>{p.merchantId}</td>
            <td>
              <StatusBadge status={p.status} />
            </td>
            <td class="num">{formatMoney(p.amount, p.currency)}</td>
            <td class="num">{formatMoney(p.capturedAmount, p.currency)}</td>
            <td class="num">{formatMoney(p.refundedAmount, p.currency)}</td>
            <td>{p.orderId ?? "-"}</td>
            <td class="t">{formatTime(p.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PaymentsPage(props: {
  session: ViewSession;
  search: PaymentSearch;
  result?: { data: readonly PaymentRecord[]; nextCursor: string | null };
  error?: string;
  nextHref?: string;
}) {
  const s = props.search;
  return (
    <Layout
      title="Payments"
      active="/payments"
      session={props.session}
      notice={props.error ? { text: props.error, bad: true } : null}
    >
      <form method="get" action="/payments" class="inline">
        <label>
          Payment id<input
            name="paymentId"
            value={s.paymentId ?? ""}
            size={32}
            placeholder="pay_..."
          />
        </label>
        <label>
          Merchant<input name="merchantId" value={s.merchantId ?? ""} size={10} />
        </label>
        <label>
          Status
          <select name="status">
            <option value="">any</option>
            {paymentStatuses.map((status) => (
              <option selected={s.status === status}>{status}</option>
            ))}
          </select>
        </label>
        <label>
          From (UTC)<input name="from" value={s.from ?? ""} placeholder="2025-01-31T00:00Z" />
        </label>
        <label>
          To (UTC)<input name="to" value={s.to ?? ""} placeholder="2025-02-01T00:00Z" />
        </label>
        <button type="submit">Search</button>
      </form>
      {props.result ? <PaymentsTable payments={props.result.data} /> : null}
      {props.nextHref
        ? (
          <p>
            <a href={props.nextHref}>Older payments →</a>
          </p>
        )
        : null}
    </Layout>
  );
}

export function PaymentDetailPage(props: { session: ViewSession; detail: PaymentDetail }) {
  const { payment: p, events, ledger, requests, outbox } = props.detail;
  return (
    <Layout title={`Payment ${p.id}`} active="/payments" session={props.session}>
      <div class="split">
        <section class="panel">
          <h3>
            Payment <StatusBadge status={p.status} />
          </h3>
          <dl class="fields">
            <dt>Merchant</dt>
            <dd>{p.merchantId}</dd>
            <dt>Amount</dt>
            <dd>{formatMoney(p.amount, p.currency)}</dd>
            <dt>Captured</dt>
            <dd>{formatMoney(p.capturedAmount, p.currency)}</dd>
            <dt>Refunded</dt>
            <dd>{formatMoney(p.refundedAmount, p.currency)}</dd>
            <dt>Order</dt>
            <dd>{p.orderId ?? "-"}</dd>
            <dt>Idempotency key</dt>
            <dd>
              <code>{p.idempotencyKey}</code>
            </dd>
            <dt>PG authorization</dt>
            <dd>
              <code>{p.pgAuthorizationId ?? "-"}</code>
            </dd>
            {p.declineCode ? <dt>Decline code</dt> : null}
            {p.declineCode ? <dd>{p.declineCode}</dd> : null}
            <dt>Created</dt>
            <dd>{formatTime(p.createdAt)}</dd>
            <dt>Updated</dt>
            <dd>{formatTime(p.updatedAt)}</dd>
            <dt>Authorization expires</dt>
            <dd>{formatTime(p.authExpiresAt)}</dd>
          </dl>
        </section>
        <section class="panel">
          <h3>Timeline</h3>
          {events.length === 0 ? <Empty>No transitions recorded.</Empty> : (
            <ol class="timeline">
              {events.map((e) => (
                <li>
                  <strong>{e.from ?? "(new)"} → {e.to}</strong>
                  {e.amount !== null ? ` · ${formatMoney(e.amount, p.currency)}` : ""}
                  <div class="muted">
                    {formatTime(e.at)}
                    {e.requestId
                      ? (
                        <>
                          · <code>{e.requestId}</code>
                        </>
                      )
                      : null}
                    {e.reason ? ` · ${e.reason}` : ""}
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <h2>Ledger</h2>
      {ledger.length === 0
        ? <Empty>No journal entries (nothing captured yet, or the ledger trails).</Empty>
        : <JournalTable entries={ledger} withSourceEvent />}
      <h2>PG requests</h2>
      {requests.length === 0 ? <Empty>No capture or refund requests.</Empty> : (
        <table>
          <thead>
            <tr>
              <th>Kind</th>
              <th>Request</th>
              <th>Status</th>
              <th class="num">Amount</th>
              <th class="num">Attempts</th>
              <th>PG id / code</th>
              <th>Last error</th>
              <th>Completed</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr>
                <td>{r.kind}</td>
                <td>
                  <code>{r.id}</code>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td class="num">{formatMoney(r.amount, p.currency)}</td>
                <td class="num">{r.attempts}</td>
                <td>
                  <code>{r.pgId ?? r.pgCode ?? "-"}</code>
                </td>
                <td>{r.lastError ?? "-"}</td>
                <td class="t">{formatTime(r.completedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Outbox events</h2>
      {outbox.length === 0 ? <Empty>No outbox events.</Empty> : (
        <table>
          <thead>
            <tr>
              <th>Id</th>
              <th>Topic</th>
              <th>Status</th>
              <th class="num">Attempts</th>
              <th>Created</th>
              <th>Published</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {outbox.map((o) => (
              <tr>
                <td class="num">{o.id}</td>
                <td>{o.topic}</td>
                <td>
                  <StatusBadge status={o.status} />
                </td>
                <td class="num">{o.attempts}</td>
                <td class="t">{formatTime(o.createdAt)}</td>
                <td class="t">{formatTime(o.publishedAt)}</td>
                <td>{o.lastError ?? "-"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
