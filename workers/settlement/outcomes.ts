import {
  type ClaimedPgRequest,
  completeLockedPgRequest,
  completeVoidRequest,
  type Db,
  type LockedSettlement,
  planTransition,
  type SettlementWrite,
} from "@pay/lib/db";
import type { PaymentAction, PaymentStatus } from "@pay/lib/domain";

/** The state the payment must be in while its capture or refund request is PENDING. */
const requestedStatusOf = { capture: "CAPTURE_REQUESTED", refund: "REFUND_REQUESTED" } as const;

/** What a completion changed, for metrics and logs: the payment's transition (none for a void). */
export interface Completion {
  readonly transition: { readonly from: PaymentStatus; readonly to: PaymentStatus } | null;
}

/**
 * Records a PG success. A void: request SUCCESS, nothing else. A capture or
 * refund, in one transaction: request SUCCESS with the PG id, the payment
 * CAPTURED (captured_amount = the request amount) or
 * PARTIALLY_REFUNDED / REFUNDED (refunded_amount raised), and
 * `payment.captured` / `payment.refunded` in the outbox. Undefined when the
 * request was already completed (by a racing worker).
 */
export async function recordSuccess(
  pool: Db,
  request: ClaimedPgRequest,
  pgId: string,
  at: Date,
): Promise<Completion | undefined> {
  const { kind } = request;
  if (kind === "void") {
    const done = await completeVoidRequest(pool, request.id, { status: "SUCCESS", pgId, at });
    return done ? { transition: null } : undefined;
  }
  const write = await completeLockedPgRequest(pool, kind, request, (locked) => {
    if (locked.requestStatus !== "PENDING") return undefined;
    assertRequested(locked, kind, request.id);
    const { payment } = locked;
    const transition = kind === "capture"
      ? planTransition({
        payment,
        action: "capture_succeeded",
        amount: request.amount,
        capturedAmount: request.amount,
        requestId: request.id,
        data: { pgTransactionId: pgId },
        at,
      })
      : refundTransition(locked, request, pgId, at);
    return { outcome: { status: "SUCCESS", pgId, at }, transition };
  });
  return completionOf(write);
}

function refundTransition(
  { payment }: LockedSettlement,
  request: ClaimedPgRequest,
  pgRefundId: string,
  at: Date,
) {
  const refundedAmountTotal = payment.refundedAmount + request.amount;
  if (refundedAmountTotal > payment.capturedAmount) {
    throw new Error(
      `Refund exceeds the captured amount ${payment.capturedAmount}: ${request.id} brings it to ${refundedAmountTotal}`,
    );
  }
  const action: PaymentAction = refundedAmountTotal < payment.capturedAmount
    ? "refund_succeeded_partially"
    : "refund_succeeded_fully";
  return planTransition({
    payment,
    action,
    amount: request.amount,
    refundedAmount: refundedAmountTotal,
    requestId: request.id,
    data: { pgRefundId, refundedAmountTotal },
    at,
  });
}

/**
 * Records a final failure. A void: request FAILED, nothing else (the payment
 * stays CANCELLED or EXPIRED). A capture or refund, in one transaction:
 * request FAILED with the code, the payment CAPTURE_FAILED or REFUND_FAILED,
 * and `payment.capture-failed` / `payment.refund-failed` in the outbox.
 * Undefined when the request was already completed.
 */
export async function recordFailure(
  pool: Db,
  request: ClaimedPgRequest,
  failure: { readonly errorCode: string; readonly error: string },
  at: Date,
): Promise<Completion | undefined> {
  const { kind } = request;
  const outcome = {
    status: "FAILED" as const,
    pgCode: failure.errorCode,
    error: failure.error,
    at,
  };
  if (kind === "void") {
    return await completeVoidRequest(pool, request.id, outcome) ? { transition: null } : undefined;
  }
  const write = await completeLockedPgRequest(pool, kind, request, (locked) => {
    if (locked.requestStatus !== "PENDING") return undefined;
    assertRequested(locked, kind, request.id);
    const transition = planTransition({
      payment: locked.payment,
      action: kind === "capture" ? "capture_failed" : "refund_failed",
      amount: request.amount,
      requestId: request.id,
      reason: failure.errorCode,
      data: { errorCode: failure.errorCode },
      at,
    });
    return { outcome, transition };
  });
  return completionOf(write);
}

/**
 * A PENDING request means its payment waits in CAPTURE_REQUESTED or
 * REFUND_REQUESTED: ingest moves the payment and writes the request in one
 * transaction, and only this worker moves it on.
 */
function assertRequested(
  locked: LockedSettlement,
  kind: "capture" | "refund",
  requestId: string,
): void {
  const expected = requestedStatusOf[kind];
  if (locked.payment.status !== expected) {
    throw new Error(
      `Payment of a PENDING ${kind} request is ${locked.payment.status}, not ${expected}: ${requestId}`,
    );
  }
}

function completionOf(write: SettlementWrite | undefined): Completion | undefined {
  return write && { transition: { from: write.transition.from, to: write.transition.to } };
}
