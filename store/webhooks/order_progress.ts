/**
 * How a verified payment event moves a store order (DESIGN §11). Delivery is
 * at least once and unordered, so the order keeps the newest payment state it
 * was told: an event describing an older state of the payment is ignored.
 */
import { z } from "zod";
import { paymentSchema } from "../gateway/payment.ts";
import type { Order, OrderPayment } from "../state/port.ts";

/** The parts of a webhook event the store reads; unknown fields are ignored. */
export const paymentEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().startsWith("payment."),
  createdAt: z.string().min(1),
  data: z.object({ payment: paymentSchema }),
});

export type PaymentEvent = z.output<typeof paymentEventSchema>;

/** The order's payment after `event` (undefined when it changes nothing). */
export function progressOrder(order: Order, event: PaymentEvent): Order | undefined {
  const payment = event.data.payment;
  const next: OrderPayment = {
    status: payment.status,
    capturedAmount: payment.capturedAmount,
    refundedAmount: payment.refundedAmount,
    asOf: payment.updatedAt ?? event.createdAt,
    eventId: event.id,
  };
  const current = order.payment;
  if (current && !isNewer(next, current)) return undefined;
  return { ...order, payment: next };
}

type PaymentState = Pick<OrderPayment, "asOf" | "capturedAmount" | "refundedAmount">;

/** Later in time; at the same instant, further along (more settled, more refunded). */
export function isNewer(next: PaymentState, current: PaymentState): boolean {
  const nextMs = Date.parse(next.asOf);
  const currentMs = Date.parse(current.asOf);
  if (nextMs !== currentMs) return nextMs > currentMs;
  if (next.refundedAmount !== current.refundedAmount) {
    return next.refundedAmount > current.refundedAmount;
  }
  return next.capturedAmount > current.capturedAmount;
}
