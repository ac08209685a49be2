import { topics } from "../domain/events.ts";
import { backoffDelayMs } from "../resilience/backoff.ts";
import {
  describeFailure,
  dlqMessageOf,
  dlqRecordOf,
  type FailureDescription,
} from "./dead_letter.ts";
import { isPermanentFailure } from "./errors.ts";
import { type BusLogger, errorText } from "./log.ts";
import type { BusMetrics } from "./metrics.ts";
import type { BusMessage, DeliveredMessage, MessageHandler } from "./port.ts";
import { sleep } from "./sleep.ts";

/** What the consumer does with a message after delivery: acknowledge it, or leave it for redelivery. */
export type DeliveryOutcome = "ack" | "keep";

/** A message as fetched, before the handler sees it. */
export interface Incoming {
  readonly message: DeliveredMessage;
  /** Set when the stored entry is not a bus message at all: it goes to the DLQ unhandled. */
  readonly malformedReason?: string;
}

export interface DeliveryPolicy {
  readonly group: string;
  readonly handler: MessageHandler;
  readonly retryAttemptsMax: number;
  readonly retryBackoffBaseMs: number;
  readonly retryBackoffCapMs: number;
  readonly deliveriesMax: number;
  readonly publish: (messages: readonly BusMessage[]) => Promise<void>;
  readonly metrics: BusMetrics;
  readonly log: BusLogger;
  /** Aborted when the consumer is abandoned (a simulated crash): nothing more is decided. */
  readonly abandoned: AbortSignal;
}

/**
 * Runs the handler with bounded retries, then dead-letters: the one place
 * that decides between ack, retry and `payment.dlq` for every adapter.
 */
export async function deliver(
  incoming: Incoming,
  policy: DeliveryPolicy,
): Promise<DeliveryOutcome> {
  const { message } = incoming;
  if (incoming.malformedReason !== undefined) {
    return deadLetter(message, {
      errorType: "MalformedMessage",
      errorMessage: incoming.malformedReason,
    }, policy);
  }
  // A dead letter is never dead-lettered again, so it is always retried instead.
  if (message.deliveryCount > policy.deliveriesMax && message.topic !== topics.dlq) {
    return deadLetter(message, {
      errorType: "DeliveryLimitExceeded",
      errorMessage: `Delivered ${message.deliveryCount} times without an acknowledgement`,
    }, policy);
  }
  let failure: FailureDescription = { errorType: "Error", errorMessage: "No attempt made" };
  for (let attempt = 1; attempt <= policy.retryAttemptsMax; attempt++) {
    if (policy.abandoned.aborted) return "keep";
    const error = await attemptOnce(message, policy);
    if (error === undefined) return "ack";
    failure = describeFailure(error);
    if (isPermanentFailure(error)) break;
    if (attempt < policy.retryAttemptsMax) {
      policy.log("handler_retry", {
        group: policy.group,
        topic: message.topic,
        offset: message.offset,
        attempt,
        error: errorText(error),
      });
      await sleep(
        backoffDelayMs(attempt - 1, policy.retryBackoffBaseMs, policy.retryBackoffCapMs),
        policy.abandoned,
      );
    }
  }
  if (policy.abandoned.aborted) return "keep";
  return deadLetter(message, failure, policy);
}

async function attemptOnce(message: DeliveredMessage, policy: DeliveryPolicy): Promise<unknown> {
  const labels = { group: policy.group, topic: message.topic };
  const end = policy.metrics.handlerDuration.startTimer(labels);
  try {
    await policy.handler(message);
    end({ result: "ok" });
    return undefined;
  } catch (error) {
    end({ result: "error" });
    return error ?? new Error("Handler threw a nullish value");
  }
}

async function deadLetter(
  message: DeliveredMessage,
  failure: FailureDescription,
  policy: DeliveryPolicy,
): Promise<DeliveryOutcome> {
  const fields = { group: policy.group, topic: message.topic, offset: message.offset, ...failure };
  if (message.topic === topics.dlq) {
    // Dead-lettering a dead letter would loop; it waits for redelivery instead.
    policy.log("dlq_message_kept", fields);
    return "keep";
  }
  const record = dlqRecordOf(message, failure);
  try {
    await policy.publish([dlqMessageOf(message, record, policy.group)]);
  } catch (error) {
    policy.log("dlq_publish_failed", { ...fields, error: errorText(error) });
    return "keep";
  }
  policy.metrics.dlqMessages.inc({ topic: message.topic });
  policy.log("dead_lettered", fields);
  return "ack";
}
