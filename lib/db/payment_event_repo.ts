import type { PaymentStatus } from "../domain/mod.ts";
import { rowsOf, runBatch, sql, type Statement } from "./batch.ts";
import type { Db, Row } from "./port.ts";

/** One line of a payment's history (payment_event). */
export interface PaymentEventRecord {
  readonly paymentId: string;
  readonly from: PaymentStatus | null;
  readonly to: PaymentStatus;
  readonly amount: number | null;
  readonly requestId: string | null;
  readonly reason: string | null;
  readonly at: Date;
}

export function insertPaymentEventStatement(e: PaymentEventRecord): Statement {
  return sql(
    `INSERT INTO payment_event (payment_id, from_status, to_status, amount, request_id, reason, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    e.paymentId,
    e.from,
    e.to,
    e.amount,
    e.requestId,
    e.reason,
    e.at,
  );
}

export function selectPaymentEventsStatement(paymentId: string): Statement {
  return sql(
    `SELECT payment_id, from_status, to_status, amount, request_id, reason, created_at
     FROM payment_event WHERE payment_id = ? ORDER BY id`,
    paymentId,
  );
}

export function paymentEventFromRow(row: Row): PaymentEventRecord {
  return {
    paymentId: row.payment_id,
    from: row.from_status,
    to: row.to_status,
    amount: row.amount === null ? null : Number(row.amount),
    requestId: row.request_id,
    reason: row.reason,
    at: row.created_at,
  };
}

/** The timeline of a payment: every transition, oldest first. */
export async function readPaymentEvents(
  pool: Db,
  paymentId: string,
): Promise<PaymentEventRecord[]> {
  const [rows] = await runBatch(pool, [selectPaymentEventsStatement(paymentId)]);
  return rowsOf<Row>(rows).map(paymentEventFromRow);
}
