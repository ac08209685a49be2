import type { EventEnvelope, PaymentTopic } from "../domain/mod.ts";
import { sql, type Statement } from "./batch.ts";
import type { Db } from "./port.ts";

/**
 * Writes an event into the outbox in the caller's transaction, so the event
 * exists if and only if the state change it describes committed.
 */
export function insertOutboxEventStatement(
  topic: PaymentTopic,
  envelope: EventEnvelope,
): Statement {
  const at = new Date(envelope.occurredAt);
  return sql(
    `INSERT INTO outbox_event (event_id, aggregate_id, topic, payload, status, attempts, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, 'NEW', 0, ?, ?)`,
    envelope.eventId,
    envelope.paymentId,
    topic,
    JSON.stringify(envelope),
    at,
    at,
  );
}

/** One outbox row of a payment, as operators see it (without its payload). */
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

/** The outbox rows of a payment, oldest first, at most `limit`. */
export async function listOutboxEventsOfPayment(
  pool: Db,
  paymentId: string,
  limit: number,
): Promise<OutboxEventView[]> {
  const rows = await pool.query(sql(
    `SELECT id, event_id, topic, status, attempts, last_error, created_at, published_at
     FROM outbox_event WHERE aggregate_id = ? ORDER BY id LIMIT ?`,
    paymentId,
    limit,
  ));
  return rows.map((r) => ({
    id: Number(r.id),
    eventId: r.event_id,
    topic: r.topic,
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    createdAt: r.created_at,
    publishedAt: r.published_at,
  }));
}

/** The events a payment put in the outbox, oldest first: topic and envelope. */
export async function readOutboxEnvelopes(
  pool: Db,
  paymentId: string,
): Promise<Array<{ topic: string; envelope: EventEnvelope }>> {
  const rows = await pool.query(sql(
    "SELECT topic, payload FROM outbox_event WHERE aggregate_id = ? ORDER BY id",
    paymentId,
  ));
  return rows.map((row) => ({ topic: row.topic, envelope: JSON.parse(row.payload) }));
}
