/**
 * The payment state an order page shows: the gateway's answer, unless the
 * order already holds a newer state from a verified webhook (the webhook
 * arrived after the page's read, or the gateway is unreachable). Neither
 * source can move the page backwards.
 */
import type { Order } from "../state/port.ts";
import { isNewer } from "../webhooks/order_progress.ts";
import type { PaymentView } from "./payment_view.ts";

export function currentPayment(
  order: Order,
  fromGateway: PaymentView | undefined,
): PaymentView | undefined {
  const pushed = order.payment;
  if (!pushed) return fromGateway;
  if (
    fromGateway?.asOf !== undefined && !isNewer(pushed, { ...fromGateway, asOf: fromGateway.asOf })
  ) {
    return fromGateway;
  }
  return {
    paymentId: order.paymentId,
    amount: fromGateway?.amount ?? order.amount,
    currency: fromGateway?.currency ?? order.currency,
    events: fromGateway?.events ?? [],
    status: pushed.status,
    capturedAmount: pushed.capturedAmount,
    refundedAmount: pushed.refundedAmount,
    asOf: pushed.asOf,
  };
}
