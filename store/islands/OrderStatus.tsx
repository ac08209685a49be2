import { useEffect, useState } from "preact/hooks";
import type { OrderStatusTexts, OrderStatusView } from "../orders/status_view.ts";

/** A refund the shopper entered and is asked to confirm (the second step of the refund form). */
export interface RefundConfirmation {
  readonly amount: number;
  readonly reason?: string;
  /** Idempotency of the confirmed refund: fresh for every confirmation shown. */
  readonly refundKey: string;
  readonly text: string;
  readonly reasonText?: string;
}

export interface OrderStatusProps {
  readonly orderId: string;
  readonly view: OrderStatusView;
  readonly texts: OrderStatusTexts;
  readonly csrfToken: string;
  /** The action the shopper just took (`?notice=`), so updates keep its notice current. */
  readonly noticeKind?: string;
  readonly confirm?: RefundConfirmation;
}

/**
 * The order's payment: status, amounts, timeline and the actions its state
 * allows. Server-rendered, it is complete without JavaScript (reload to
 * refresh); hydrated, it follows the store's event stream while the
 * settlement worker has a capture or refund in flight. Every text arrives
 * written in the shopper's language.
 */
export default function OrderStatus(props: OrderStatusProps) {
  const [view, setView] = useState(props.view);
  const [live, setLive] = useState(false);
  const { texts } = props;

  useEffect(() => {
    if (!props.view.inFlight) return;
    const query = props.noticeKind ? `?notice=${encodeURIComponent(props.noticeKind)}` : "";
    const stream = new EventSource(`/orders/${encodeURIComponent(props.orderId)}/events${query}`);
    stream.addEventListener("open", () => setLive(true));
    stream.addEventListener("payment", (e) => setView(JSON.parse((e as MessageEvent).data)));
    stream.addEventListener("settled", () => {
      stream.close();
      setLive(false);
    });
    return () => stream.close();
  }, []);

  const action = `/orders/${encodeURIComponent(props.orderId)}`;
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="intent" value={intent} />
    </>
  );

  return (
    <section class="panel order-status" aria-labelledby="status-title">
      {view.notice && (
        <div
          class={`notice notice--${view.notice.tone}`}
          role={view.notice.tone === "error" ? "alert" : "status"}
        >
          <p>{view.notice.text}</p>
        </div>
      )}
      <div class="order-status__head">
        <h2 id="status-title">{texts.title}</h2>
        <p class={`status-badge status-badge--${view.tone}`} data-status={view.status}>
          <span class="visually-hidden">{texts.statusLabel}:</span>
          {view.statusLabel}
        </p>
      </div>
      <dl class="amounts">
        {view.amounts.map((a) => (
          <div key={a.label}>
            <dt>{a.label}</dt>
            <dd>{a.value}</dd>
          </div>
        ))}
      </dl>
      <h3 class="timeline-title">{texts.timeline}</h3>
      <ol class="timeline" aria-live="polite">
        {view.timeline.map((e, i) => (
          <li class="timeline__item" key={`${i}-${e.status}`} data-status={e.status}>
            <span class="timeline__label">{e.label}</span>
            <time class="timeline__time" dateTime={e.at}>{e.time}</time>
          </li>
        ))}
        {view.inFlight && (
          <li class="timeline__item timeline__item--pending">
            <span class="timeline__label">{texts.waiting}</span>
            <span class="timeline__time">{live ? texts.live : texts.reload}</span>
          </li>
        )}
      </ol>
      {(view.actions.capture || view.actions.cancel) && (
        <div class="order-actions">
          {view.actions.capture && (
            <form method="post" action={action}>
              {hidden("capture")}
              <button class="button button--primary" type="submit">{texts.chargeNow}</button>
            </form>
          )}
          {view.actions.cancel && (
            <form method="post" action={action}>
              {hidden("cancel")}
              <button class="button button--secondary" type="submit">{texts.cancel}</button>
            </form>
          )}
        </div>
      )}
      {view.actions.refund && props.confirm && (
        <form class="refund-form refund-form--confirm" method="post" action={action}>
          {hidden("refund")}
          <input type="hidden" name="refundKey" value={props.confirm.refundKey} />
          <input type="hidden" name="amount" value={String(props.confirm.amount)} />
          {props.confirm.reason && (
            <input type="hidden" name="reason" value={props.confirm.reason} />
          )}
          <h3>{texts.confirmTitle}</h3>
          <p>{props.confirm.text}</p>
          {props.confirm.reasonText && <p class="hint">{props.confirm.reasonText}</p>}
          <div class="order-actions">
            <button class="button button--primary" type="submit">{texts.confirm}</button>
            <a class="button button--secondary" href={action}>{texts.back}</a>
          </div>
        </form>
      )}
      {view.actions.refund && !props.confirm && (
        <form class="refund-form" method="post" action={action}>
          {hidden("review-refund")}
          <h3>{texts.refundTitle}</h3>
          <div class="field">
            <label for="refund-amount">{texts.refundAmount}</label>
            <input
              id="refund-amount"
              name="amount"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              required
              aria-describedby="refund-amount-hint"
            />
            <p class="hint" id="refund-amount-hint">{view.refundHint}</p>
          </div>
          <div class="field">
            <label for="refund-reason">{texts.refundReason}</label>
            <input id="refund-reason" name="reason" type="text" maxLength={255} />
          </div>
          <button class="button button--secondary" type="submit">{texts.refundReview}</button>
        </form>
      )}
    </section>
  );
}
