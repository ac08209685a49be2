/**
 * The part of a payment the order page shows, shared by the server and the
 * OrderStatus island (so it imports nothing heavy: it ships to browsers).
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

export const statusLabels: Readonly<Record<PaymentStatus, string>> = {
  AUTHORIZED: "Authorized",
  AUTH_FAILED: "Declined",
  CANCELLED: "Cancelled",
  EXPIRED: "Authorization expired",
  CAPTURE_REQUESTED: "Capture requested",
  CAPTURED: "Paid",
  CAPTURE_FAILED: "Capture failed",
  REFUND_REQUESTED: "Refund requested",
  PARTIALLY_REFUNDED: "Partially refunded",
  REFUNDED: "Refunded",
  REFUND_FAILED: "Refund failed",
};

/** What each transition means to a shopper, by its target state. */
export const stepLabels: Readonly<Record<PaymentStatus, string>> = {
  AUTHORIZED: "Payment authorized",
  AUTH_FAILED: "Card declined",
  CANCELLED: "Order cancelled, authorization released",
  EXPIRED: "Authorization expired",
  CAPTURE_REQUESTED: "Capture requested",
  CAPTURED: "Payment captured",
  CAPTURE_FAILED: "Capture failed",
  REFUND_REQUESTED: "Refund requested",
  PARTIALLY_REFUNDED: "Partial refund completed",
  REFUNDED: "Refund completed",
  REFUND_FAILED: "Refund failed",
};

/** `2025-11-24 01:32:05 UTC`: the same text on the server and in any browser's time zone. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
