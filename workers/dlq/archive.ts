import { type DeliveredMessage, dlqGroupHeader, dlqIdHeader, parseDlqRecord } from "@pay/lib/bus";
import { type Db, insertDlqMessage } from "@pay/lib/db";

/**
 * Stores one `payment.dlq` message; a second copy of the same dead letter is
 * ignored. A message that is not a DLQ record is kept as it came, with an
 * empty original topic (it cannot be replayed).
 */
export async function archiveDlqMessage(
  pool: Db,
  message: DeliveredMessage,
): Promise<"archived" | "duplicate"> {
  const record = parseDlqRecord(message.value);
  const { [dlqIdHeader]: dlqId, [dlqGroupHeader]: group, ...headers } = message.headers;
  const failedAt = record ? new Date(record.timestamp) : new Date();
  return await insertDlqMessage(pool, {
    dlqId: dlqId ?? `${message.topic}:${message.partition}:${message.offset}`,
    consumerGroup: group ?? null,
    originalTopic: record?.originalTopic ?? "",
    originalPartition: record?.partition ?? -1,
    originalOffset: record?.offset ?? "",
    key: message.key.slice(0, 200),
    headers,
    payload: record?.payload ?? message.value,
    errorType: (record?.errorType ?? "MalformedDlqRecord").slice(0, 100),
    errorMessage: (record?.errorMessage ?? "The payment.dlq message is not a DLQ record").slice(
      0,
      1_000,
    ),
    failedAt: Number.isNaN(failedAt.getTime()) ? new Date() : failedAt,
  });
}
