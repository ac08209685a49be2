/**
 * What the checks read: one scenario's rows from the private database and
 * the PG's records, as plain data, so the checks are pure functions.
 */

export interface PaymentRow {
  readonly id: string;
  readonly merchantId: string;
  readonly idempotencyKey: string;
  readonly status: string;
  readonly amount: number;
  readonly capturedAmount: number;
  readonly refundedAmount: number;
  readonly pgAuthorizationId: string | null;
  readonly authExpiresAtMs: number | null;
}

/** A payment_event row of a transition into a final state. */
export interface EventRow {
  readonly paymentId: string;
  readonly toStatus: string;
  readonly atMs: number;
}

export interface RequestRow {
  readonly kind: "capture" | "refund" | "void";
  readonly id: string;
  readonly paymentId: string;
  readonly merchantId: string;
  readonly status: string;
  readonly amount: number;
  readonly pgCode: string | null;
}

/** Net credit of `merchant_payable:{merchant}` lines of one payment's journal entries. */
export interface LedgerPaymentRow {
  readonly paymentId: string;
  readonly payable: number;
}

export interface UnbalancedEntryRow {
  readonly entryId: number;
  readonly paymentId: string;
  readonly net: number;
  readonly lineCount: number;
}

export interface MerchantPayableRow {
  readonly merchantId: string;
  readonly balance: number;
}

/** An outbox row still NEW or DEAD. */
export interface OutboxRow {
  readonly id: number;
  readonly paymentId: string;
  readonly topic: string;
  readonly status: string;
  readonly attempts: number;
}

export interface DlqRow {
  readonly id: number;
  readonly paymentId: string;
  readonly originalTopic: string;
  readonly errorType: string;
  readonly errorMessage: string;
}

/** An authorization the PG approved, with its status now. */
export interface PgAuthorizationRow {
  readonly id: string;
  readonly merchantId: string;
  /** Our payment id, as we sent it. */
  readonly reference: string;
  readonly status: "APPROVED" | "DECLINED" | "CAPTURED" | "CANCELLED";
  readonly amount: number;
}

/** A capture, refund or cancel the PG did. */
export interface PgOperationRow {
  readonly type: "capture" | "refund" | "cancel";
  readonly pgId: string;
  readonly authorizationId: string;
  readonly amount: number;
  readonly atMs: number;
}

export interface ScenarioState {
  readonly merchantIds: readonly string[];
  readonly payments: readonly PaymentRow[];
  readonly finalEvents: readonly EventRow[];
  readonly requests: readonly RequestRow[];
  readonly ledgerByPayment: readonly LedgerPaymentRow[];
  readonly unbalancedEntries: readonly UnbalancedEntryRow[];
  readonly merchantPayables: readonly MerchantPayableRow[];
  readonly outboxPending: readonly OutboxRow[];
  readonly deadLetters: readonly DlqRow[];
  readonly pgAuthorizations: readonly PgAuthorizationRow[];
  readonly pgOperations: readonly PgOperationRow[];
  readonly readAtMs: number;
}

/** Statuses a payment_event row leads into that end an operation. */
export const finalStatuses = [
  "CAPTURED",
  "CAPTURE_FAILED",
  "PARTIALLY_REFUNDED",
  "REFUNDED",
  "REFUND_FAILED",
  "CANCELLED",
  "EXPIRED",
] as const;
