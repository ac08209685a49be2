import {
  countUnreplayedDlqMessages,
  type Db,
  type DlqMessage,
  dlqRowsMax,
  listDlqMessages,
} from "@pay/lib/db";
import { type DlqReplayResult, type DlqSelection, replayDlq } from "@pay/workers/dlq";
import type { OpsContext } from "./context.ts";

export { dlqRowsMax };

export interface DlqListing {
  /** Dead letters not yet replayed (all of them, not only this page). */
  readonly pending: number;
  readonly messages: readonly DlqMessage[];
}

/** Archived dead letters (never-replayed ones unless `includeReplayed`), oldest first. */
export async function dlqList(
  pool: Db,
  filter: {
    originalTopic?: string;
    from?: Date;
    to?: Date;
    includeReplayed?: boolean;
    afterId?: number;
    limit: number;
  },
): Promise<DlqListing> {
  const [messages, pending] = await Promise.all([
    listDlqMessages(pool, filter),
    countUnreplayedDlqMessages(pool),
  ]);
  return { pending, messages };
}

/** Re-publishes the selected dead letters to their original topics (workers/dlq/replay.ts). */
export async function dlqReplay(
  ctx: OpsContext,
  selection: DlqSelection,
  replayedBy: string,
): Promise<DlqReplayResult> {
  return await replayDlq(ctx.pool, await ctx.bus(), selection, replayedBy);
}
