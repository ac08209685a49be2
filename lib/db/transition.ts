import {
  type EventEnvelope,
  eventTypeOf,
  newEventId,
  nextStatus,
  type PaymentAction,
  type PaymentStatus,
  topicForStatus,
} from "../domain/mod.ts";
import type { Statement } from "./batch.ts";
import { insertOutboxEventStatement } from "./outbox_repo.ts";
import { insertPaymentEventStatement } from "./payment_event_repo.ts";
import { type PaymentRecord, updatePaymentStatusStatement } from "./payment_repo.ts";

export interface TransitionInput {
  /** The payment as read under lock (or as just decided) in this transaction. */
  readonly payment: PaymentRecord;
  readonly action: PaymentAction;
  /** The amount this step is about: a capture amount, a refund amount, the authorized amount. */
  readonly amount: number;
  readonly capturedAmount?: number;
  readonly refundedAmount?: number;
  readonly requestId?: string;
  readonly reason?: string;
  /** Extra fields for the event's `data`. */
  readonly data?: Record<string, unknown>;
  readonly at: Date;
}

export interface PlannedTransition {
  readonly from: PaymentStatus;
  readonly to: PaymentStatus;
  /**
   * The conditional UPDATE first (callers check it changed exactly one row),
   * then the history row and the outbox event.
   */
  readonly statements: readonly Statement[];
  readonly envelope: EventEnvelope | undefined;
}

/**
 * Plans one state change as statements for the caller's transaction: the
 * conditional status update, the payment_event history row and, when the
 * target state has a topic, the outbox event. Asserts the transition is in
 * the table: callers check the state first and answer invalid_state.
 */
export function planTransition(input: TransitionInput): PlannedTransition {
  const { payment, at } = input;
  const from = payment.status;
  const to = nextStatus(from, input.action);
  if (!to) throw new Error(`Forbidden payment action: ${input.action} from ${from}`);
  const statements: Statement[] = [
    updatePaymentStatusStatement({
      paymentId: payment.id,
      from,
      to,
      capturedAmount: input.capturedAmount,
      refundedAmount: input.refundedAmount,
      at,
    }),
    insertPaymentEventStatement({
      paymentId: payment.id,
      from,
      to,
      amount: input.amount,
      requestId: input.requestId ?? null,
      reason: input.reason ?? null,
      at,
    }),
  ];
  const topic = topicForStatus(to);
  let envelope: EventEnvelope | undefined;
  if (topic) {
    envelope = {
      eventId: newEventId(),
      type: eventTypeOf(topic),
      paymentId: payment.id,
      merchantId: payment.merchantId,
      amount: input.amount,
      currency: payment.currency,
      occurredAt: at.toISOString(),
      data: {
        from,
        to,
        ...(input.requestId ? { requestId: input.requestId } : {}),
        pgAuthorizationId: payment.pgAuthorizationId,
        ...input.data,
      },
    };
    statements.push(insertOutboxEventStatement(topic, envelope));
  }
  return { from, to, statements, envelope };
}
