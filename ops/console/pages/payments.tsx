import type { PaymentRecord } from "@pay/lib/db";
import { paymentStatuses } from "@pay/lib/domain";
import type { PaymentDetail } from "../../operations/payments.ts";
import { Empty, Layout, StatusBadge, type ViewSession } from "../components.tsx";
import type { ConsoleI18n } from "../i18n/i18n.ts";
import { JournalTable } from "../journal_table.tsx";

export interface PaymentSearch {
  readonly paymentId?: string;
  readonly merchantId?: string;
  readonly status?: string;
  readonly from?: string;
  readonly to?: string;
}

function PaymentsTable(props: { payments: readonly PaymentRecord[]; i18n: ConsoleI18n }) {
  const { i18n } = props;
  const { t } = i18n;
  if (props.payments.length === 0) return <Empty>{t("payments.none")}</Empty>;
  return (
    <table>
      <thead>
        <tr>
          <th>{t("common.payment")}</th>
          <th>{t("common.merchant")}</th>
          <th>{t("common.status")}</th>
          <th class="num">{t("common.amount")}</th>
          <th class="num">{t("payments.captured")}</th>
          <th class="num">{t("payments.refunded")}</th>
          <th>{t("payments.order")}</th>
          <th>{t("common.created")}</th>
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
            <td class="num">{i18n.money(p.amount, p.currency)}</td>
            <td class="num">{i18n.money(p.capturedAmount, p.currency)}</td>
            <td class="num">{i18n.money(p.refundedAmount, p.currency)}</td>
            <td>{p.orderId ?? "-"}</td>
            <td class="t">{i18n.time(p.createdAt)}</td>
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
  const { i18n } = props.session;
  const { t } = i18n;
  return (
    <Layout
      title={t("payments.title")}
      active="/payments"
      session={props.session}
      notice={props.error ? { text: props.error, bad: true } : null}
    >
      <form method="get" action="/payments" class="inline">
        <label>
          {t("common.paymentId")}
          <input
            name="paymentId"
            value={s.paymentId ?? ""}
            size={32}
            placeholder="pay_..."
          />
        </label>
        <label>
          {t("common.merchant")}
          <input name="merchantId" value={s.merchantId ?? ""} size={10} />
        </label>
        <label>
          {t("common.status")}
          <select name="status">
            <option value="">{t("common.any")}</option>
            {paymentStatuses.map((status) => (
              <option selected={s.status === status}>{status}</option>
            ))}
          </select>
        </label>
        <label>
          {t("payments.from")}
          <input name="from" value={s.from ?? ""} placeholder="2025-01-31T00:00Z" />
        </label>
        <label>
          {t("payments.to")}
          <input name="to" value={s.to ?? ""} placeholder="2025-02-01T00:00Z" />
        </label>
        <button type="submit">{t("common.search")}</button>
      </form>
      {props.result ? <PaymentsTable payments={props.result.data} i18n={i18n} /> : null}
      {props.nextHref
        ? (
          <p>
            <a href={props.nextHref}>{t("payments.older")}</a>
          </p>
        )
        : null}
    </Layout>
  );
}

export function PaymentDetailPage(props: { session: ViewSession; detail: PaymentDetail }) {
  const { payment: p, events, ledger, requests, outbox } = props.detail;
  const { i18n } = props.session;
  const { t } = i18n;
  return (
    <Layout
      title={t("payments.detailTitle", { id: p.id })}
      active="/payments"
      session={props.session}
    >
      <div class="split">
        <section class="panel">
          <h3>
            {t("common.payment")} <StatusBadge status={p.status} />
          </h3>
          <dl class="fields">
            <dt>{t("common.merchant")}</dt>
            <dd>{p.merchantId}</dd>
            <dt>{t("common.amount")}</dt>
            <dd>{i18n.money(p.amount, p.currency)}</dd>
            <dt>{t("payments.captured")}</dt>
            <dd>{i18n.money(p.capturedAmount, p.currency)}</dd>
            <dt>{t("payments.refunded")}</dt>
            <dd>{i18n.money(p.refundedAmount, p.currency)}</dd>
            <dt>{t("payments.order")}</dt>
            <dd>{p.orderId ?? "-"}</dd>
            <dt>{t("payments.idempotencyKey")}</dt>
            <dd>
              <code>{p.idempotencyKey}</code>
            </dd>
            <dt>{t("payments.pgAuthorization")}</dt>
            <dd>
              <code>{p.pgAuthorizationId ?? "-"}</code>
            </dd>
            {p.declineCode ? <dt>{t("payments.declineCode")}</dt> : null}
            {p.declineCode ? <dd>{p.declineCode}</dd> : null}
            <dt>{t("common.created")}</dt>
            <dd>{i18n.time(p.createdAt)}</dd>
            <dt>{t("payments.updated")}</dt>
            <dd>{i18n.time(p.updatedAt)}</dd>
            <dt>{t("payments.authExpires")}</dt>
            <dd>{i18n.time(p.authExpiresAt)}</dd>
          </dl>
        </section>
        <section class="panel">
          <h3>{t("payments.timeline")}</h3>
          {events.length === 0
            ? <Empty>{t("payments.noTransitions")}</Empty>
            : (
              <ol class="timeline">
                {events.map((e) => (
                  <li>
                    <strong>{e.from ?? t("payments.new")} → {e.to}</strong>
                    {e.amount !== null ? ` · ${i18n.money(e.amount, p.currency)}` : ""}
                    <div class="muted">
                      {i18n.time(e.at)}
                      {e.requestId
                        ? (
                          <>
                            {" · "}
                            <code>{e.requestId}</code>
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
      <h2>{t("payments.ledger")}</h2>
      {ledger.length === 0
        ? <Empty>{t("payments.noLedger")}</Empty>
        : <JournalTable entries={ledger} withSourceEvent i18n={i18n} />}
      <h2>{t("payments.pgRequests")}</h2>
      {requests.length === 0 ? <Empty>{t("payments.noRequests")}</Empty> : (
        <table>
          <thead>
            <tr>
              <th>{t("payments.kind")}</th>
              <th>{t("payments.request")}</th>
              <th>{t("common.status")}</th>
              <th class="num">{t("common.amount")}</th>
              <th class="num">{t("common.attempts")}</th>
              <th>{t("payments.pgIdCode")}</th>
              <th>{t("common.lastError")}</th>
              <th>{t("payments.completed")}</th>
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
                <td class="num">{i18n.money(r.amount, p.currency)}</td>
                <td class="num">{r.attempts}</td>
                <td>
                  <code>{r.pgId ?? r.pgCode ?? "-"}</code>
                </td>
                <td>{r.lastError ?? "-"}</td>
                <td class="t">{i18n.time(r.completedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t("payments.outboxEvents")}</h2>
      {outbox.length === 0 ? <Empty>{t("payments.noOutbox")}</Empty> : (
        <table>
          <thead>
            <tr>
              <th>{t("common.id")}</th>
              <th>{t("common.topic")}</th>
              <th>{t("common.status")}</th>
              <th class="num">{t("common.attempts")}</th>
              <th>{t("common.created")}</th>
              <th>{t("payments.published")}</th>
              <th>{t("common.lastError")}</th>
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
                <td class="t">{i18n.time(o.createdAt)}</td>
                <td class="t">{i18n.time(o.publishedAt)}</td>
                <td>{o.lastError ?? "-"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
