import { type Db, listPayments, readPaymentWithHistory } from "@pay/lib/db";
import { NotFoundError, type PaymentStatus } from "@pay/lib/domain";
import { type LedgerLineJson, paymentJson, timelineJson } from "./payment_json.ts";

/** One payment with its timeline and ledger lines, read in one round trip. */
export async function getPayment(pool: Db, merchantId: string, paymentId: string) {
  const detail = await readPaymentWithHistory(pool, merchantId, paymentId);
  if (!detail) throw new NotFoundError(`No such payment: ${paymentId}`, paymentId);
  const ledger: LedgerLineJson[] = detail.ledger.map((l) => ({ ...l, at: l.at.toISOString() }));
  return {
    ...paymentJson(detail.payment),
    events: timelineJson(detail.events),
    ledger,
  };
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

export async function listMerchantPayments(
  pool: Db,
  merchantId: string,
  query: { status?: PaymentStatus; limit: number; beforeId?: string },
) {
  // One extra row tells whether another page exists without a COUNT.
  const rows = await listPayments(pool, { merchantId, ...query, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(paymentJson),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
  };
}
