import { useEffect, useState } from "preact/hooks";
import { formatKrw } from "../client/format.ts";
import {
  allowedActions,
  formatInstant,
  isInFlight,
  type PaymentView,
  refundableAmount,
  statusLabels,
  stepLabels,
} from "../client/payment_view.ts";

export interface OrderStatusProps {
  readonly orderId: string;
  readonly payment: PaymentView;
  readonly csrfToken: string;
  /** Idempotency of the refund form: fresh for every rendering of the page. */
  readonly refundKey: string;
}

const toneOf = (status: PaymentView["status"]) =>
  status === "CAPTURED" || status === "REFUNDED" || status === "PARTIALLY_REFUNDED"
    ? "good"
    : status.endsWith("FAILED") || status === "CANCELLED" || status === "EXPIRED"
    ? "bad"
    : "pending";

/**
 * The order's payment: status, amounts, timeline and the actions its state
 * allows. Server-rendered, it is complete without JavaScript (reload to
 * refresh); hydrated, it follows the store's event stream while the
 * settlement worker has a capture or refund in flight.
 */
export default function OrderStatus(props: OrderStatusProps) {
  const [payment, setPayment] = useState(props.payment);
  const [live, setLive] = useState(false);

  useEffect(() => {
    if (!isInFlight(props.payment.status)) return;
    const stream = new EventSource(`/orders/${encodeURIComponent(props.orderId)}/events`);
    stream.addEventListener("open", () => setLive(true));
    stream.addEventListener("payment", (e) => setPayment(JSON.parse((e as MessageEvent).data)));
    stream.addEventListener("settled", () => {
      stream.close();
      setLive(false);
    });
    return () => stream.close();
  }, []);

  const actions = allowedActions(payment);
  const refundable = refundableAmount(payment);
  const action = `/orders/${encodeURIComponent(props.orderId)}`;
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="intent" value={intent} />
    </>
  );

  return (
    <section class="panel order-status" aria-labelledby="status-title">
      <div class="order-status__head">
        <h2 id="status-title">Payment</h2>
        <p
          class={`status-badge status-badge--${toneOf(payment.status)}`}
          data-status={payment.status}
        >
          <span class="visually-hidden">Status:</span>
          {statusLabels[payment.status]}
        </p>
      </div>
      <dl class="amounts">
        <div>
          <dt>Authorized</dt>
          <dd>{formatKrw(payment.amount)}</dd>
        </div>
        <div>
          <dt>Charged</dt>
          <dd>{formatKrw(payment.capturedAmount)}</dd>
        </div>
        <div>
          <dt>Refunded</dt>
          <dd>{formatKrw(payment.refundedAmount)}</dd>
        </div>
      </dl>
      <h3 class="timeline-title">Timeline</h3>
      <ol class="timeline" aria-live="polite">
        {payment.events.map((e, i) => (
          <li class="timeline__item" key={`${i}-${e.to}`} data-status={e.to}>
            <span class="timeline__label">
              {stepLabels[e.to]}
              {e.amount !== null && e.to !== "AUTHORIZED" && e.to !== "CANCELLED" &&
                ` · ${formatKrw(e.amount)}`}
            </span>
            <time class="timeline__time" dateTime={e.at}>{formatInstant(e.at)}</time>
          </li>
        ))}
        {isInFlight(payment.status) && (
          <li class="timeline__item timeline__item--pending">
            <span class="timeline__label">Waiting for the bank to confirm…</span>
            <span class="timeline__time">
              {live ? "Updating live" : "Reload the page to refresh"}
            </span>
          </li>
        )}
      </ol>
      {(actions.capture || actions.cancel) && (
        <div class="order-actions">
          {actions.capture && (
            <form method="post" action={action}>
              {hidden("capture")}
              <button class="button button--primary" type="submit">Charge now</button>
            </form>
          )}
          {actions.cancel && (
            <form method="post" action={action}>
              {hidden("cancel")}
              <button class="button button--secondary" type="submit">Cancel order</button>
            </form>
          )}
        </div>
      )}
      {actions.refund && (
        <form class="refund-form" method="post" action={action}>
          {hidden("refund")}
          <input type="hidden" name="refundKey" value={props.refundKey} />
          <h3>Request a refund</h3>
          <div class="field">
            <label for="refund-amount">Amount in won</label>
            <input
              id="refund-amount"
              name="amount"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              required
              value={refundable.toLocaleString("en-US")}
              aria-describedby="refund-amount-hint"
            />
            <p class="hint" id="refund-amount-hint">
              Up to {formatKrw(refundable)}. Enter a smaller amount for a partial refund.
            </p>
          </div>
          <div class="field">
            <label for="refund-reason">Reason (optional)</label>
            <input id="refund-reason" name="reason" type="text" maxLength={255} />
          </div>
          <button class="button button--secondary" type="submit">Request refund</button>
        </form>
      )}
    </section>
  );
}
