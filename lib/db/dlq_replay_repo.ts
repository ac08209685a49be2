import type { RowDataPacket } from "mysql2/promise";
import { rowsOf, sql } from "./batch.ts";
import { type DlqFilter, type DlqMessage, dlqMessageOf, dlqWhere } from "./dlq_repo.ts";
import type { Db } from "./port.ts";
import { inTransaction } from "./transaction.ts";

export interface DlqReplayClaim {
  /** Which dead letters (its `limit` caps them; `afterId` is not used). */
  readonly filter: DlqFilter;
  /** Who asked, recorded with each replay (cut to 100 characters). */
  readonly replayedBy: string;
}

/**
 * Locks the selected replayable dead letters (those with an original topic),
 * lets `publish` send them, then records each replay in `dlq_replay` and
 * bumps its `replay_count`, all in one transaction: when `publish` throws
 * nothing is recorded. READ COMMITTED, so the archive's inserts never wait on
 * it. Returns the messages published.
 */
export async function replayDlqMessages(
  pool: Db,
  claim: DlqReplayClaim,
  publish: (messages: readonly DlqMessage[]) => Promise<void>,
): Promise<DlqMessage[]> {
  const where = dlqWhere(claim.filter);
  return await inTransaction(pool, async (tx) => {
    const [selected] = await tx.run([
      sql(
        `SELECT * FROM dlq_message ${where.sql ? `${where.sql} AND` : "WHERE"} original_topic <> ''
         ORDER BY id LIMIT ? FOR UPDATE`,
        ...where.params,
        claim.filter.limit,
      ),
    ]);
    const messages = rowsOf<RowDataPacket>(selected).map(dlqMessageOf);
    if (messages.length === 0) return messages;
    await publish(messages);
    await tx.run([
      sql(
        "INSERT INTO dlq_replay (dlq_message_id, original_topic, replayed_by, replayed_at) VALUES ?",
        messages.map((m) => [m.id, m.originalTopic, claim.replayedBy.slice(0, 100), new Date()]),
      ),
      sql(
        `UPDATE dlq_message SET replay_count = replay_count + 1, last_replayed_at = NOW(3)
         WHERE id IN (?)`,
        messages.map((m) => m.id),
      ),
    ]);
    return messages;
  }, { isolation: "READ COMMITTED" });
}
