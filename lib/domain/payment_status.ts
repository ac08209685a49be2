/**
 * The payment state machine (DESIGN §4): eleven states and one transition table.
 *
 * This module is the only place transitions are defined. SQL enforces the same
 * table with conditional updates (`UPDATE ... WHERE status IN (...)`), built
 * from `sourcesOf` so the two never drift.
 */
export const paymentStatuses = [
  "AUTHORIZED",
  "AUTH_FAILED",
  "CANCELLED",
  "EXPIRED",
  "CAPTURE_REQUESTED",
  "CAPTURED",
  "CAPTURE_FAILED",
  "REFUND_REQUESTED",
  "PARTIALLY_REFUNDED",
  "REFUNDED",
  "REFUND_FAILED",
] as const;

export type PaymentStatus = typeof paymentStatuses[number];

/** What moves a payment from one state to another. */
export type PaymentAction =
  | "capture"
  | "capture_succeeded"
  | "capture_failed"
  | "cancel"
  | "expire"
  | "refund"
  | "refund_succeeded_partially"
  | "refund_succeeded_fully"
  | "refund_failed";

interface Transition {
  readonly from: PaymentStatus;
  readonly action: PaymentAction;
  readonly to: PaymentStatus;
}

export const transitions: readonly Transition[] = Object.freeze([
  { from: "AUTHORIZED", action: "capture", to: "CAPTURE_REQUESTED" },
  { from: "AUTHORIZED", action: "cancel", to: "CANCELLED" },
  { from: "AUTHORIZED", action: "expire", to: "EXPIRED" },
  { from: "CAPTURE_REQUESTED", action: "capture_succeeded", to: "CAPTURED" },
  { from: "CAPTURE_REQUESTED", action: "capture_failed", to: "CAPTURE_FAILED" },
  { from: "CAPTURED", action: "refund", to: "REFUND_REQUESTED" },
  { from: "PARTIALLY_REFUNDED", action: "refund", to: "REFUND_REQUESTED" },
  { from: "REFUND_REQUESTED", action: "refund_succeeded_partially", to: "PARTIALLY_REFUNDED" },
  { from: "REFUND_REQUESTED", action: "refund_succeeded_fully", to: "REFUNDED" },
  { from: "REFUND_REQUESTED", action: "refund_failed", to: "REFUND_FAILED" },
]);

/** States no action leaves. */
export const finalStatuses: ReadonlySet<PaymentStatus> = new Set(
  paymentStatuses.filter((status) => !transitions.some((t) => t.from === status)),
);

export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === "string" && (paymentStatuses as readonly string[]).includes(value);
}

/** The state `action` leads to from `from`, or undefined when the action is not allowed there. */
export function nextStatus(from: PaymentStatus, action: PaymentAction): PaymentStatus | undefined {
  return transitions.find((t) => t.from === from && t.action === action)?.to;
}

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return transitions.some((t) => t.from === from && t.to === to);
}

/** Every state from which `action` is allowed. */
export function sourcesOf(action: PaymentAction): PaymentStatus[] {
  return transitions.filter((t) => t.action === action).map((t) => t.from);
}

/** The target state of `action` (the same from every source state). */
export function targetOf(action: PaymentAction): PaymentStatus {
  const targets = new Set(transitions.filter((t) => t.action === action).map((t) => t.to));
  if (targets.size !== 1) throw new Error(`Action has no single target state: ${action}`);
  return [...targets][0]!;
}

/** Throws when a transition is not in the table: a programmer error, never a user one. */
export function assertTransition(from: PaymentStatus, to: PaymentStatus): void {
  if (!canTransition(from, to)) throw new Error(`Forbidden payment transition: ${from} -> ${to}`);
}
