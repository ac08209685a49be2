/**
 * The gateway's Payment JSON (DESIGN §3), parsed at the edge of the store so
 * the rest of the code works with checked values. Unknown fields are ignored:
 * the gateway may add fields without breaking the shop.
 */
import { z } from "zod";
import { isPaymentStatus, type PaymentStatus } from "@pay/lib/domain";
import type { PaymentView } from "../orders/payment_view.ts";

const statusSchema = z.string().refine(isPaymentStatus, "must be a payment status")
  .transform((s) => s as PaymentStatus);

export const timelineEntrySchema = z.object({
  from: statusSchema.nullable().optional().transform((v) => v ?? null),
  to: statusSchema,
  amount: z.number().int().nullable().optional().transform((v) => v ?? null),
  reason: z.string().nullable().optional().transform((v) => v ?? null),
  at: z.string(),
});

export const paymentSchema = z.object({
  paymentId: z.string().min(1),
  status: statusSchema,
  amount: z.number().int(),
  currency: z.string(),
  capturedAmount: z.number().int().default(0),
  refundedAmount: z.number().int().default(0),
  orderId: z.string().nullable().optional().transform((v) => v ?? null),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  events: z.array(timelineEntrySchema).optional().transform((v) => v ?? []),
});

export type Payment = z.output<typeof paymentSchema>;
export type TimelineEntry = z.output<typeof timelineEntrySchema>;

/** The fields the order page shows. */
export function paymentView(payment: Payment): PaymentView {
  return {
    paymentId: payment.paymentId,
    ...(payment.updatedAt === undefined ? {} : { asOf: payment.updatedAt }),
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    capturedAmount: payment.capturedAmount,
    refundedAmount: payment.refundedAmount,
    events: payment.events.map(({ from, to, amount, at }) => ({ from, to, amount, at })),
  };
}
