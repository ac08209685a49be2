import { sql, type Statement } from "./batch.ts";
import type { EventEnvelope } from "../domain/mod.ts";
import type { Db } from "./port.ts";

/**
 * Bulk rows for benchmarks and tests, written straight to the tables (not
 * through ingest): one multi-row INSERT per call.
 */
export interface SeedPaymentRow {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
}

/**
 * Rows of one seed INSERT at most: SQLite binds at most 32,766 values per
 * statement (10 columns × 2,000 rows = 20,000), and 2,000 payment rows stay
 * far below MariaDB's max_allowed_packet.
 */
export const seedRowsPerInsertMax = 2_000;

/** One INSERT of `rows` into `columns` of `table`, every value bound. */
function insertRowsStatement(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Statement {
  if (rows.length > seedRowsPerInsertMax) {
    throw new RangeError(`Too many rows for one seed insert: ${rows.length}`);
  }
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  return sql(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${rows.map(() => tuple).join(", ")}`,
    ...rows.flat(),
  );
}

/** Inserts CAPTURED payments (captured = amount, nothing refunded), keyed by their own id. */
export async function insertCapturedPaymentRows(
  pool: Db,
  rows: readonly SeedPaymentRow[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = [
    "id",
    "merchant_id",
    "idempotency_key",
    "status",
    "amount",
    "currency",
    "captured_amount",
    "refunded_amount",
    "created_at",
    "updated_at",
  ];
  await pool.execute(insertRowsStatement(
    "payment",
    columns,
    rows.map((p) => [
      p.paymentId,
      p.merchantId,
      p.paymentId,
      "CAPTURED",
      p.amount,
      p.currency,
      p.amount,
      0,
      at,
      at,
    ]),
  ));
}

/** Inserts due outbox rows for `events` (status NEW, attempts 0, due at `at`). */
export async function insertDueOutboxRows(
  pool: Db,
  events: readonly { readonly topic: string; readonly envelope: EventEnvelope }[],
  at: Date,
): Promise<void> {
  if (events.length === 0) return;
  const columns = [
    "event_id",
    "aggregate_id",
    "topic",
    "payload",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
  ];
  await pool.execute(insertRowsStatement(
    "outbox_event",
    columns,
    events.map(({ topic, envelope }) => [
      envelope.eventId,
      envelope.paymentId,
      topic,
      JSON.stringify(envelope),
      "NEW",
      0,
      at,
      at,
    ]),
  ));
}
