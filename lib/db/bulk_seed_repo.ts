import { mariadbDriver } from "./mariadb_db.ts";
import type { EventEnvelope } from "../domain/mod.ts";
import type { Db } from "./port.ts";

/**
 * Bulk rows for benchmarks and tests, written straight to the tables (not
 * through ingest): one multi-row INSERT per call, so callers keep each call
 * far below max_allowed_packet.
 */
export interface SeedPaymentRow {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
}

/** Inserts CAPTURED payments (captured = amount, nothing refunded), keyed by their own id. */
export async function insertCapturedPaymentRows(
  pool: Db,
  rows: readonly SeedPaymentRow[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await mariadbDriver(pool).query(
    `INSERT INTO payment (id, merchant_id, idempotency_key, status, amount, currency,
       captured_amount, refunded_amount, created_at, updated_at) VALUES ?`,
    [rows.map((p) => [
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
    ])],
  );
}

/** Inserts due outbox rows for `events` (status NEW, attempts 0, due at `at`). */
export async function insertDueOutboxRows(
  pool: Db,
  events: readonly { readonly topic: string; readonly envelope: EventEnvelope }[],
  at: Date,
): Promise<void> {
  if (events.length === 0) return;
  await mariadbDriver(pool).query(
    `INSERT INTO outbox_event (event_id, aggregate_id, topic, payload, status, attempts,
       next_attempt_at, created_at) VALUES ?`,
    [events.map(({ topic, envelope }) => [
      envelope.eventId,
      envelope.paymentId,
      topic,
      JSON.stringify(envelope),
      "NEW",
      0,
      at,
      at,
    ])],
  );
}
