import type { PaymentRecord, WebhookEventRecord } from "@pay/lib/db";
import type { EventEnvelope, WebhookEventJson, WebhookEventType } from "@pay/lib/domain";

/**
 * The webhook event of one payment event: `{id, type, createdAt, data:
 * {payment}}` (issue 14). `payment` is the Payment JSON as GET returns it,
 * without timeline and ledger, with the status the event announces (a later
 * change may already be stored when the event is derived). A refund event
 * adds `refund: {id, amount}`, a capture event `capture: {id, amount}`,
 * a decline `declineCode`. Pure.
 */
export function webhookEventOf(
  type: WebhookEventType,
  envelope: EventEnvelope,
  payment: PaymentRecord,
): WebhookEventRecord {
  const json: WebhookEventJson = {
    id: envelope.eventId,
    type,
    createdAt: envelope.occurredAt,
    data: { payment: paymentJsonAt(payment, envelope), ...detailOf(type, envelope) },
  };
  return {
    id: envelope.eventId,
    merchantId: envelope.merchantId,
    type,
    paymentId: envelope.paymentId,
    payload: JSON.stringify(json),
    createdAt: new Date(envelope.occurredAt),
  };
}

/** The public Payment of DESIGN §3 (the fields of ingest's paymentJson), as of the event. */
function paymentJsonAt(p: PaymentRecord, envelope: EventEnvelope): Record<string, unknown> {
  const to = envelope.data.to;
  return {
    paymentId: p.id,
    merchantId: p.merchantId,
    status: typeof to === "string" ? to : p.status,
    amount: p.amount,
    currency: p.currency,
    capturedAmount: p.capturedAmount,
    refundedAmount: p.refundedAmount,
    orderId: p.orderId,
    description: p.description,
    createdAt: p.createdAt.toISOString(),
    updatedAt: typeof to === "string" ? envelope.occurredAt : p.updatedAt.toISOString(),
  };
}

function detailOf(type: WebhookEventType, envelope: EventEnvelope): Record<string, unknown> {
  const requestId = typeof envelope.data.requestId === "string" ? envelope.data.requestId : null;
  switch (type) {
    case "payment.refunded":
    case "payment.refund-failed":
      return { refund: { id: requestId, amount: envelope.amount } };
    case "payment.captured":
    case "payment.capture-failed":
      return { capture: { id: requestId, amount: envelope.amount } };
    case "payment.declined":
      return { declineCode: envelope.data.declineCode ?? null };
    default:
      return {};
  }
}
