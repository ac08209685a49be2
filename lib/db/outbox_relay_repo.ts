import { nowPlusMs, secondsSince } from "./dialect.ts";
import { rowsOf, sql } from "./batch.ts";
import type { Db, Row } from "./port.ts";
import { inTransaction } from "./transaction.ts";

/**
 * The outbox relay's side of `outbox_event` (DESIGN §6).
 *
 * Claiming leases rows instead of holding locks while publishing: one short
 * READ COMMITTED transaction selects due rows `FOR UPDATE SKIP LOCKED` and
 * pushes their `next_attempt_at` forward by the lease, which hides them from
 * other relays; the publish then runs with no transaction open, and a single
 * UPDATE marks the rows. A relay that dies mid-publish loses its lease, and
 * the rows come due again (published at least once). READ COMMITTED takes no
 * gap locks, so ingest's inserts never wait behind a relay.
 */
export interface OutboxRow {
  readonly id: number;
  readonly eventId: string;
  readonly aggregateId: string;
  readonly topic: string;
  readonly payload: string;
  readonly attempts: number;
}

export async function claimDueOutbox(
  pool: Db,
  batchSize: number,
  leaseMs: number,
): Promise<OutboxRow[]> {
  return await inTransaction(pool, async (tx) => {
    const [selected] = await tx.run([
      sql(
        `SELECT id, event_id, aggregate_id, topic, payload, attempts FROM outbox_event
         WHERE status = 'NEW' AND next_attempt_at <= NOW(3)
         ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
        batchSize,
      ),
    ]);
    const rows = rowsOf(selected).map(outboxRowOf);
    const ids = rows.map((r) => r.id);
    await tx.commit([
      ...(ids.length
        ? [sql(
          `UPDATE outbox_event SET next_attempt_at = ${nowPlusMs(pool.dialect)} WHERE id IN (?)`,
          leaseMs,
          ids,
        )]
        : []),
    ]);
    return rows.sort((a, b) => a.id - b.id);
  }, { isolation: "READ COMMITTED" });
}

function outboxRowOf(row: Row): OutboxRow {
  return {
    id: Number(row.id),
    eventId: row.event_id,
    aggregateId: row.aggregate_id,
    topic: row.topic,
    payload: row.payload,
    attempts: Number(row.attempts),
  };
}

export async function markOutboxPublished(pool: Db, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await pool.execute(sql(
    `UPDATE outbox_event SET status = 'PUBLISHED', published_at = NOW(3), last_error = NULL
     WHERE id IN (?) AND status = 'NEW'`,
    ids,
  ));
  return result.affectedRows;
}

/** Longest error text kept on a row; the column is VARCHAR(500). */
const lastErrorCharsMax = 500;

/**
 * Records a failed publish: attempts + 1, the row's next attempt after its
 * own delay (`delayMsById`), or DEAD once `attemptsMax` attempts failed.
 * Returns how many rows became DEAD.
 */
export async function markOutboxFailed(
  pool: Db,
  rows: readonly OutboxRow[],
  error: string,
  attemptsMax: number,
  delayMsById: ReadonlyMap<number, number>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  const cases = rows.map(() => "WHEN ? THEN ?").join(" ");
  const caseParams = rows.flatMap((r) => [r.id, delayMsById.get(r.id) ?? 0]);
  // `status` is computed from the attempts before this failure on both
  // dialects (MariaDB assigns left to right, SQLite from the old row).
  const delayMs = `(CASE id ${cases} ELSE 0 END)`;
  await pool.execute(sql(
    `UPDATE outbox_event SET
       status = CASE WHEN attempts + 1 >= ? THEN 'DEAD' ELSE 'NEW' END,
       attempts = attempts + 1,
       next_attempt_at = ${nowPlusMs(pool.dialect).replace("?", delayMs)},
       last_error = ?
     WHERE id IN (?) AND status = 'NEW'`,
    attemptsMax,
    ...caseParams,
    error.slice(0, lastErrorCharsMax),
    ids,
  ));
  return rows.filter((r) => r.attempts + 1 >= attemptsMax).length;
}

/** Gives claimed rows back at once, attempts unchanged (the breaker refused the publish). */
export async function releaseOutboxLease(pool: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await pool.execute(sql(
    "UPDATE outbox_event SET next_attempt_at = NOW(3) WHERE id IN (?) AND status = 'NEW'",
    ids,
  ));
}

/** Upper bound of rows one requeue touches, so an ops call cannot lock the whole table. */
export const outboxRequeueRowsMax = 10_000;

/**
 * Operator action: DEAD rows become NEW with attempts reset, due now. With
 * `ids`, only those rows; otherwise the oldest up to `limit`. Returns the count.
 */
export async function requeueDeadOutbox(
  pool: Db,
  options: { readonly ids?: readonly number[]; readonly limit?: number } = {},
): Promise<number> {
  const limit = Math.min(options.limit ?? outboxRequeueRowsMax, outboxRequeueRowsMax);
  const byId = options.ids !== undefined;
  if (byId && options.ids!.length === 0) return 0;
  // The oldest DEAD rows up to `limit`, picked by id (UPDATE … LIMIT is MariaDB's only).
  const result = await pool.execute(sql(
    `UPDATE outbox_event SET status = 'NEW', attempts = 0, next_attempt_at = NOW(3)
     WHERE status = 'DEAD' AND id IN (SELECT id FROM (
       SELECT id FROM outbox_event WHERE status = 'DEAD' ${byId ? "AND id IN (?)" : ""}
       ORDER BY id LIMIT ?) AS picked)`,
    ...(byId ? [options.ids, limit] : [limit]),
  ));
  return result.affectedRows;
}

export interface DeadOutboxRow {
  readonly id: number;
  readonly eventId: string;
  readonly aggregateId: string;
  readonly topic: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
}

export async function listDeadOutbox(
  pool: Db,
  options: { readonly limit: number; readonly afterId?: number },
): Promise<DeadOutboxRow[]> {
  const rows = await pool.query(sql(
    `SELECT id, event_id, aggregate_id, topic, attempts, last_error, created_at FROM outbox_event
     WHERE status = 'DEAD' AND id > ? ORDER BY id LIMIT ?`,
    options.afterId ?? 0,
    options.limit,
  ));
  return rows.map((r) => ({
    id: Number(r.id),
    eventId: r.event_id,
    aggregateId: r.aggregate_id,
    topic: r.topic,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    createdAt: r.created_at,
  }));
}

export interface OutboxStats {
  /** Rows not yet published (NEW), due or waiting for a retry. */
  readonly backlog: number;
  /** Age of the oldest unpublished row; 0 when there is none. */
  readonly oldestAgeSeconds: number;
  readonly dead: number;
}

export async function outboxStats(pool: Db): Promise<OutboxStats> {
  const [newRows, deadRows] = await pool.run([
    sql("SELECT COUNT(*) AS backlog, MIN(id) AS oldest_id FROM outbox_event WHERE status = 'NEW'"),
    sql("SELECT COUNT(*) AS dead FROM outbox_event WHERE status = 'DEAD'"),
  ]);
  const news = rowsOf(newRows)[0]!;
  const deads = rowsOf(deadRows)[0]!;
  let oldestAgeSeconds = 0;
  if (news.oldest_id !== null) {
    const [oldest] = await pool.query(sql(
      `SELECT ${secondsSince(pool.dialect, "created_at")} AS age FROM outbox_event WHERE id = ?`,
      news.oldest_id,
    ));
    oldestAgeSeconds = Math.max(0, Number(oldest?.age ?? 0));
  }
  return { backlog: Number(news.backlog), oldestAgeSeconds, dead: Number(deads.dead) };
}
