import type { Pool } from "@pay/lib/db";
import {
  type DlqMessage,
  type DlqReplayResult,
  dlqRowsMax,
  type DlqSelection,
  listDlqMessages,
  replayDlq,
} from "@pay/workers/dlq";
import type { OpsContext } from "./context.ts";

export { dlqRowsMax };

export interface DlqListing {
  /** Dead letters not yet replayed (all of them, not only this page). */
  readonly pending: number;
  readonly messages: readonly DlqMessage[];
}

/** Archived dead letters (never-replayed ones unless `includeReplayed`), oldest first. */
export async function dlqList(
  pool: Pool,
  filter: {
    originalTopic?: string;
    from?: Date;
    to?: Date;
    includeReplayed?: boolean;
    afterId?: number;
    limit: number;
  },
): Promise<DlqListing> {
  const [messages, [counted]] = await Promise.all([
    listDlqMessages(pool, filter),
    pool.query(
      "SELECT COUNT(*) AS n FROM dlq_message WHERE replay_count = 0",
    ) as unknown as Promise<
      [Array<{ n: number }>]
    >,
  ]);
  return { pending: Number(counted[0]?.n ?? 0), messages };
}

/** Re-publishes the selected dead letters to their original topics (workers/dlq/replay.ts). */
export async function dlqReplay(
  ctx: OpsContext,
  selection: DlqSelection,
  replayedBy: string,
): Promise<DlqReplayResult> {
  return await replayDlq(ctx.pool, await ctx.bus(), selection, replayedBy);
}
