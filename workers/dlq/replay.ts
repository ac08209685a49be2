import type { RowDataPacket } from "mysql2/promise";
import type { Bus, BusMessage } from "@pay/lib/bus";
import { runBatch, sql } from "@pay/lib/db";
import type { Pool } from "@pay/lib/db";
import { ValidationError } from "@pay/lib/domain";
import { type DlqFilter, type DlqMessage, dlqMessageOf, dlqRowsMax, dlqWhere } from "./dlq_repo.ts";

/** Header on a replayed message: the dlq_message id it came from. */
export const replayOfHeader = "replayOfDlqId";

export type DlqSelection = Omit<DlqFilter, "limit" | "afterId"> & { readonly limit?: number };

export interface DlqReplayResult {
  readonly replayed: ReadonlyArray<{ readonly id: number; readonly originalTopic: string }>;
}

/**
 * Re-publishes the selected dead letters to their original topics (key and
 * headers as they were, plus `replayOfDlqId`) and records each replay in
 * `dlq_replay`, all in one transaction: if the publish fails nothing is
 * recorded. Every group of the topic receives the message again; consumers
 * are idempotent (inbox), so only the group that failed changes anything.
 */
export async function replayDlq(
  pool: Pool,
  bus: Pick<Bus, "publish">,
  selection: DlqSelection,
  replayedBy: string,
): Promise<DlqReplayResult> {
  assertSelective(selection);
  const where = dlqWhere({ ...selection, limit: 0 });
  const limit = Math.min(selection.limit ?? dlqRowsMax, dlqRowsMax);
  const connection = await pool.getConnection();
  try {
    const [, , selected] = await runBatch(connection, [
      sql("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"),
      sql("START TRANSACTION"),
      sql(
        `SELECT * FROM dlq_message ${where.sql ? `${where.sql} AND` : "WHERE"} original_topic <> ''
         ORDER BY id LIMIT ? FOR UPDATE`,
        ...where.params,
        limit,
      ),
    ]);
    const messages = (selected as RowDataPacket[]).map(dlqMessageOf);
    if (messages.length > 0) {
      await bus.publish(messages.map(replayMessageOf));
      const ids = messages.map((m) => m.id);
      await runBatch(connection, [
        sql(
          "INSERT INTO dlq_replay (dlq_message_id, original_topic, replayed_by, replayed_at) VALUES ?",
          messages.map((m) => [m.id, m.originalTopic, replayedBy.slice(0, 100), new Date()]),
        ),
        sql(
          `UPDATE dlq_message SET replay_count = replay_count + 1, last_replayed_at = NOW(3)
           WHERE id IN (?)`,
          ids,
        ),
      ]);
    }
    await connection.query("COMMIT");
    return { replayed: messages.map((m) => ({ id: m.id, originalTopic: m.originalTopic })) };
  } catch (error) {
    await connection.query("ROLLBACK").catch(() => connection.destroy());
    throw error;
  } finally {
    connection.release();
  }
}

/** Replaying "everything" by accident is refused: name ids, a topic or a time range. */
function assertSelective(selection: DlqSelection): void {
  const { ids, originalTopic, from, to } = selection;
  if (ids === undefined && originalTopic === undefined && !from && !to) {
    throw new ValidationError("Select dead letters by ids, original topic or time range");
  }
  if (ids !== undefined && ids.length === 0) {
    throw new ValidationError("The id list is empty", "ids");
  }
  if (from && to && from >= to) {
    throw new ValidationError(
      `The time range is empty: ${from.toISOString()} >= ${to.toISOString()}`,
    );
  }
}

function replayMessageOf(m: DlqMessage): BusMessage {
  return {
    topic: m.originalTopic,
    key: m.key,
    value: m.payload,
    headers: { ...m.headers, [replayOfHeader]: String(m.id) },
  };
}
