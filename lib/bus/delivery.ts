import { topics } from "../domain/events.ts";
import { backoffDelayMs } from "../resilience/backoff.ts";
import { isTransientFailure } from "../resilience/transient.ts";
import type { AttemptResult, ConsumerGate } from "./consumer_gate.ts";
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

/**
 * What the consumer does with a message after delivery:
 * - `ack`: handled or dead-lettered; acknowledge it.
 * - `keep`: leave it unacknowledged; it is redelivered, and the redelivery counts.
 * - `release`: hand it back undone because its dependencies are down and the
 *   consumer is stopping; it is redelivered without counting this delivery.
 */
export type DeliveryOutcome = "ack" | "keep" | "release";

/** A message as fetched, before the handler sees it. */
export interface Incoming {
  readonly message: DeliveredMessage;
  /** Set when the stored entry is not a bus message at all: it goes to the DLQ unhandled. */
  readonly malformedReason?: string;
}

export interface DeliveryPolicy {
  readonly group: string;
  readonly handler: MessageHandler;
  /** Attempts of a message failing permanently (not a dependency outage) before the DLQ. */
  readonly retryAttemptsMax: number;
  readonly retryBackoffBaseMs: number;
  readonly retryBackoffCapMs: number;
  readonly deliveriesMax: number;
  /** The group's breaker: holds every attempt while handlers fail transiently. */
  readonly gate: ConsumerGate;
  readonly publish: (messages: readonly BusMessage[]) => Promise<void>;
  readonly metrics: BusMetrics;
  readonly log: BusLogger;
  /** Aborted when the consumer is abandoned (a simulated crash): nothing more is decided. */
  readonly abandoned: AbortSignal;
}

/**
 * Runs the handler until it succeeds, fails permanently too often, or the
 * consumer stops during an outage: the one place that decides between ack,
 * retry and `payment.dlq` for every adapter (DESIGN §10).
 *
 * - Transient failures (isTransientFailure: a dependency unavailable) never
 *   dead-letter: the attempt waits on the group's gate, which lets one probe
 *   through at a time with capped backoff, for as long as it takes.
 * - Malformed messages go to the DLQ at once; other failures after
 *   `retryAttemptsMax` attempts.
 * - `stop` aborts waiting on an open gate: the message is released (handed
 *   back uncounted) so a stopping consumer never waits for an outage to end.
 */
export async function deliver(
  incoming: Incoming,
  policy: DeliveryPolicy,
  stop: AbortSignal,
): Promise<DeliveryOutcome> {
  const { message } = incoming;
  if (incoming.malformedReason !== undefined) {
    return deadLetter(message, {
      errorType: "MalformedMessage",
      errorMessage: incoming.malformedReason,
    }, policy);
  }
  // The limit is for poison messages that kill their consumer before it decides anything.
  // Deliveries that ended in an outage are not counted: transient failures are retried here,
  // in process, under a kept claim (never redelivered), and a consumer that stops during an
  // outage releases its messages, which resets their count (StreamLog.release; the Kafka
  // consumer forgets its own count). So restarts during an outage of any length cannot push
  // a healthy message over the limit, while a message that crashes every consumer still does.
  // A dead letter is never dead-lettered again, so it is always retried instead.
  if (message.deliveryCount > policy.deliveriesMax && message.topic !== topics.dlq) {
    return deadLetter(message, {
      errorType: "DeliveryLimitExceeded",
      errorMessage: `Delivered ${message.deliveryCount} times without an acknowledgement`,
    }, policy);
  }
  let permanentFailures = 0;
  let retryingTransient = false;
  while (true) {
    if (policy.abandoned.aborted) return "keep";
    if (retryingTransient && stop.aborted) return "release";
    const ticket = await policy.gate.admit(retryingTransient, stop);
    if (ticket === null) return policy.abandoned.aborted ? "keep" : "release";
    const error = await attemptOnce(message, policy);
    const result = resultOf(error);
    policy.gate.settle(ticket, result, error);
    if (result === "ok") return "ack";
    if (result === "transient") {
      policy.metrics.transientFailures.inc({ group: policy.group, topic: message.topic });
      retryingTransient = true;
      continue;
    }
    retryingTransient = false;
    permanentFailures++;
    if (isPermanentFailure(error) || permanentFailures >= policy.retryAttemptsMax) {
      if (policy.abandoned.aborted) return "keep";
      return deadLetter(message, describeFailure(error), policy);
    }
    policy.log("handler_retry", {
      group: policy.group,
      topic: message.topic,
      offset: message.offset,
      attempt: permanentFailures,
      error: errorText(error),
    });
    await sleep(
      backoffDelayMs(permanentFailures - 1, policy.retryBackoffBaseMs, policy.retryBackoffCapMs),
      policy.abandoned,
    );
  }
}

function resultOf(error: unknown): AttemptResult {
  if (error === undefined) return "ok";
  // Malformed input stays malformed, whatever it was wrapped around.
  if (isPermanentFailure(error)) return "failed";
  return isTransientFailure(error) ? "transient" : "failed";
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
