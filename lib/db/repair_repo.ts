import type { RowDataPacket } from "mysql2/promise";
import { topics } from "../domain/mod.ts";
import { isDuplicateKey, type Pool } from "./pool.ts";
import { voidRequestId } from "./settlement_repo.ts";

/**
 * Queries of the sweepers that repair lost bus messages (DESIGN §10). Each
 * finds an effect a consumer should have produced from an event that left the
 * outbox (PUBLISHED, or DEAD) before `settledBefore`, and did not. An event
 * still NEW is the relay's business, not a loss: the sweepers leave it alone,
 * so an outbox backlog never looks like lost messages.
 */
export interface RepairWindow {
  /** Oldest completion (or cancel) looked at: bounds the cost of one pass. */
  readonly from: Date;
  /** The event must have left the outbox before this (now − the sweeper's grace). */
  readonly settledBefore: Date;
  readonly limit: number;
}

/** An outbox event whose effect is missing, as stored. */
export interface UnappliedEvent {
  readonly topic: string;
  readonly eventId: string;
  readonly payload: string;
}

/** The settled request tables and the event each SUCCESS writes in its transaction. */
const postingSources = [
  { table: "settlement_request", topic: topics.captured },
  { table: "refund_request", topic: topics.refunded },
] as const;

/**
 * `payment.captured` / `payment.refunded` events of SUCCESS capture and refund
 * requests completed in the window that have no ledger entry: the ledger
 * consumer never received them. Oldest completion first.
 */
export async function findUnpostedSettlementEvents(
  pool: Pool,
  window: RepairWindow,
): Promise<UnappliedEvent[]> {
  const select = (table: string) =>
    `(SELECT o.topic, o.event_id, o.payload, r.completed_at
      FROM ${table} r
      JOIN outbox_event o ON o.aggregate_id = r.payment_id AND o.topic = ?
        AND JSON_VALUE(o.payload, '$.data.requestId') = r.id
      WHERE r.status = 'SUCCESS' AND r.completed_at >= ? AND r.completed_at <= ?
        AND o.status <> 'NEW' AND COALESCE(o.published_at, o.created_at) <= ?
        AND NOT EXISTS (SELECT 1 FROM ledger_entry l WHERE l.source_event_id = o.event_id)
      ORDER BY r.completed_at LIMIT ?)`;
  const params = postingSources.flatMap((s) => [
    s.topic,
    window.from,
    window.settledBefore,
    window.settledBefore,
    window.limit,
  ]);
  const [rows] = await pool.query<RowDataPacket[]>(
    `${postingSources.map((s) => select(s.table)).join(" UNION ALL ")}
     ORDER BY completed_at LIMIT ?`,
    [...params, window.limit],
  );
  return rows.map((r) => ({ topic: r.topic, eventId: r.event_id, payload: r.payload }));
}

/** A cancelled or expired payment whose authorization was never voided. */
export interface UnvoidedPayment {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  /** When it was cancelled or expired: when its void became due. */
  readonly dueAt: Date;
}

/**
 * CANCELLED and EXPIRED payments of the window with no void_request, whose
 * `payment.cancelled` / `payment.expired` event left the outbox before
 * `settledBefore`: the settlement consumer never received it.
 */
export async function findUnvoidedPayments(
  pool: Pool,
  window: RepairWindow,
): Promise<UnvoidedPayment[]> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT p.id, p.merchant_id, p.amount, p.currency, p.updated_at
     FROM payment p
     WHERE p.status IN ('CANCELLED', 'EXPIRED') AND p.updated_at >= ? AND p.updated_at <= ?
       AND NOT EXISTS (SELECT 1 FROM void_request v WHERE v.payment_id = p.id)
       AND NOT EXISTS (
         SELECT 1 FROM outbox_event o
         WHERE o.aggregate_id = p.id AND o.topic IN (?, ?)
           AND (o.status = 'NEW' OR COALESCE(o.published_at, o.created_at) > ?))
     ORDER BY p.updated_at LIMIT ?`,
    [
      window.from,
      window.settledBefore,
      topics.cancelled,
      topics.expired,
      window.settledBefore,
      window.limit,
    ],
  );
  return rows.map((r) => ({
    paymentId: r.id,
    merchantId: r.merchant_id,
    amount: Number(r.amount),
    currency: r.currency,
    dueAt: r.updated_at,
  }));
}

/**
 * Inserts the void request of `payment` as the settlement consumer would
 * (`voidRequestId`, PENDING, never attempted), created at `dueAt` so the
 * retry scheduler settles it on its next pass instead of waiting for a bus
 * message that is known to be lost. False when the payment already has one
 * (the consumer got there first): one void per payment, by the unique key.
 */
export async function insertMissingVoidRequest(
  pool: Pool,
  payment: UnvoidedPayment,
  now: Date,
): Promise<boolean> {
  try {
    await pool.query(
      `INSERT INTO void_request (id, payment_id, merchant_id, amount, currency, status,
         attempts, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)`,
      [
        voidRequestId(payment.paymentId),
        payment.paymentId,
        payment.merchantId,
        payment.amount,
        payment.currency,
        now,
        payment.dueAt,
        now,
      ],
    );
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
