/** The ledger tests' scenario: events of 24 payments, and their payment rows. */
import type { BusMessage, DeliveredMessage } from "@pay/lib/bus";
import { type Db, insertPaymentStatement, runBatch } from "@pay/lib/db";
import {
  type EventEnvelope,
  eventTypeOf,
  type MerchantId,
  type PaymentId,
  type PaymentTopic,
  topics,
} from "@pay/lib/domain";

export interface Scenario {
  readonly events: BusMessage[];
  /** Payment rows as the settlement worker leaves them: [id, merchant, amount, captured, refunded]. */
  readonly payments: Array<[string, string, number, number, number]>;
}

/**
 * 24 payments over 3 merchants: every one authorized, capture-requested and
 * captured; a third also partially refunded twice; a few others fully refunded.
 */
export function scenario(): Scenario {
  const events: BusMessage[] = [];
  const payments: Scenario["payments"] = [];
  let n = 0;
  const event = (topic: PaymentTopic, paymentId: string, merchantId: string, amount: number) => {
    const envelope: EventEnvelope = {
      eventId: `evt_${String(++n).padStart(5, "0")}`,
      type: eventTypeOf(topic),
      paymentId,
      merchantId,
      amount,
      currency: "USD",
      occurredAt: new Date(1_700_000_000_000 + n).toISOString(),
      data: {},
    } as EventEnvelope;
    events.push({
      topic,
      key: paymentId,
      value: JSON.stringify(envelope),
      headers: { eventId: envelope.eventId },
    });
  };
  for (let i = 0; i < 24; i++) {
    const paymentId = `pay_${i}`;
    const merchantId = `M${i % 3}`;
    const amount = 10_000 + i * 25;
    const captured = amount - (i % 4) * 100;
    event(topics.authorized, paymentId, merchantId, amount);
    event(topics.captureRequested, paymentId, merchantId, captured);
    event(topics.captured, paymentId, merchantId, captured);
    let refunded = 0;
    if (i % 3 === 0) {
      for (const part of [1_000, 2_500]) {
        event(topics.refundRequested, paymentId, merchantId, part);
        event(topics.refunded, paymentId, merchantId, part);
        refunded += part;
      }
    } else if (i % 8 === 1) {
      event(topics.refunded, paymentId, merchantId, captured);
      refunded = captured;
    }
    payments.push([paymentId, merchantId, amount, captured, refunded]);
  }
  return { events, payments };
}

export function delivered(message: BusMessage, offset: number): DeliveredMessage {
  return { ...message, partition: 0, offset: String(offset), deliveryCount: 1 };
}

/** Writes the scenario's payment rows (CAPTURED, keyed by their own id). */
export async function insertPayments(pool: Db, payments: Scenario["payments"]): Promise<void> {
  const now = new Date();
  await runBatch(
    pool,
    payments.map(([id, merchant, amount, captured, refunded]) =>
      insertPaymentStatement({
        id: id as PaymentId,
        merchantId: merchant as MerchantId,
        idempotencyKey: id,
        status: "CAPTURED",
        amount,
        currency: "USD",
        capturedAmount: captured,
        refundedAmount: refunded,
        orderId: null,
        description: null,
        pgAuthorizationId: null,
        declineCode: null,
        authExpiresAt: null,
        createdAt: now,
        updatedAt: now,
      })
    ),
  );
}
