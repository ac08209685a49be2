import type { PipelineBus } from "@pay/lib/bus";
import type { Db } from "@pay/lib/db";
import { topics } from "@pay/lib/domain";
import type { Worker } from "../worker.ts";
import { archiveDlqMessage } from "./archive.ts";

/** The consumer group that copies `payment.dlq` into MariaDB. */
export const dlqArchiveGroup = "dlq-archive";

/**
 * Archives every dead letter in `dlq_message`, where operators list and
 * replay them. A failing archive (MariaDB down) is never dead-lettered again:
 * the bus keeps the message pending and redelivers it.
 */
export async function startDlqArchiver(
  deps: { readonly pool: Db; readonly bus: Pick<PipelineBus, "consume"> },
): Promise<Worker> {
  const consumer = await deps.bus.consume({
    group: dlqArchiveGroup,
    topics: [topics.dlq],
    handler: async (message) => void await archiveDlqMessage(deps.pool, message),
  });
  return { stop: () => consumer.stop() };
}
