/**
 * Test fixtures: payments written the way ingest writes them (payment row,
 * request row, transition and outbox event in one transaction), against a
 * PG client, and the bus messages the relay would deliver for them.
 */
import type { BusMessage, DeliveredMessage } from "@pay/lib/bus";
import {
  type Db,
  insertPaymentStatement,
  insertRefundRequestStatement,
  insertSettlementRequestStatement,
  inTransaction,
  lockPaymentById,
  type PaymentRecord,
  type PgRequestKind,
  planTransition,
  readOutboxEnvelopes,
  readPaymentById,
  readPgRequestState,
  runBatch,
  type Statement,
} from "@pay/lib/db";
import {
  type Currency,
  type EventEnvelope,
  type MerchantId,
  newCaptureRequestId,
  newPaymentId,
  newRefundRequestId,
  type PaymentAction,
  topicForStatus,
} from "@pay/lib/domain";
import type { PgClient } from "@pay/lib/pg";

/** Seven days, ingest's AUTH_EXPIRY default. */
const authExpiryMs = 7 * 86_400_000;

export interface PaymentOptions {
  readonly merchantId?: string;
  readonly amount?: number;
  readonly currency?: Currency;
  readonly paymentMethod?: string;
  readonly authExpiresAt?: Date;
}

/** An AUTHORIZED payment whose authorization the PG approved. */
export async function authorizedPayment(
  pool: Db,
  pg: PgClient,
  options: PaymentOptions = {},
): Promise<PaymentRecord> {
  const id = newPaymentId();
  const now = new Date();
  const merchantId = (options.merchantId ?? "M123") as MerchantId;
  const amount = options.amount ?? 10_000;
  const currency = options.currency ?? "KRW";
  const authorized = await pg.authorize({
    idempotencyKey: `auth_${id}`,
    merchantId,
    amount,
    currency,
    paymentMethod: options.paymentMethod ?? "tok_visa",
    reference: id,
  });
  if (authorized.outcome !== "approved") throw new Error(`Authorization declined: ${id}`);
  const payment: PaymentRecord = {
    id,
    merchantId,
    idempotencyKey: `key_${id}`,
    status: "AUTHORIZED",
    amount,
    currency,
    capturedAmount: 0,
    refundedAmount: 0,
    orderId: null,
    description: null,
    pgAuthorizationId: authorized.authorizationId,
    declineCode: null,
    authExpiresAt: options.authExpiresAt ?? new Date(now.getTime() + authExpiryMs),
    createdAt: now,
    updatedAt: now,
  };
  await runBatch(pool, [insertPaymentStatement(payment)]);
  return payment;
}

/** A request ingest accepted, with the message that announces it. */
export interface Requested {
  readonly requestId: string;
  readonly message: DeliveredMessage;
}

/** Moves a payment as ingest does: lock, plan, write the extra rows, commit. */
async function transition(
  pool: Db,
  paymentId: string,
  action: PaymentAction,
  plan: (payment: PaymentRecord, at: Date) => {
    amount: number;
    requestId?: string;
    extra: Statement[];
  },
): Promise<EventEnvelope | undefined> {
  return await inTransaction(pool, async (tx) => {
    const payment = await lockPaymentById(tx, paymentId);
    if (!payment) throw new Error(`No payment: ${paymentId}`);
    const at = new Date();
    const { amount, requestId, extra } = plan(payment, at);
    const planned = planTransition({ payment, action, amount, requestId, at });
    await tx.run([...planned.statements, ...extra]);
    return planned.envelope;
  });
}

export async function requestCapture(
  pool: Db,
  payment: PaymentRecord,
  amount = payment.amount,
): Promise<Requested> {
  const requestId = newCaptureRequestId();
  const envelope = await transition(pool, payment.id, "capture", (p, at) => ({
    amount,
    requestId,
    extra: [insertSettlementRequestStatement({
      id: requestId,
      paymentId: p.id,
      merchantId: p.merchantId,
      amount,
      currency: p.currency,
      at,
    })],
  }));
  return { requestId, message: deliveredOf(envelope!) };
}

export async function requestRefund(
  pool: Db,
  paymentId: string,
  amount: number,
): Promise<Requested> {
  const requestId = newRefundRequestId();
  const envelope = await transition(pool, paymentId, "refund", (p, at) => ({
    amount,
    requestId,
    extra: [insertRefundRequestStatement({
      id: requestId,
      paymentId: p.id,
      merchantId: p.merchantId,
      amount,
      currency: p.currency,
      reason: null,
      at,
    })],
  }));
  return { requestId, message: deliveredOf(envelope!) };
}

export async function cancelPayment(pool: Db, paymentId: string): Promise<DeliveredMessage> {
  const envelope = await transition(pool, paymentId, "cancel", (p) => ({
    amount: p.amount,
    extra: [],
  }));
  return deliveredOf(envelope!);
}

let offset = 0;

/** The bus message of an envelope, as the relay publishes it (key = paymentId, header eventId). */
export function busMessageOf(envelope: EventEnvelope): BusMessage {
  const topic = topicForStatus(envelope.data.to as PaymentRecord["status"]);
  if (!topic) throw new Error(`No topic for ${String(envelope.data.to)}`);
  return {
    topic,
    key: envelope.paymentId,
    value: JSON.stringify(envelope),
    headers: { eventId: envelope.eventId },
  };
}

export function deliveredOf(envelope: EventEnvelope, deliveryCount = 1): DeliveredMessage {
  return { ...busMessageOf(envelope), partition: 0, offset: `${++offset}-0`, deliveryCount };
}

export async function paymentOf(pool: Db, paymentId: string): Promise<PaymentRecord> {
  const payment = await readPaymentById(pool, paymentId);
  if (!payment) throw new Error(`No payment: ${paymentId}`);
  return payment;
}

export type { PgRequestState as RequestRow } from "@pay/lib/db";

export async function requestRow(pool: Db, kind: PgRequestKind, id: string) {
  const row = await readPgRequestState(pool, kind, id);
  if (!row) throw new Error(`No ${kind} request: ${id}`);
  return row;
}

/** The outbox events of a payment, oldest first: topic and envelope. */
export function outboxEventsOf(
  pool: Db,
  paymentId: string,
): Promise<Array<{ topic: string; envelope: EventEnvelope }>> {
  return readOutboxEnvelopes(pool, paymentId);
}
