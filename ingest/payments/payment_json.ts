import type { PaymentEventRecord, PaymentRecord } from "@pay/lib/db";

/** The public Payment of DESIGN §3. */
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
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function paymentJson(p: PaymentRecord): PaymentJson {
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
