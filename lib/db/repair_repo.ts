import { type PaymentTopic, topics } from "../domain/mod.ts";
import { sql } from "./batch.ts";
import { isDuplicateKey } from "./db_errors.ts";
import { insertedValue, joinInWrittenOrder, jsonValue, onDuplicateUpdate } from "./dialect.ts";
import type { Db, Row } from "./port.ts";
import { voidRequestId } from "./settlement_repo.ts";

/**
 * The sweepers' side of the database (DESIGN §10): rows whose effect a
 * consumer should have produced from their outbox event, read in keyset
 * order (time, id) from a cursor, so each row is checked once after it
 * settled and a pass costs one bounded index range, however large the table.
 */
export interface SweepPosition {
  readonly at: Date;
  readonly id: string;
}

/** One row of a sweep source, with its event and whether its effect exists. */
export interface SweepRow {
  readonly position: SweepPosition;
  /** The outbox event that should have caused the effect; null when there is none. */
  readonly event: {
    readonly status: string;
    /** When it left the outbox (published_at; created_at for a DEAD row). */
    readonly leftAt: Date;
  } | null;
  readonly applied: boolean;
}

/** A settled capture or refund with its money event. */
export interface LedgerSweepRow extends SweepRow {
  readonly topic: PaymentTopic;
  readonly eventId: string | null;
  /** The event's envelope, read only when the posting is missing. */
  readonly payload: string | null;
}

/** A cancelled or expired payment, as its void request needs it. */
export interface VoidSweepRow extends SweepRow {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
}

export interface SweepScan {
  readonly after: SweepPosition;
  /** Rows settled after this are left for a later pass (now − the grace). */
  readonly until: Date;
  readonly limit: number;
}

/** A source of the ledger sweeper: SUCCESS requests of one table and the event each writes. */
export interface LedgerSource {
  readonly name: string;
  readonly table: "settlement_request" | "refund_request";
  readonly topic: PaymentTopic;
}

export const ledgerSources: readonly LedgerSource[] = [
  { name: "ledger:capture", table: "settlement_request", topic: topics.captured },
  { name: "ledger:refund", table: "refund_request", topic: topics.refunded },
];

/** A source of the void sweeper: payments in one final state and the event it writes. */
export interface VoidSource {
  readonly name: string;
  readonly status: "CANCELLED" | "EXPIRED";
  readonly topic: PaymentTopic;
}

export const voidSources: readonly VoidSource[] = [
  { name: "void:cancelled", status: "CANCELLED", topic: topics.cancelled },
  { name: "void:expired", status: "EXPIRED", topic: topics.expired },
];

/** `column` after `after` in (time, id) order, as an index range (the PK ends every index). */
function keysetAfter(timeColumn: string): string {
  return `${timeColumn} <= ? AND ${timeColumn} >= ? AND (${timeColumn} > ? OR id > ?)`;
}

function keysetParams(scan: SweepScan): unknown[] {
  return [scan.until, scan.after.at, scan.after.at, scan.after.id, scan.limit];
}

function sweepRowOf(row: Row, at: string): SweepRow {
  return {
    position: { at: row[at], id: row.id },
    event: row.event_status == null ? null : { status: row.event_status, leftAt: row.left_at },
    applied: Number(row.applied) === 1,
  };
}

/**
 * SUCCESS requests of `source` after the cursor, oldest first, each with its
 * event (matched by `data.requestId`) and whether the ledger has its entry.
 */
