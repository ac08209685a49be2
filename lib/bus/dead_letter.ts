import { type DlqRecord, topics } from "../domain/events.ts";
import type { BusMessage, DeliveredMessage } from "./port.ts";

/**
 * Longest error message kept in a DLQ record. Enough for any real error;
 * bounded so a handler that throws a whole payload cannot bloat the DLQ.
 */
export const dlqErrorMessageCharsMax = 1_000;

/** Header of a DLQ message: a unique id, so archiving it twice stores it once. */
export const dlqIdHeader = "dlqId";
/** Header of a DLQ message: the consumer group that gave up on it. */
export const dlqGroupHeader = "dlqGroup";

export interface FailureDescription {
  readonly errorType: string;
  readonly errorMessage: string;
}

export function describeFailure(error: unknown): FailureDescription {
  if (error instanceof Error) {
    return {
      errorType: error.name || "Error",
      errorMessage: error.message.slice(0, dlqErrorMessageCharsMax),
    };
  }
  return { errorType: "NonError", errorMessage: String(error).slice(0, dlqErrorMessageCharsMax) };
}

/** The seed-format record (DESIGN §6) for a message a consumer gave up on. */
export function dlqRecordOf(
  message: DeliveredMessage,
  failure: FailureDescription,
  now: Date = new Date(),
): DlqRecord {
  return {
    originalTopic: message.topic,
    partition: message.partition,
    offset: message.offset,
    payload: message.value,
    errorType: failure.errorType,
    errorMessage: failure.errorMessage,
    timestamp: now.toISOString(),
  };
}

/** The `payment.dlq` message carrying `record`; key and headers of the original travel along. */
export function dlqMessageOf(
  message: DeliveredMessage,
  record: DlqRecord,
  group: string,
): BusMessage {
  return {
    topic: topics.dlq,
    key: message.key,
    value: JSON.stringify(record),
    headers: { ...message.headers, [dlqIdHeader]: crypto.randomUUID(), [dlqGroupHeader]: group },
  };
}

/** Parses a DLQ record; null when `value` is not one. */
export function parseDlqRecord(value: string): DlqRecord | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const r = parsed as Record<string, unknown>;
  const ok = typeof r.originalTopic === "string" && typeof r.partition === "number" &&
    typeof r.offset === "string" && typeof r.payload === "string" &&
    typeof r.errorType === "string" && typeof r.errorMessage === "string" &&
    typeof r.timestamp === "string";
  return ok ? (r as unknown as DlqRecord) : null;
}
