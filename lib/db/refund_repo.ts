import { type Currency, type RefundStatus, refundStatusOf } from "../domain/mod.ts";
import { sql, type Statement } from "./batch.ts";
import type { PaymentOwner } from "./payment_repo.ts";
import type { Db, Row } from "./port.ts";

/**
 * Refunds as merchants see them: a refund is one refund_request row (written
 * by ingest with the payment's REFUND_REQUESTED transition, completed by the
 * settlement worker), so its id is the request's `ref_…` id.
 */
export interface RefundRecord {
  readonly id: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly reason: string | null;
  readonly status: RefundStatus;
  /** The PG's code of a failed refund; null otherwise. */
  readonly failureCode: string | null;
  readonly createdAt: Date;
  /** When the PG's answer was recorded; null while pending. */
  readonly completedAt: Date | null;
}

const refundColumns =
  "r.id, r.payment_id, r.amount, r.currency, r.reason, r.status, r.pg_code, r.created_at, r.completed_at";

export function refundFromRow(row: Row): RefundRecord {
  const status = refundStatusOf(row.status);
  return {
    id: row.id,
    paymentId: row.payment_id,
    amount: Number(row.amount),
    currency: row.currency,
    reason: row.reason,
    status,
    failureCode: status === "FAILED" ? row.pg_code : null,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

/** The refunds of the given payments, oldest first. `paymentIds` must not be empty. */
export function selectRefundsStatement(paymentIds: readonly string[]): Statement {
  if (paymentIds.length === 0) throw new Error("selectRefundsStatement needs a payment id");
  return sql(
    `SELECT ${refundColumns} FROM refund_request r WHERE r.payment_id IN (?)
     ORDER BY r.created_at, r.id`,
    paymentIds,
  );
}

/** Each given payment's refunds, oldest first (a payment without any has no entry). */
export async function listRefundsOfPayments(
  db: Db,
  paymentIds: readonly string[],
): Promise<Map<string, RefundRecord[]>> {
  const byPayment = new Map<string, RefundRecord[]>();
  if (paymentIds.length === 0) return byPayment;
  for (const row of await db.query(selectRefundsStatement(paymentIds))) {
    const refund = refundFromRow(row);
    const list = byPayment.get(refund.paymentId) ?? [];
    list.push(refund);
    byPayment.set(refund.paymentId, list);
  }
  return byPayment;
}

/**
 * One refund of the owner's payment; undefined when there is none, also when
 * the payment is another merchant's or of the other mode.
 */
export async function readRefund(
  db: Db,
  owner: PaymentOwner,
  paymentId: string,
  refundId: string,
): Promise<RefundRecord | undefined> {
  const rows = await db.query(sql(
    `SELECT ${refundColumns} FROM refund_request r JOIN payment p ON p.id = r.payment_id
      WHERE r.id = ? AND r.payment_id = ? AND p.merchant_id = ? AND p.mode = ?`,
    refundId,
    paymentId,
    owner.merchantId,
    owner.mode,
  ));
  return rows[0] ? refundFromRow(rows[0]) : undefined;
}
