import type { ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { type DeliveredMessage, dlqGroupHeader, dlqIdHeader, parseDlqRecord } from "@pay/lib/bus";
import { isDuplicateKey, type Pool } from "@pay/lib/db";

/** A dead letter as archived from `payment.dlq`. */
export interface DlqMessage {
  readonly id: number;
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
  readonly archivedAt: Date;
  readonly replayCount: number;
  readonly lastReplayedAt: Date | null;
}

/** Stores one `payment.dlq` message; a second copy of the same dead letter is ignored. */
export async function archiveDlqMessage(
  pool: Pool,
  message: DeliveredMessage,
): Promise<"archived" | "duplicate"> {
  const record = parseDlqRecord(message.value);
  const { [dlqIdHeader]: dlqId, [dlqGroupHeader]: group, ...headers } = message.headers;
  const failedAt = record ? new Date(record.timestamp) : new Date();
  try {
    await pool.query<ResultSetHeader>(
      `INSERT INTO dlq_message (dlq_id, consumer_group, original_topic, original_partition,
       original_offset, message_key, headers, payload, error_type, error_message, failed_at, archived_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))`,
      [
        dlqId ?? `${message.topic}:${message.partition}:${message.offset}`,
        group ?? null,
        record?.originalTopic ?? "",
        record?.partition ?? -1,
        record?.offset ?? "",
        message.key.slice(0, 200),
        JSON.stringify(headers),
        record?.payload ?? message.value,
        (record?.errorType ?? "MalformedDlqRecord").slice(0, 100),
        (record?.errorMessage ?? "The payment.dlq message is not a DLQ record").slice(0, 1_000),
        Number.isNaN(failedAt.getTime()) ? new Date() : failedAt,
      ],
    );
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

export async function listDlqMessages(pool: Pool, filter: DlqFilter): Promise<DlqMessage[]> {
  const where = dlqWhere(filter);
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT * FROM dlq_message ${where.sql} ORDER BY id LIMIT ?`,
    [...where.params, Math.min(filter.limit, dlqRowsMax)],
  );
  return rows.map(dlqMessageOf);
}

export function dlqMessageOf(r: RowDataPacket): DlqMessage {
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
