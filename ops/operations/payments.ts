import type { RowDataPacket } from "mysql2/promise";
import {
  type LedgerEntryView,
  paymentEventFromRow,
  type PaymentEventRecord,
  paymentFromRow,
  type PaymentRecord,
  type Pool,
  readLedgerEntries,
  selectPaymentEventsStatement,
} from "@pay/lib/db";
import { idPrefixes, NotFoundError, sortableId, ValidationError } from "@pay/lib/domain";

/** Most payments one query returns; page with `beforeId` for more. */
export const paymentsQueryRowsMax = 500;

export interface PaymentsQuery {
  readonly paymentId?: string;
  readonly merchantId?: string;
  readonly status?: string;
  /** Created at or after. */
  readonly from?: Date;
  /** Created before. */
  readonly to?: Date;
  /** Newest first: only payments with an id below this one (the previous page's `nextCursor`). */
  readonly beforeId?: string;
  readonly limit: number;
}

const paymentColumns = `id, merchant_id, idempotency_key, status, amount, currency,
  captured_amount, refunded_amount, order_id, description, pg_authorization_id, decline_code,
  auth_expires_at, created_at, updated_at`;

/**
 * The smallest payment id created at `atMs` or later. Payment ids start with
 * their creation time (lib/domain/ids.ts), so a time range is a primary-key
 * range and needs no index on created_at.
 */
export function paymentIdFloor(atMs: number): string {
  return idPrefixes.payment + sortableId(Math.max(0, Math.floor(atMs))).slice(0, 10);
}

