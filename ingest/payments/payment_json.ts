import type { PaymentEventRecord, PaymentRecord, RefundRecord } from "@pay/lib/db";

/** A refund as the API shows it (on its payment's `refunds` and at its own URL). */
export interface RefundJson {
  readonly refundId: string;
  readonly paymentId: string;
  readonly status: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason: string | null;
  readonly failureCode: string | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
}

export function refundJson(r: RefundRecord): RefundJson {
  return {
    refundId: r.id,
    paymentId: r.paymentId,
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    failureCode: r.failureCode,
    createdAt: r.createdAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
  };
}

/** The public Payment of DESIGN §3, with its metadata, mode and refunds (oldest first). */
export interface PaymentJson {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly status: string;
  readonly amount: number;
  readonly currency: string;
  readonly capturedAmount: number;
  readonly refundedAmount: number;
  readonly orderId: string | null;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  /** True for a live-mode payment (a `sk_live_` key's), false in test mode. */
  readonly livemode: boolean;
  readonly refunds: readonly RefundJson[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * The payment's JSON. `refunds` are its refund rows: a payment that was never
 * captured has none, so authorize, capture and cancel answers pass [].
 */
export function paymentJson(p: PaymentRecord, refunds: readonly RefundRecord[]): PaymentJson {
  return {
    paymentId: p.id,
    merchantId: p.merchantId,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    capturedAmount: p.capturedAmount,
    refundedAmount: p.refundedAmount,
    orderId: p.orderId,
    description: p.description,
    metadata: p.metadata ?? {},
    livemode: (p.mode ?? "live") === "live",
    refunds: refunds.map(refundJson),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export interface LedgerLineJson {
  readonly entryId: number;
  readonly entryType: string;
  readonly account: string;
  readonly direction: string;
  readonly amount: number;
  readonly currency: string;
  readonly at: string;
}

export function timelineJson(events: readonly PaymentEventRecord[]) {
  return events.map((e) => ({
    from: e.from,
    to: e.to,
    amount: e.amount,
    requestId: e.requestId,
    reason: e.reason,
    at: e.at.toISOString(),
  }));
}
