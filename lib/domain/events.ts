import type { Currency } from "./currency.ts";
import type { EventId, MerchantId, PaymentId } from "./ids.ts";
import type { PaymentStatus } from "./payment_status.ts";

/** Bus topics (DESIGN §6). The key of every message is the paymentId. */
export const topics = {
  authorized: "payment.authorized",
  captureRequested: "payment.capture-requested",
  captured: "payment.captured",
  captureFailed: "payment.capture-failed",
  refundRequested: "payment.refund-requested",
  refunded: "payment.refunded",
  refundFailed: "payment.refund-failed",
  cancelled: "payment.cancelled",
  expired: "payment.expired",
  declined: "payment.declined",
  dlq: "payment.dlq",
} as const;

export type Topic = typeof topics[keyof typeof topics];
export type PaymentTopic = Exclude<Topic, "payment.dlq">;

export const paymentTopics: readonly PaymentTopic[] = Object.freeze(
  Object.values(topics).filter((t): t is PaymentTopic => t !== topics.dlq),
);

/** The event type is the topic without its `payment.` prefix, e.g. `capture-requested`. */
export function eventTypeOf(topic: PaymentTopic): string {
  return topic.slice("payment.".length);
}

/**
 * What every payment event carries (DESIGN §6). `amount` is the amount this
 * event is about: the authorized amount, a capture amount, or a refund amount.
 */
export interface EventEnvelope<D = Record<string, unknown>> {
  readonly eventId: EventId;
  readonly type: string;
  readonly paymentId: PaymentId;
  readonly merchantId: MerchantId;
  readonly amount: number;
  readonly currency: Currency;
  readonly occurredAt: string;
  readonly data: D;
}

/** `data` of events that carry a status change. */
export interface TransitionData {
  readonly from: PaymentStatus | null;
  readonly to: PaymentStatus;
  readonly requestId?: string;
  readonly [key: string]: unknown;
}

/** Seed-format dead-letter record published to `payment.dlq`. */
export interface DlqRecord {
  readonly originalTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly payload: string;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly timestamp: string;
}

const topicByStatus: Partial<Record<PaymentStatus, PaymentTopic>> = {
  AUTHORIZED: topics.authorized,
  CAPTURE_REQUESTED: topics.captureRequested,
  CAPTURED: topics.captured,
  CAPTURE_FAILED: topics.captureFailed,
  REFUND_REQUESTED: topics.refundRequested,
  PARTIALLY_REFUNDED: topics.refunded,
  REFUNDED: topics.refunded,
  REFUND_FAILED: topics.refundFailed,
  CANCELLED: topics.cancelled,
  EXPIRED: topics.expired,
};

/** The topic announcing that a payment entered `status`; undefined for states with no event (AUTH_FAILED). */
export function topicForStatus(status: PaymentStatus): PaymentTopic | undefined {
  return topicByStatus[status];
}
