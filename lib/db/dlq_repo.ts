import { sql } from "./batch.ts";
import { isDuplicateKey } from "./db_errors.ts";
import type { Db, Row } from "./port.ts";

/** A dead letter as read from `payment.dlq`, ready to be archived. */
export interface DlqArchiveRecord {
  readonly dlqId: string;
  /** The consumer group that gave up on the message, when known. */
  readonly consumerGroup: string | null;
  /** Empty when the DLQ message itself was unreadable (then it cannot be replayed). */
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly failedAt: Date;
}

/** A dead letter as archived: the record plus what the archive and replays added. */
export interface DlqMessage extends DlqArchiveRecord {
  readonly id: number;
  readonly archivedAt: Date;
  readonly replayCount: number;
  readonly lastReplayedAt: Date | null;
}

/** Stores one dead letter; a second copy of the same one (same `dlqId`) is ignored. */
export async function insertDlqMessage(
  pool: Db,
  record: DlqArchiveRecord,
): Promise<"archived" | "duplicate"> {
  try {
    await pool.execute(sql(
      `INSERT INTO dlq_message (dlq_id, consumer_group, original_topic, original_partition,
       original_offset, message_key, headers, payload, error_type, error_message, failed_at, archived_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))`,
      record.dlqId,
      record.consumerGroup,
      record.originalTopic,
      record.originalPartition,
      record.originalOffset,
      record.key,
      JSON.stringify(record.headers),
      record.payload,
      record.errorType,
      record.errorMessage,
      record.failedAt,
    ));
  } catch (error) {
    if (isDuplicateKey(error)) return "duplicate";
    throw error;
  }
  return "archived";
}

/** Which dead letters a listing or replay covers. Criteria combine with AND. */
export interface DlqFilter {
  readonly ids?: readonly number[];
  readonly originalTopic?: string;
  /** Failed at or after. */
  readonly from?: Date;
  /** Failed before. */
  readonly to?: Date;
  /** Also those replayed before (default: only never-replayed ones). */
  readonly includeReplayed?: boolean;
  /** Only ids above this one (paging). */
  readonly afterId?: number;
  readonly limit: number;
}

/** Most rows one listing or one replay covers; page or repeat for more. */
export const dlqRowsMax = 1_000;

/** The WHERE clause of a filter (its limit and paging aside). */
export function dlqWhere(filter: DlqFilter): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]) => {
    conditions.push(condition);
    params.push(...values);
  };
  if (filter.ids) add("id IN (?)", filter.ids.length ? filter.ids : [0]);
  if (filter.originalTopic !== undefined) add("original_topic = ?", filter.originalTopic);
  if (filter.from) add("failed_at >= ?", filter.from);
  if (filter.to) add("failed_at < ?", filter.to);
  if (!filter.includeReplayed) add("replay_count = 0");
  if (filter.afterId !== undefined) add("id > ?", filter.afterId);
  return { sql: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

export async function listDlqMessages(pool: Db, filter: DlqFilter): Promise<DlqMessage[]> {
  const where = dlqWhere(filter);
  const rows = await pool.query(sql(
    `SELECT * FROM dlq_message ${where.sql} ORDER BY id LIMIT ?`,
    ...where.params,
    Math.min(filter.limit, dlqRowsMax),
  ));
  return rows.map(dlqMessageOf);
}

export function dlqMessageOf(r: Row): DlqMessage {
  return {
    id: Number(r.id),
    dlqId: r.dlq_id,
    consumerGroup: r.consumer_group,
    originalTopic: r.original_topic,
    originalPartition: Number(r.original_partition),
    originalOffset: r.original_offset,
    key: r.message_key,
    headers: JSON.parse(r.headers),
    payload: r.payload,
    errorType: r.error_type,
    errorMessage: r.error_message,
    failedAt: r.failed_at,
    archivedAt: r.archived_at,
    replayCount: Number(r.replay_count),
    lastReplayedAt: r.last_replayed_at,
  };
}

/** Dead letters never replayed: what an operator still has to look at. */
export async function countUnreplayedDlqMessages(pool: Db): Promise<number> {
  const rows = await pool.query(
    sql("SELECT COUNT(*) AS n FROM dlq_message WHERE replay_count = 0"),
  );
  return Number(rows[0]?.n ?? 0);
}
