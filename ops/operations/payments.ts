import {
  type Db,
  type LedgerEntryView,
  listOutboxEventsOfPayment,
  listPgRequestsOfPayment,
  type OutboxEventView,
  type PaymentEventRecord,
  type PaymentRecord,
  paymentTotalsByStatus,
  type PgRequestView,
  readLedgerEntries,
  readPaymentById,
  readPaymentEvents,
  searchPayments,
  type StatusTotals,
} from "@pay/lib/db";
import { idPrefixes, NotFoundError, sortableId, ValidationError } from "@pay/lib/domain";

export type { OutboxEventView, PgRequestView, StatusTotals };

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
  pool: Db,
  q: PaymentsQuery,
): Promise<{ data: PaymentRecord[]; nextCursor: string | null }> {
  if (q.from && q.to && q.from >= q.to) {
    throw new ValidationError(
      `The time range is empty: ${q.from.toISOString()} >= ${q.to.toISOString()}`,
      "from",
    );
  }
  const limit = Math.min(q.limit, paymentsQueryRowsMax);
  const idsBelow = [
    ...(q.to ? [paymentIdFloor(q.to.getTime())] : []),
    ...(q.beforeId ? [q.beforeId] : []),
  ];
  // One extra row tells whether another page exists without a COUNT.
  const rows = await searchPayments(pool, {
    paymentId: q.paymentId,
    merchantId: q.merchantId,
    status: q.status,
    idFrom: q.from ? paymentIdFloor(q.from.getTime()) : undefined,
    idsBelow,
    limit: limit + 1,
  });
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? data.at(-1)!.id : null };
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
export async function paymentDetail(pool: Db, paymentId: string): Promise<PaymentDetail> {
  const [payment, events, ledger, requests, outbox] = await Promise.all([
    readPaymentById(pool, paymentId),
    readPaymentEvents(pool, paymentId),
    readLedgerEntries(pool, { paymentId }),
    listPgRequestsOfPayment(pool, paymentId, detailRowsMax),
    listOutboxEventsOfPayment(pool, paymentId, detailRowsMax),
  ]);
  if (!payment) throw new NotFoundError(`No payment with this id: ${paymentId}`, paymentId);
  return { payment, events, ledger, requests, outbox };
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
  pool: Db,
  now: Date,
  merchantId?: string,
): Promise<{ windows: WindowStatistics[] }> {
  const windows = await Promise.all(
    (Object.keys(statisticsWindowsMs) as StatisticsWindow[]).map(async (window) => {
      const from = new Date(now.getTime() - statisticsWindowsMs[window]);
      const byStatus = await paymentTotalsByStatus(
        pool,
        paymentIdFloor(from.getTime()),
        merchantId,
      );
      return { window, from, to: now, total: byStatus.reduce((n, s) => n + s.count, 0), byStatus };
    }),
  );
  return { windows };
}
