import {
  type Db,
  listPayments,
  type ListPaymentsQuery,
  listRefundsOfPayments,
  type PaymentOwner,
  readPaymentWithHistory,
  readRefund,
} from "@pay/lib/db";
import { NotFoundError } from "@pay/lib/domain";
import { type LedgerLineJson, paymentJson, refundJson, timelineJson } from "./payment_json.ts";

/** One payment with its timeline, ledger lines and refunds, read in one round trip. */
export async function getPayment(db: Db, owner: PaymentOwner, paymentId: string) {
  const detail = await readPaymentWithHistory(db, owner, paymentId);
  if (!detail) throw new NotFoundError(`No such payment: ${paymentId}`, paymentId);
  const ledger: LedgerLineJson[] = detail.ledger.map((l) => ({ ...l, at: l.at.toISOString() }));
  return {
    ...paymentJson(detail.payment, detail.refunds),
    events: timelineJson(detail.events),
    ledger,
  };
}

/** One refund of the owner's payment. */
export async function getRefund(
  db: Db,
  owner: PaymentOwner,
  paymentId: string,
  refundId: string,
) {
  const refund = await readRefund(db, owner, paymentId, refundId);
  if (!refund) {
    throw new NotFoundError(`No such refund of payment ${paymentId}: ${refundId}`, paymentId);
  }
  return refundJson(refund);
}

/** The cursor is the last id of a page, opaque to clients. */
export function encodeCursor(paymentId: string): string {
  return btoa(paymentId).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

export function decodeCursor(cursor: string): string | undefined {
  try {
    const id = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    return /^pay_[0-9a-z]{26}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The list's filters: every given one applies. */
export type PaymentListFilters = Omit<ListPaymentsQuery, "merchantId" | "mode">;

/** The owner's payments, newest first, each with its refunds (one more query for the page). */
export async function listMerchantPayments(
  db: Db,
  owner: PaymentOwner,
  query: PaymentListFilters,
) {
  // One extra row tells whether another page exists without a COUNT.
  const rows = await listPayments(db, { ...query, ...owner, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const refunds = await listRefundsOfPayments(db, page.map((p) => p.id));
  const last = page.at(-1);
  return {
    data: page.map((p) => paymentJson(p, refunds.get(p.id) ?? [])),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
  };
}
