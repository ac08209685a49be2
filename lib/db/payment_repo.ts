import type { Currency, MerchantId, PaymentId, PaymentStatus } from "../domain/mod.ts";
import { rowsOf, sql, type Statement } from "./batch.ts";
import type { Db, Row } from "./port.ts";
import type { Transaction } from "./port.ts";

/** A payment row as the application sees it. */
export interface PaymentRecord {
  readonly id: PaymentId;
  readonly merchantId: MerchantId;
  readonly idempotencyKey: string;
  readonly status: PaymentStatus;
  readonly amount: number;
  readonly currency: Currency;
  readonly capturedAmount: number;
  readonly refundedAmount: number;
  readonly orderId: string | null;
  readonly description: string | null;
  readonly pgAuthorizationId: string | null;
  readonly declineCode: string | null;
  readonly authExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const paymentColumns = `id, merchant_id, idempotency_key, status, amount, currency,
  captured_amount, refunded_amount, order_id, description, pg_authorization_id, decline_code,
  auth_expires_at, created_at, updated_at`;

export function paymentFromRow(row: Row): PaymentRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    amount: Number(row.amount),
    currency: row.currency,
    capturedAmount: Number(row.captured_amount),
    refundedAmount: Number(row.refunded_amount),
    orderId: row.order_id,
    description: row.description,
    pgAuthorizationId: row.pg_authorization_id,
    declineCode: row.decline_code,
    authExpiresAt: row.auth_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function insertPaymentStatement(p: PaymentRecord): Statement {
  return sql(
    `INSERT INTO payment (${paymentColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    p.id,
    p.merchantId,
    p.idempotencyKey,
    p.status,
    p.amount,
    p.currency,
    p.capturedAmount,
    p.refundedAmount,
    p.orderId,
    p.description,
    p.pgAuthorizationId,
    p.declineCode,
    p.authExpiresAt,
    p.createdAt,
    p.updatedAt,
  );
}

/** Reads a payment of one merchant; another merchant's payment is not found. */
export function selectPaymentStatement(
  merchantId: string,
  paymentId: string,
  forUpdate = false,
): Statement {
  return sql(
    `SELECT ${paymentColumns} FROM payment WHERE id = ? AND merchant_id = ?${
      forUpdate ? " FOR UPDATE" : ""
    }`,
    paymentId,
    merchantId,
  );
}

/** Locks a payment by id alone (workers act on payments of every merchant). */
export async function lockPaymentById(
  tx: Transaction,
  paymentId: string,
): Promise<PaymentRecord | undefined> {
  const [selected] = await tx.run([
    sql(`SELECT ${paymentColumns} FROM payment WHERE id = ? FOR UPDATE`, paymentId),
  ]);
  const row = rowsOf<Row>(selected)[0];
  return row ? paymentFromRow(row) : undefined;
}

export interface PaymentChange {
  readonly paymentId: string;
  /** The conditional part: the update applies only while the payment is still in this state. */
  readonly from: PaymentStatus;
  readonly to: PaymentStatus;
  readonly capturedAmount?: number;
  readonly refundedAmount?: number;
  readonly at: Date;
}

/**
 * The state machine in SQL: the update matches only while the payment is in
 * `from`, so of two racing transitions exactly one changes the row.
 * Callers check affectedRows === 1.
 */
export function updatePaymentStatusStatement(change: PaymentChange): Statement {
  const sets = ["status = ?", "updated_at = ?", "version = version + 1"];
  const params: unknown[] = [change.to, change.at];
  if (change.capturedAmount !== undefined) {
    sets.push("captured_amount = ?");
    params.push(change.capturedAmount);
  }
  if (change.refundedAmount !== undefined) {
    sets.push("refunded_amount = ?");
    params.push(change.refundedAmount);
  }
  return sql(
    `UPDATE payment SET ${sets.join(", ")} WHERE id = ? AND status = ?`,
    ...params,
    change.paymentId,
    change.from,
  );
}

export interface ListPaymentsQuery {
  readonly merchantId: string;
  readonly status?: PaymentStatus;
  /** Newest first: only payments with an id below this one. */
  readonly beforeId?: string;
  readonly limit: number;
}

/** Newest first, keyset-paginated on the time-sortable id. */
export async function listPayments(db: Db, q: ListPaymentsQuery): Promise<PaymentRecord[]> {
  const where = ["merchant_id = ?"];
  const params: unknown[] = [q.merchantId];
  if (q.status) {
    where.push("status = ?");
    params.push(q.status);
  }
  if (q.beforeId) {
    where.push("id < ?");
    params.push(q.beforeId);
  }
  params.push(q.limit);
  const rows = await db.query(sql(
    `SELECT ${paymentColumns} FROM payment WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`,
    ...params,
  ));
  return rows.map(paymentFromRow);
}

/** A payment of any merchant (operators, tests); undefined when there is none. */
export async function readPaymentById(
  pool: Db,
  paymentId: string,
): Promise<PaymentRecord | undefined> {
  const rows = await pool.query(sql(
    `SELECT ${paymentColumns} FROM payment WHERE id = ?`,
    paymentId,
  ));
  return rows[0] ? paymentFromRow(rows[0]) : undefined;
}

/** Operators' payment search across merchants: every given criterion applies. */
export interface PaymentSearch {
  readonly paymentId?: string;
  readonly merchantId?: string;
  readonly status?: string;
  /** Only ids at or above this one (payment ids start with their creation time). */
  readonly idFrom?: string;
  /** Only ids below each of these (a time bound, a page's cursor). */
  readonly idsBelow?: readonly string[];
  readonly limit: number;
}

/** Newest first, at most `limit`, across every merchant. */
export async function searchPayments(pool: Db, q: PaymentSearch): Promise<PaymentRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    where.push(condition);
    params.push(value);
  };
  if (q.paymentId) add("id = ?", q.paymentId);
  if (q.merchantId) add("merchant_id = ?", q.merchantId);
  if (q.status) add("status = ?", q.status);
  if (q.idFrom) add("id >= ?", q.idFrom);
  for (const bound of q.idsBelow ?? []) add("id < ?", bound);
  const rows = await pool.query(sql(
    `SELECT ${paymentColumns} FROM payment ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY id DESC LIMIT ?`,
    ...params,
    q.limit,
  ));
  return rows.map(paymentFromRow);
}
