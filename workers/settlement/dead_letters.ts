import { type BusMessage, type DeliveredMessage, dlqGroupHeader, dlqIdHeader } from "@pay/lib/bus";
import { type ClaimedPgRequest, type Db, findRequestEventPayload } from "@pay/lib/db";
import { type DlqRecord, topics } from "@pay/lib/domain";
import type { WorkerLog } from "./log.ts";
import type { SettlementMetrics } from "./metrics.ts";

/** The consumer group of the settlement worker (also the DLQ records' `dlqGroup` header). */
export const settlementGroup = "settlement";

/**
 * Partition and offset of a DLQ record whose request failed in the retry
 * scheduler rather than while handling a bus delivery (Kafka's "unknown").
 */
export const noDeliveryPartition = -1;
export const noDeliveryOffset = "-1";

const requestTopicOf = {
  capture: topics.captureRequested,
  refund: topics.refundRequested,
  void: topics.cancelled,
} as const;

export interface DeadLetterDeps {
  readonly pool: Db;
  readonly publish: (messages: readonly BusMessage[]) => Promise<void>;
  readonly metrics: SettlementMetrics;
  readonly log: WorkerLog;
}

/**
 * Sends a failed request to `payment.dlq` in the seed format, after its
 * failure committed. The FAILED request row is the durable record; the DLQ
 * message is the operator's alert, so a bus that cannot take it is logged and
 * counted, never allowed to undo the failure. Replaying the record is
 * harmless: the request is already FAILED, so the worker acknowledges it
 * without calling the PG.
 */
export async function publishFailureRecord(
  deps: DeadLetterDeps,
  request: ClaimedPgRequest,
  failure: { readonly errorType: string; readonly error: string },
  message: DeliveredMessage | undefined,
  at: Date,
): Promise<void> {
  const topic = requestTopicOf[request.kind];
  try {
    const payload = message?.value ??
      await findRequestEventPayload(deps.pool, request.paymentId, topic, request.id) ??
      JSON.stringify({ requestId: request.id, paymentId: request.paymentId });
    const record: DlqRecord = {
      originalTopic: topic,
      partition: message?.partition ?? noDeliveryPartition,
      offset: message?.offset ?? noDeliveryOffset,
      payload,
      errorType: failure.errorType,
      errorMessage: failure.error,
      timestamp: at.toISOString(),
    };
    await deps.publish([{
      topic: topics.dlq,
      key: request.paymentId,
      value: JSON.stringify(record),
      headers: {
        ...message?.headers,
        [dlqIdHeader]: crypto.randomUUID(),
        [dlqGroupHeader]: settlementGroup,
      },
    }]);
    deps.metrics.dlqRecords.inc({ kind: request.kind, result: "ok" });
  } catch (error) {
    deps.metrics.dlqRecords.inc({ kind: request.kind, result: "error" });
    deps.log("dlq_publish_failed", { requestId: request.id, error: String(error) });
  }
}