/** Payments matching every given criterion, newest first. */
export async function queryPayments(
  pool: Pool,
  q: PaymentsQuery,
): Promise<{ data: PaymentRecord[]; nextCursor: string | null }> {
  if (q.from && q.to && q.from >= q.to) {
    throw new ValidationError(
      `The time range is empty: ${q.from.toISOString()} >= ${q.to.toISOString()}`,
      "from",
    );
  }
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    where.push(condition);
    params.push(value);
  };
  if (q.paymentId) add("id = ?", q.paymentId);
  if (q.merchantId) add("merchant_id = ?", q.merchantId);
  if (q.status) add("status = ?", q.status);
  if (q.from) add("id >= ?", paymentIdFloor(q.from.getTime()));
  if (q.to) add("id < ?", paymentIdFloor(q.to.getTime()));
  if (q.beforeId) add("id < ?", q.beforeId);
  const limit = Math.min(q.limit, paymentsQueryRowsMax);
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT ${paymentColumns} FROM payment ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY id DESC LIMIT ?`,
    [...params, limit + 1],
  );
  const data = rows.slice(0, limit).map(paymentFromRow);
  return { data, nextCursor: rows.length > limit ? data.at(-1)!.id : null };
}

export interface PgRequestView {
  readonly kind: "capture" | "refund";
  readonly id: string;
  readonly amount: number;
  readonly status: string;
  readonly attempts: number;
  readonly pgId: string | null;
  readonly pgCode: string | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

export interface OutboxEventView {
  readonly id: number;
  readonly eventId: string;
  readonly topic: string;
  readonly status: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly publishedAt: Date | null;
}

export interface PaymentDetail {
  readonly payment: PaymentRecord;
  /** The timeline: every transition, oldest first. */
  readonly events: readonly PaymentEventRecord[];
  readonly ledger: readonly LedgerEntryView[];
  readonly requests: readonly PgRequestView[];
  readonly outbox: readonly OutboxEventView[];
}

/** Outbox rows and PG requests shown per payment; a payment has a handful. */
const detailRowsMax = 200;

/** A payment of any merchant with its timeline, ledger lines, PG requests and outbox events. */
export async function paymentDetail(pool: Pool, paymentId: string): Promise<PaymentDetail> {
  const [[rows], [eventRows], ledger, [requestRows], [outboxRows]] = await Promise.all([
    pool.query<RowDataPacket[]>(`SELECT ${paymentColumns} FROM payment WHERE id = ?`, [paymentId]),
    (() => {
      const s = selectPaymentEventsStatement(paymentId);
      return pool.query<RowDataPacket[]>(s.sql, [...s.params]);
    })(),
    readLedgerEntries(pool, { paymentId }),
    pool.query<RowDataPacket[]>(
      `SELECT 'capture' AS kind, id, amount, status, attempts, pg_transaction_id AS pg_id, pg_code,
              last_error, created_at, completed_at FROM settlement_request WHERE payment_id = ?
       UNION ALL
       SELECT 'refund' AS kind, id, amount, status, attempts, pg_refund_id AS pg_id, pg_code,
              last_error, created_at, completed_at FROM refund_request WHERE payment_id = ?
       ORDER BY created_at LIMIT ?`,
      [paymentId, paymentId, detailRowsMax],
    ),
    pool.query<RowDataPacket[]>(
      `SELECT id, event_id, topic, status, attempts, last_error, created_at, published_at
       FROM outbox_event WHERE aggregate_id = ? ORDER BY id LIMIT ?`,
      [paymentId, detailRowsMax],
    ),
  ]);
  const row = rows[0];
  if (!row) throw new NotFoundError(`No payment with this id: ${paymentId}`, paymentId);
  return {
    payment: paymentFromRow(row),
    events: eventRows.map(paymentEventFromRow),
    ledger,
    requests: requestRows.map((r) => ({
      kind: r.kind,
      id: r.id,
      amount: Number(r.amount),
      status: r.status,
      attempts: Number(r.attempts),
      pgId: r.pg_id,
      pgCode: r.pg_code,
      lastError: r.last_error,
      createdAt: r.created_at,
      completedAt: r.completed_at,
    })),
    outbox: outboxRows.map((r) => ({
      id: Number(r.id),
      eventId: r.event_id,
      topic: r.topic,
      status: r.status,
      attempts: Number(r.attempts),
      lastError: r.last_error,
      createdAt: r.created_at,
      publishedAt: r.published_at,
    })),
  };
}

export interface StatusTotals {
  readonly status: string;
  readonly currency: string;
  readonly count: number;
  /** Authorized amount, minor units. */
  readonly amount: number;
  readonly capturedAmount: number;
  readonly refundedAmount: number;
}

export interface WindowStatistics {
  readonly window: string;
  readonly from: Date;
  readonly to: Date;
  readonly total: number;
  readonly byStatus: readonly StatusTotals[];
}

/** The windows `payment_statistics` reports, by name. */
export const statisticsWindowsMs = { "1h": 3_600_000, "24h": 86_400_000 } as const;
export type StatisticsWindow = keyof typeof statisticsWindowsMs;

/**
 * Payments created in each window (last hour, last day) counted and summed
 * by status and currency. Amounts are minor units per currency; they are
 * never added across currencies.
 */
export async function paymentStatistics(
  pool: Pool,
  now: Date,
  merchantId?: string,
): Promise<{ windows: WindowStatistics[] }> {
  const windows = await Promise.all(
    (Object.keys(statisticsWindowsMs) as StatisticsWindow[]).map(async (window) => {
      const from = new Date(now.getTime() - statisticsWindowsMs[window]);
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT status, currency, COUNT(*) AS n, SUM(amount) AS amount,
                SUM(captured_amount) AS captured, SUM(refunded_amount) AS refunded
         FROM payment WHERE id >= ? ${merchantId ? "AND merchant_id = ?" : ""}
         GROUP BY status, currency ORDER BY status, currency`,
        merchantId
          ? [paymentIdFloor(from.getTime()), merchantId]
          : [paymentIdFloor(from.getTime())],
      );
      const byStatus = rows.map((r) => ({
        status: r.status,
        currency: r.currency,
        count: Number(r.n),
        amount: Number(r.amount),
        capturedAmount: Number(r.captured),
        refundedAmount: Number(r.refunded),
      }));
      return { window, from, to: now, total: byStatus.reduce((n, s) => n + s.count, 0), byStatus };
    }),
  );
  return { windows };
}
