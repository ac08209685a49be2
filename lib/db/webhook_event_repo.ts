import { allWebhookEvents } from "../domain/mod.ts";
import { affectedRows, rowsOf, sql } from "./batch.ts";
import { jsonArrayHas } from "./dialect.ts";
import type { Db, Row } from "./port.ts";
import { inTransaction, runTransactionBatch } from "./transaction.ts";

/**
 * Webhook events (`webhook_event`) and the deliveries each one owes
 * (DESIGN §10, §11). An event's id is its outbox event's id: the consumer and
 * the sweeper may both derive it, and the second is a no-op.
 */
export interface WebhookEventRecord {
  readonly id: string;
  readonly merchantId: string;
  readonly type: string;
  readonly paymentId: string;
  /** The exact JSON every delivery sends. */
  readonly payload: string;
  readonly createdAt: Date;
}

/**
 * Records `event` and, in the same transaction (one round trip), one PENDING
 * delivery per enabled endpoint of its merchant that subscribes to its type
 * and existed when it happened. Idempotent: a second call inserts nothing
 * (the event's id and (event, endpoint) are unique keys), and because the
 * endpoints are chosen by what held at the event's time, deriving it late
 * gives the same deliveries as deriving it at once. Returns whether the event
 * is new.
 */
export async function recordWebhookEvent(
  pool: Db,
  event: WebhookEventRecord,
  now: Date,
): Promise<{ readonly created: boolean; readonly deliveries: number }> {
  const subscribes = jsonArrayHas(pool.dialect, "e.events");
  const [inserted, deliveries] = await runTransactionBatch(pool, [
    sql(
      `INSERT IGNORE INTO webhook_event (id, merchant_id, type, payment_id, payload, created_at,
         recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      event.id,
      event.merchantId,
      event.type,
      event.paymentId,
      event.payload,
      event.createdAt,
      now,
    ),
    sql(
      `INSERT IGNORE INTO webhook_delivery (event_id, endpoint_id, merchant_id, status, attempts,
         next_attempt_at, created_at)
       SELECT ?, e.id, e.merchant_id, 'PENDING', 0, ?, ? FROM webhook_endpoint e
       WHERE e.merchant_id = ? AND e.status = 'enabled' AND e.created_at <= ?
         AND (${subscribes} OR ${subscribes})`,
      event.id,
      now,
      now,
      event.merchantId,
      event.createdAt,
      allWebhookEvents,
      event.type,
    ),
  ]);
  return { created: affectedRows(inserted) === 1, deliveries: affectedRows(deliveries) };
}

const columns = "id, merchant_id, type, payment_id, payload, created_at";

function eventOf(row: Row): WebhookEventRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    type: row.type,
    paymentId: row.payment_id,
    payload: row.payload,
    createdAt: row.created_at,
  };
}

/** A position in a merchant's event list, newest first: (created_at, id). */
export interface WebhookEventCursor {
  readonly at: Date;
  readonly id: string;
}

export interface ListWebhookEventsQuery {
  readonly merchantId: string;
  readonly type?: string;
  readonly paymentId?: string;
  /** Events older than this are past retention and never listed. */
  readonly since: Date;
  readonly before?: WebhookEventCursor;
  readonly limit: number;
}

/** A merchant's events, newest first, keyset-paginated on (created_at, id). */
export async function listWebhookEvents(
  pool: Db,
  q: ListWebhookEventsQuery,
): Promise<WebhookEventRecord[]> {
  const where = ["merchant_id = ?", "created_at >= ?"];
  const params: unknown[] = [q.merchantId, q.since];
  if (q.type !== undefined) {
    where.push("type = ?");
    params.push(q.type);
  }
  if (q.paymentId !== undefined) {
    where.push("payment_id = ?");
    params.push(q.paymentId);
  }
  if (q.before) {
    where.push("created_at <= ? AND (created_at < ? OR id < ?)");
    params.push(q.before.at, q.before.at, q.before.id);
  }
  const rows = await pool.query(sql(
    `SELECT ${columns} FROM webhook_event WHERE ${where.join(" AND ")}
     ORDER BY created_at DESC, id DESC LIMIT ?`,
    ...params,
    q.limit,
  ));
  return rows.map(eventOf);
}

export async function findWebhookEvent(
  pool: Db,
  merchantId: string,
  id: string,
  since: Date,
): Promise<WebhookEventRecord | undefined> {
  const rows = await pool.query(sql(
    `SELECT ${columns} FROM webhook_event WHERE id = ? AND merchant_id = ? AND created_at >= ?`,
    id,
    merchantId,
    since,
  ));
  return rows[0] ? eventOf(rows[0]) : undefined;
}

/**
 * Deletes up to `limit` events older than `before` with their deliveries
 * (retention); returns how many events went.
 */
export async function purgeWebhookEvents(pool: Db, before: Date, limit: number): Promise<number> {
  return await inTransaction(pool, async (tx) => {
    const [selected] = await tx.run([
      sql(
        "SELECT id FROM webhook_event WHERE created_at < ? ORDER BY created_at LIMIT ? FOR UPDATE",
        before,
        limit,
      ),
    ]);
    const ids = rowsOf(selected).map((r) => r.id as string);
    if (ids.length === 0) return 0;
    await tx.commit([
      sql("DELETE FROM webhook_delivery WHERE event_id IN (?)", ids),
      sql("DELETE FROM webhook_event WHERE id IN (?)", ids),
    ]);
    return ids.length;
  });
}

/** One outbox row as the webhook-event sweeper sees it. */
export interface WebhookOutboxRow {
  readonly outboxId: number;
  readonly eventId: string;
  readonly topic: string;
  readonly status: string;
  /** When it left the outbox (published_at; created_at for a DEAD row); null while NEW. */
  readonly leftAt: Date | null;
  readonly recorded: boolean;
  /** The envelope, read only when the row is of `topics` and has no event yet. */
  readonly payload: string | null;
}

/**
 * Outbox rows after `afterOutboxId` in id order (a primary-key range: a
 * pass costs `limit` rows however large the table), each with whether its
 * webhook event exists.
 */
export async function scanOutboxForWebhookEvents(
  pool: Db,
  afterOutboxId: number,
  topics: readonly string[],
  limit: number,
): Promise<WebhookOutboxRow[]> {
  const rows = await pool.query(sql(
    `SELECT o.id, o.event_id, o.topic, o.status,
       CASE WHEN o.status = 'NEW' THEN NULL ELSE COALESCE(o.published_at, o.created_at) END
         AS left_at,
       w.id IS NOT NULL AS recorded,
       CASE WHEN w.id IS NULL AND o.topic IN (?) THEN o.payload END AS payload
     FROM outbox_event o LEFT JOIN webhook_event w ON w.id = o.event_id
     WHERE o.id > ? ORDER BY o.id LIMIT ?`,
    topics,
    afterOutboxId,
    limit,
  ));
  return rows.map((row) => ({
    outboxId: Number(row.id),
    eventId: row.event_id,
    topic: row.topic,
    status: row.status,
    leftAt: row.left_at,
    recorded: Number(row.recorded) === 1,
    payload: row.payload,
  }));
}
