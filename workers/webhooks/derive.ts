import type { PaymentEvent } from "@pay/lib/bus";
import { type Db, readPaymentById, recordWebhookEvent } from "@pay/lib/db";
import { isWebhookEventType } from "@pay/lib/domain";
import { webhookEventOf } from "./event_json.ts";

/** What deriving one payment event's webhook event did. */
export type DeriveResult = "created" | "duplicate" | "not_a_webhook_type";

/** The payment an event names does not exist: a permanent failure (the event is dead-lettered). */
export class UnknownPaymentError extends Error {
  constructor(paymentId: string) {
    super(`Event names an unknown payment: ${paymentId}`);
    this.name = "UnknownPaymentError";
  }
}

/**
 * Records the webhook event of a payment event with its deliveries (one
 * transaction, idempotent by the event id): what the consumer does per
 * message and the sweeper per outbox row whose message was lost.
 */
export async function deriveWebhookEvent(
  pool: Db,
  event: PaymentEvent,
  now: Date,
): Promise<{ readonly result: DeriveResult; readonly deliveries: number }> {
  const { topic, envelope } = event;
  if (!isWebhookEventType(topic)) return { result: "not_a_webhook_type", deliveries: 0 };
  const payment = await readPaymentById(pool, envelope.paymentId);
  if (!payment || payment.merchantId !== envelope.merchantId) {
    throw new UnknownPaymentError(envelope.paymentId);
  }
  const recorded = await recordWebhookEvent(pool, webhookEventOf(topic, envelope, payment), now);
  return {
    result: recorded.created ? "created" : "duplicate",
    deliveries: recorded.deliveries,
  };
}
