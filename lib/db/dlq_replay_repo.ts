import { insertRows, rowsOf, sql } from "./batch.ts";
import { type DlqFilter, type DlqMessage, dlqMessageOf, dlqRowsMax, dlqWhere } from "./dlq_repo.ts";
import type { Db } from "./port.ts";
import { inTransaction } from "./transaction.ts";

/** Length of `dlq_replay.replayed_by`: a longer name is cut, never refused. */
export const replayedByCharsMax = 100;

export interface DlqReplayClaim {
  /** Which dead letters (its `limit`, at most `dlqRowsMax`, caps them; `afterId` is not used). */
  readonly filter: DlqFilter;
  /** Who asked, recorded with each replay (cut to `replayedByCharsMax` characters). */
  readonly replayedBy: string;
}

/**
 * Locks the selected replayable dead letters (those with an original topic),
 * lets `publish` send them, then records each replay in `dlq_replay` and
 * bumps its `replay_count`, all in one transaction: when `publish` throws
 * nothing is recorded. Racing replays of never-replayed dead letters replay
 * each once. MariaDB: row locks, READ COMMITTED, so the archive's inserts
 * never wait on it. SQLite: the file's write lock (and the process's
 * connection) is held while `publish` runs, so `publish` must not use this
 * database: it would wait on itself. Returns the messages published.
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
        Math.min(claim.filter.limit, dlqRowsMax),
      ),
    ]);
    const messages = rowsOf(selected).map(dlqMessageOf);
    if (messages.length === 0) return messages;
    await publish(messages);
    const replayedBy = claim.replayedBy.slice(0, replayedByCharsMax);
    const replayedAt = new Date();
    await tx.commit([
      insertRows(
        "dlq_replay",
        ["dlq_message_id", "original_topic", "replayed_by", "replayed_at"],
        messages.map((m) => [m.id, m.originalTopic, replayedBy, replayedAt]),
      ),
      sql(
        `UPDATE dlq_message SET replay_count = replay_count + 1, last_replayed_at = ?
         WHERE id IN (?)`,
        replayedAt,
        messages.map((m) => m.id),
      ),
    ]);
    return messages;
  }, { isolation: "READ COMMITTED" });
}
