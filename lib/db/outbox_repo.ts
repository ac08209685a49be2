import type { EventEnvelope, PaymentTopic } from "../domain/mod.ts";
import { sql, type Statement } from "./batch.ts";

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
