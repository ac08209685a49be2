import {
  type Db,
  insertIdempotencyRecordStatement,
  insertOutboxEventStatement,
  insertPaymentEventStatement,
  insertPaymentStatement,
  type PaymentRecord,
  runTransactionBatch,
  type Statement,
} from "@pay/lib/db";
import { eventTypeOf, type MerchantId, newEventId, newPaymentId, topics } from "@pay/lib/domain";

/** Retention written on the idempotency record, as ingest's default (IDEMPOTENCY_RETENTION). */
const idempotencyRetentionMs = 24 * 3_600_000;
/** Authorization lifetime written on the payment, as ingest's default (AUTH_EXPIRY). */
const authExpiryMs = 7 * 86_400_000;
/** A fixed response body of an authorized payment's size (~300 bytes), as ingest stores it. */
const storedBodyChars = 300;

/**
 * The writes of one successful authorize, built with the same statement
 * builders ingest uses: payment + payment_event + outbox_event +
 * idempotency_record, in one transaction sent in one round trip. Without
 * the PG call, Redis, HTTP and signing, this is what the hardware allows.
 */
export function authorizeShapedStatements(merchantId: string, key: string, now: Date): Statement[] {
  const payment: PaymentRecord = {
    id: newPaymentId(),
    merchantId: merchantId as MerchantId,
    idempotencyKey: key,
    status: "AUTHORIZED",
    amount: 10_000,
    currency: "KRW",
    capturedAmount: 0,
    refundedAmount: 0,
    orderId: null,
    description: null,
    pgAuthorizationId: `pga_${key}`.slice(0, 64),
    declineCode: null,
    authExpiresAt: new Date(now.getTime() + authExpiryMs),
    createdAt: now,
    updatedAt: now,
  };
  return [
    insertPaymentStatement(payment),
    insertPaymentEventStatement({
      paymentId: payment.id,
      from: null,
      to: "AUTHORIZED",
      amount: payment.amount,
      requestId: null,
      reason: null,
      at: now,
    }),
    insertOutboxEventStatement(topics.authorized, {
      eventId: newEventId(),
      type: eventTypeOf(topics.authorized),
      paymentId: payment.id,
      merchantId: payment.merchantId,
      amount: payment.amount,
      currency: payment.currency,
      occurredAt: now.toISOString(),
      data: {
        from: null,
        to: "AUTHORIZED",
        pgAuthorizationId: payment.pgAuthorizationId,
        orderId: null,
      },
    }),
    insertIdempotencyRecordStatement({
      merchantId,
      key,
      fingerprint: "0".repeat(64),
      method: "POST",
      path: "/api/payments/authorize",
      httpStatus: 201,
      body: "x".repeat(storedBodyChars),
      paymentId: payment.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + idempotencyRetentionMs),
    }),
  ];
}

/** Runs one authorize-shaped transaction. */
export async function rawAuthorizeTransaction(
  pool: Db,
  merchantId: string,
  key: string,
): Promise<void> {
  await runTransactionBatch(pool, authorizeShapedStatements(merchantId, key, new Date()));
}
