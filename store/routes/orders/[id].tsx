import { colourNameOf } from "../../catalog/products.ts";
import { Notice } from "../../components/Notice.tsx";
import { OrderLines } from "../../components/OrderLines.tsx";
import { paymentView } from "../../gateway/payment.ts";
import { message } from "../../i18n/i18n.ts";
import OrderStatus, { type RefundConfirmation } from "../../islands/OrderStatus.tsx";
import { currentPayment } from "../../orders/current_payment.ts";
import { isOrderIntent, performOrderAction } from "../../orders/order_actions.ts";
import { orderNumberOf } from "../../orders/order_number.ts";
import { findOwnOrder } from "../../orders/own_order.ts";
import { refundableAmount } from "../../orders/payment_view.ts";
import {
  isNoticeKind,
  type NoticeKind,
  type OrderStatusTexts,
  orderStatusTexts,
  type OrderStatusView,
  orderStatusView,
} from "../../orders/status_view.ts";
import {
  type Handlers,
  type PageProps,
  redirect,
  type RequestContext,
} from "../../server/context.ts";
import { optionalTextField, textField, wholeNumberField } from "../../server/form_fields.ts";
import { HttpError } from "../../server/http_error.ts";
import type { Order } from "../../state/port.ts";

interface OrderPageData {
  readonly order: Order;
  readonly view?: OrderStatusView;
  readonly texts: OrderStatusTexts;
  readonly noticeKind?: NoticeKind;
  readonly error?: string;
  readonly confirm?: RefundConfirmation;
}

interface RenderExtra {
  readonly noticeKind?: NoticeKind;
  readonly error?: string;
  /** A refund the shopper entered: shown for confirmation when the order allows it. */
  readonly refund?: { readonly amount: number; readonly reason?: string };
  readonly status?: number;
  readonly headers?: HeadersInit;
}

async function renderOrder(
  ctx: RequestContext<OrderPageData>,
  order: Order,
  extra: RenderExtra = {},
): Promise<Response> {
  const { i18n } = ctx;
  const result = await ctx.deps.gateway.getPayment(order.paymentId);
  const payment = currentPayment(order, result.ok ? paymentView(result.payment) : undefined);
  let error = extra.error ?? (payment ? undefined : i18n.t("order.statusUnavailable"));
  let status = extra.status;
  let confirm: RefundConfirmation | undefined;
  if (extra.refund && payment) {
    const refundable = refundableAmount(payment);
    const money = (amount: number) => i18n.money(amount, payment.currency);
    if (extra.refund.amount > refundable) {
      error = i18n.t("order.error.refundMax", { amount: money(refundable) });
      status = 400;
    } else {
      confirm = {
        amount: extra.refund.amount,
        refundKey: crypto.randomUUID(),
        text: i18n.t("refund.confirmText", { amount: money(extra.refund.amount) }),
        ...(extra.refund.reason
          ? {
            reason: extra.refund.reason,
            reasonText: i18n.t("refund.confirmReason", { reason: extra.refund.reason }),
          }
          : {}),
      };
    }
  }
  return ctx.render(
    {
      order,
      ...(payment ? { view: orderStatusView(payment, i18n, extra.noticeKind) } : {}),
      texts: orderStatusTexts(i18n),
      ...(extra.noticeKind ? { noticeKind: extra.noticeKind } : {}),
      ...(error ? { error } : {}),
      ...(confirm ? { confirm } : {}),
    },
    {
      title: i18n.t("order.title", { number: orderNumberOf(order) }),
      status,
      headers: extra.headers,
    },
  );
}

/** A refund form's amount: at least one minor unit (the gateway checks the upper bound too). */
function refundAmountField(ctx: RequestContext<OrderPageData>, currency: string): number {
  const amount = wholeNumberField(ctx.form, "amount");
  if (amount < 1) {
    throw new HttpError(
      "validation_error",
      message("order.error.refundMin", { amount: ctx.i18n.money(1, currency) }),
    );
  }
  return amount;
}

export const handler: Handlers<OrderPageData> = {
  async GET(_req, ctx) {
    const order = await findOwnOrder(ctx);
    const notice = ctx.url.searchParams.get("notice");
    return await renderOrder(ctx, order, isNoticeKind(notice) ? { noticeKind: notice } : {});
  },

  async POST(_req, ctx) {
    const order = await findOwnOrder(ctx);
    const intent = textField(ctx.form, "intent");
    if (intent === "review-refund") {
      const amount = refundAmountField(ctx, order.currency);
      const reason = optionalTextField(ctx.form, "reason");
      return await renderOrder(ctx, order, { refund: { amount, ...(reason ? { reason } : {}) } });
    }
    if (!isOrderIntent(intent)) {
      throw new HttpError("validation_error", message("order.error.action", { intent }));
    }
    const refund = intent === "refund"
      ? {
        amount: refundAmountField(ctx, order.currency),
        reason: optionalTextField(ctx.form, "reason"),
        formKey: textField(ctx.form, "refundKey"),
      }
      : undefined;
    if (refund && !/^[0-9a-f-]{36}$/.test(refund.formKey)) {
      throw new HttpError("validation_error", message("order.error.refundForm"));
    }
    const outcome = await performOrderAction(ctx.deps.gateway, order, intent, refund);
    if (outcome.ok) return redirect(`/orders/${order.orderId}?notice=${outcome.notice}`);
    return await renderOrder(ctx, order, {
      error: ctx.i18n.say(outcome.message),
      status: outcome.status,
      headers: outcome.retryAfterSeconds === undefined
        ? {}
        : { "retry-after": String(outcome.retryAfterSeconds) },
    });
  },
};

export default function OrderPage({ data, csrfToken, i18n }: PageProps<OrderPageData>) {
  const { t } = i18n;
  const { order, view } = data;
  return (
    <section aria-labelledby="order-title">
      <p class="eyebrow">{t("order.placed", { time: i18n.time(order.createdAt) })}</p>
      <h1 id="order-title">{t("order.title", { number: orderNumberOf(order) })}</h1>
      {data.error && <Notice tone="error" message={data.error} />}
      <div class="order-layout">
        <section class="panel" aria-labelledby="items-title">
          <h2 id="items-title">{t("order.items")}</h2>
          <OrderLines
            caption={t("order.linesCaption")}
            lines={order.lines.map((l) => ({
              ...l,
              colourName: colourNameOf(l, i18n.text),
              key: `${l.slug}-${l.colourId}`,
            }))}
            total={order.amount}
            i18n={i18n}
          />
        </section>
        {view && (
          <OrderStatus
            orderId={order.orderId}
            view={view}
            texts={data.texts}
            csrfToken={csrfToken}
            {...(data.noticeKind ? { noticeKind: data.noticeKind } : {})}
            {...(data.confirm ? { confirm: data.confirm } : {})}
          />
        )}
      </div>
      <noscript>
        <p class="hint">
          <a
            href={`/orders/${order.orderId}${data.noticeKind ? `?notice=${data.noticeKind}` : ""}`}
          >
            {t("order.reload")}
          </a>
        </p>
      </noscript>
    </section>
  );
}