export async function scanLedgerSource(
  pool: Db,
  source: LedgerSource,
  scan: SweepScan,
): Promise<LedgerSweepRow[]> {
  const rows = await pool.query(sql(
    `SELECT ${joinInWrittenOrder(pool.dialect)}r.id, r.completed_at, o.event_id,
       o.status AS event_status, COALESCE(o.published_at, o.created_at) AS left_at,
       l.id IS NOT NULL AS applied, CASE WHEN l.id IS NULL THEN o.payload END AS payload
     FROM (SELECT id, payment_id, completed_at FROM ${source.table}
           WHERE status = 'SUCCESS' AND ${keysetAfter("completed_at")}
           ORDER BY completed_at, id LIMIT ?) r
     LEFT JOIN outbox_event o ON o.aggregate_id = r.payment_id AND o.topic = ?
       AND ${jsonValue(pool.dialect, "o.payload", "$.data.requestId")} = r.id
     LEFT JOIN ledger_entry l ON l.source_event_id = o.event_id
     ORDER BY r.completed_at, r.id`,
    ...keysetParams(scan),
    source.topic,
  ));
  return rows.map((row) => ({
    ...sweepRowOf(row, "completed_at"),
    topic: source.topic,
    eventId: row.event_id,
    payload: row.payload,
  }));
}

/** Payments of `source` after the cursor, oldest first, each with its event and whether it has a void request. */
export async function scanVoidSource(
  pool: Db,
  source: VoidSource,
  scan: SweepScan,
): Promise<VoidSweepRow[]> {
  const rows = await pool.query(sql(
    `SELECT ${
      joinInWrittenOrder(pool.dialect)
    }p.id, p.updated_at, p.merchant_id, p.amount, p.currency,
       o.status AS event_status, COALESCE(o.published_at, o.created_at) AS left_at,
       v.id IS NOT NULL AS applied
     FROM (SELECT id, merchant_id, amount, currency, updated_at FROM payment
           WHERE status = ? AND ${keysetAfter("updated_at")}
           ORDER BY updated_at, id LIMIT ?) p
     LEFT JOIN outbox_event o ON o.aggregate_id = p.id AND o.topic = ?
     LEFT JOIN void_request v ON v.payment_id = p.id
     ORDER BY p.updated_at, p.id`,
    source.status,
    ...keysetParams(scan),
    source.topic,
  ));
  return rows.map((row) => ({
    ...sweepRowOf(row, "updated_at"),
    paymentId: row.id,
    merchantId: row.merchant_id,
    amount: Number(row.amount),
    currency: row.currency,
  }));
}

export async function readSweepCursor(pool: Db, name: string): Promise<SweepPosition | null> {
  const rows = await pool.query(
    sql("SELECT position_at, position_id FROM sweeper_cursor WHERE name = ?", name),
  );
  const row = rows[0];
  return row ? { at: row.position_at, id: row.position_id } : null;
}

export async function saveSweepCursor(
  pool: Db,
  name: string,
  position: SweepPosition,
): Promise<void> {
  const value = (column: string) => insertedValue(pool.dialect, column);
  await pool.execute(sql(
    `INSERT INTO sweeper_cursor (name, position_at, position_id, updated_at)
     VALUES (?, ?, ?, NOW(3))
     ${
      onDuplicateUpdate(
        pool.dialect,
        ["name"],
        `position_at = ${value("position_at")}, position_id = ${value("position_id")},
         updated_at = ${value("updated_at")}`,
      )
    }`,
    name,
    position.at,
    position.id,
  ));
}

/**
 * Inserts the void request of a payment as the settlement consumer would
 * (`voidRequestId`, PENDING, never attempted), created at `dueAt` (the
 * cancel or expiry) so the retry scheduler settles it on its next pass
 * instead of waiting for a bus message known to be lost. False when the
 * payment already has one (the consumer got there first): one void per
 * payment, by the unique key.
 */
export async function insertMissingVoidRequest(
  pool: Db,
  payment: VoidSweepRow,
  now: Date,
): Promise<boolean> {
  try {
    await pool.execute(sql(
      `INSERT INTO void_request (id, payment_id, merchant_id, amount, currency, status,
         attempts, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)`,
      voidRequestId(payment.paymentId),
      payment.paymentId,
      payment.merchantId,
      payment.amount,
      payment.currency,
      now,
      payment.position.at,
      now,
    ));
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
