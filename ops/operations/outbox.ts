import {
  type Db,
  type DeadOutboxRow,
  listDeadOutbox,
  outboxRequeueRowsMax,
  type OutboxStats,
  outboxStats,
  requeueDeadOutbox,
} from "@pay/lib/db";
import { ValidationError } from "@pay/lib/domain";

export interface OutboxStatus extends OutboxStats {
  /** The oldest DEAD rows (up to the requested limit). */
  readonly deadRows: readonly DeadOutboxRow[];
}

/** Backlog (NEW rows and the oldest one's age), DEAD count and the DEAD rows themselves. */
export async function outboxStatus(
  pool: Db,
  options: { limit: number; afterId?: number },
): Promise<OutboxStatus> {
  const [stats, deadRows] = await Promise.all([
    outboxStats(pool),
    listDeadOutbox(pool, { limit: options.limit, afterId: options.afterId }),
  ]);
  return { ...stats, deadRows };
}

/**
 * Requeues DEAD rows (NEW, attempts 0, due now): the ones named by `ids`, or
 * with `all` the oldest up to `limit`. Asking for neither is refused, so a
 * stray call never republishes the whole dead set.
 */
export async function requeueOutbox(
  pool: Db,
  options: { ids?: readonly number[]; all?: boolean; limit?: number },
): Promise<{ requeued: number }> {
  if (options.ids === undefined && !options.all) {
    throw new ValidationError("Name the DEAD rows to requeue (ids) or ask for all", "ids");
  }
  if (options.ids !== undefined && options.ids.length === 0) {
    throw new ValidationError("The id list is empty", "ids");
  }
  const requeued = await requeueDeadOutbox(pool, {
    ids: options.ids,
    limit: Math.min(options.limit ?? outboxRequeueRowsMax, outboxRequeueRowsMax),
  });
  return { requeued };
}
