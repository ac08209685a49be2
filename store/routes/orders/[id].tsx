import { Notice } from "../../components/Notice.tsx";
import { OrderLines } from "../../components/OrderLines.tsx";
import type { PaymentView } from "../../client/payment_view.ts";
import { paymentView } from "../../gateway/payment.ts";
import OrderStatus from "../../islands/OrderStatus.tsx";
import { isOrderIntent, noticeMessages, performOrderAction } from "../../orders/order_actions.ts";
import { findOwnOrder } from "../../orders/own_order.ts";
import {
  type Handlers,
  type PageProps,
  redirect,
  type RequestContext,
} from "../../server/context.ts";
import { optionalTextField, textField, wholeNumberField } from "../../server/form_fields.ts";
import { HttpError } from "../../server/http_error.ts";
import type { Order } from "../../state/port.ts";
import { formatInstant } from "../../client/payment_view.ts";

interface OrderPageData {
  readonly order: Order;
  readonly payment?: PaymentView;
  readonly notice?: string;
  readonly error?: string;
  readonly refundKey: string;
}

async function renderOrder(
  ctx: RequestContext<OrderPageData>,
  order: Order,
  extra: { notice?: string; error?: string; status?: number; headers?: HeadersInit } = {},
): Promise<Response> {
  const result = await ctx.deps.gateway.getPayment(order.paymentId);
  return ctx.render(
    {
      order,
      payment: result.ok ? paymentView(result.payment) : undefined,
      notice: extra.notice,
      error: extra.error ??
        (result.ok
          ? undefined
          : "The payment status is unavailable right now. Reload to try again."),
      refundKey: crypto.randomUUID(),
    },
    { title: `Order ${order.orderId}`, status: extra.status, headers: extra.headers },
  );
}

export const handler: Handlers<OrderPageData> = {
  async GET(_req, ctx) {
    const order = await findOwnOrder(ctx);
    return await renderOrder(ctx, order, {
      notice: noticeMessages[ctx.url.searchParams.get("notice") ?? ""],
    });
  },

  async POST(_req, ctx) {
    const order = await findOwnOrder(ctx);
    const intent = textField(ctx.form, "intent");
    if (!isOrderIntent(intent)) {
      throw new HttpError("validation_error", `Unknown action: ${intent}`);
    }
    const refund = intent === "refund"
      ? {
        amount: wholeNumberField(ctx.form, "amount"),
        reason: optionalTextField(ctx.form, "reason"),
        formKey: textField(ctx.form, "refundKey"),
      }
      : undefined;
    if (refund && refund.amount < 1) {
      throw new HttpError("validation_error", "A refund must be at least ₩1");
    }
    if (refund && !/^[0-9a-f-]{36}$/.test(refund.formKey)) {
      throw new HttpError("validation_error", "Malformed refund form");
    }
    const outcome = await performOrderAction(ctx.deps.gateway, order, intent, refund);
    if (outcome.ok) return redirect(`/orders/${order.orderId}?notice=${outcome.notice}`);
    return await renderOrder(ctx, order, {
      error: outcome.message,
      status: outcome.status,
      headers: outcome.retryAfterSeconds === undefined
        ? {}
        : { "retry-after": String(outcome.retryAfterSeconds) },
    });
  },
};

export default function OrderPage({ data, csrfToken }: PageProps<OrderPageData>) {
  const { order, payment } = data;
  return (
    <section aria-labelledby="order-title">
      <p class="eyebrow">Placed {formatInstant(order.createdAt)}</p>
      <h1 id="order-title">Order {order.orderId}</h1>
      {data.notice && <Notice tone="success" message={data.notice} />}
      {data.error && <Notice tone="error" message={data.error} />}
      <div class="order-layout">
        <section class="panel" aria-labelledby="items-title">
          <h2 id="items-title">Items</h2>
          <OrderLines
            caption="Items in this order"
            lines={order.lines.map((l) => ({ ...l, key: `${l.slug}-${l.colourId}` }))}
            total={order.amount}
          />
        </section>
        {payment && (
          <OrderStatus
            orderId={order.orderId}
            payment={payment}
            csrfToken={csrfToken}
            refundKey={data.refundKey}
          />
        )}
      </div>
      <noscript>
        <p class="hint">
          <a href={`/orders/${order.orderId}`}>Reload to refresh the payment status</a>
        </p>
      </noscript>
    </section>
  );
}
