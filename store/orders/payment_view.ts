/**
 * The part of a payment the order page shows, and the rules of what a
 * shopper may do with it (DESIGN §4). Server side: the island receives a
 * view already written in the shopper's language (orders/status_view.ts).
 */
import type { PaymentStatus } from "@pay/lib/domain";

export interface TimelineView {
  readonly from: PaymentStatus | null;
  readonly to: PaymentStatus;
  readonly amount: number | null;
  readonly at: string;
}

export interface PaymentView {
  readonly paymentId: string;
  readonly status: PaymentStatus;
  readonly amount: number;
  readonly currency: string;
  readonly capturedAmount: number;
  readonly refundedAmount: number;
  /** When the payment was last changed (`updatedAt`), when known. */
  readonly asOf?: string;
  readonly events: readonly TimelineView[];
}

/** Statuses the settlement worker moves on by itself: the order page keeps listening. */
export function isInFlight(status: PaymentStatus): boolean {
  return status === "CAPTURE_REQUESTED" || status === "REFUND_REQUESTED";
}

export function refundableAmount(payment: PaymentView): number {
  return Math.max(0, payment.capturedAmount - payment.refundedAmount);
}

/** What the shopper may do in the payment's current state (DESIGN §4). */
export function allowedActions(payment: PaymentView): {
  capture: boolean;
  cancel: boolean;
  refund: boolean;
} {
  const authorized = payment.status === "AUTHORIZED";
  const refundable = payment.status === "CAPTURED" || payment.status === "PARTIALLY_REFUNDED";
  return {
    capture: authorized,
    cancel: authorized,
    refund: refundable && refundableAmount(payment) > 0,
  };
}
