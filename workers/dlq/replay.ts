import type { Bus, BusMessage } from "@pay/lib/bus";
import {
  type Db,
  type DlqFilter,
  type DlqMessage,
  dlqRowsMax,
  replayDlqMessages,
} from "@pay/lib/db";
import { ValidationError } from "@pay/lib/domain";

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
  pool: Db,
  bus: Pick<Bus, "publish">,
  selection: DlqSelection,
  replayedBy: string,
): Promise<DlqReplayResult> {
  assertSelective(selection);
  const limit = Math.min(selection.limit ?? dlqRowsMax, dlqRowsMax);
  const messages = await replayDlqMessages(
    pool,
    { filter: { ...selection, limit }, replayedBy },
    (selected) => bus.publish(selected.map(replayMessageOf)),
  );
  return { replayed: messages.map((m) => ({ id: m.id, originalTopic: m.originalTopic })) };
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
