import type {
  Currency,
  MerchantId,
  PaymentId,
  PaymentMetadata,
  PaymentMode,
  PaymentStatus,
} from "../domain/mod.ts";
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
  /**
   * The mode of the key that created it. Always set on a row read back; on an
   * insert, absent means live (the column's default, as for rows from before modes).
   */
  readonly mode?: PaymentMode;
  /** The merchant's key-value strings; always set on a row read back ({} when none). */
  readonly metadata?: PaymentMetadata;
}

/** Whose payments a merchant API key sees: its merchant's, in its mode. */
export interface PaymentOwner {
  readonly merchantId: string;
  readonly mode: PaymentMode;
}

const paymentColumns = `id, merchant_id, idempotency_key, status, amount, currency,
  captured_amount, refunded_amount, order_id, description, pg_authorization_id, decline_code,
  auth_expires_at, created_at, updated_at, mode, metadata`;

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
    mode: row.mode,
    metadata: typeof row.metadata === "string" ? JSON.parse(row.metadata) : {},
  };
}

export function insertPaymentStatement(p: PaymentRecord): Statement {
  const metadata = p.metadata && Object.keys(p.metadata).length > 0
    ? JSON.stringify(p.metadata)
    : null;
  return sql(
    `INSERT INTO payment (${paymentColumns})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    p.mode ?? "live",
    metadata,
  );
}

/**
 * Reads a payment of one merchant in one mode; another merchant's payment,
 * or one of the other mode, is not found.
 */
export function selectPaymentStatement(
  owner: PaymentOwner,
  paymentId: string,
  forUpdate = false,
): Statement {
  return sql(
    `SELECT ${paymentColumns} FROM payment WHERE id = ? AND merchant_id = ? AND mode = ?${
      forUpdate ? " FOR UPDATE" : ""
    }`,
    paymentId,
    owner.merchantId,
    owner.mode,
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
  /** Only this mode's payments (a merchant API key's list); every mode when absent. */
  readonly mode?: PaymentMode;
  readonly status?: PaymentStatus;
  readonly orderId?: string;
  /** Created at or after this instant. */
  readonly createdFrom?: Date;
  /** Created before this instant. */
  readonly createdTo?: Date;
  /** Amount at least this (minor units). */
  readonly amountMin?: number;
  /** Amount at most this (minor units). */
  readonly amountMax?: number;
  /** Newest first: only payments with an id below this one. */
  readonly beforeId?: string;
  readonly limit: number;
}

/** Newest first, keyset-paginated on the time-sortable id; every given criterion applies. */
export async function listPayments(db: Db, q: ListPaymentsQuery): Promise<PaymentRecord[]> {
  const where = ["merchant_id = ?"];
  const params: unknown[] = [q.merchantId];
  const add = (condition: string, value: unknown) => {
    if (value === undefined) return;
    where.push(condition);
    params.push(value);
  };
  add("mode = ?", q.mode);
  add("status = ?", q.status);
  add("order_id = ?", q.orderId);
  add("created_at >= ?", q.createdFrom);
  add("created_at < ?", q.createdTo);
  add("amount >= ?", q.amountMin);
  add("amount <= ?", q.amountMax);
  add("id < ?", q.beforeId);
  const rows = await db.query(sql(
    `SELECT ${paymentColumns} FROM payment WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`,
    ...params,
    q.limit,
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
