import type { RowDataPacket } from "mysql2/promise";
import {
  listPayments,
  paymentEventFromRow,
  paymentFromRow,
  type Pool,
  rowsOf,
  runBatch,
  selectPaymentEventsStatement,
  selectPaymentStatement,
  sql,
} from "@pay/lib/db";
import { NotFoundError, type PaymentStatus } from "@pay/lib/domain";
import { type LedgerLineJson, paymentJson, timelineJson } from "./payment_json.ts";

/** One payment with its timeline and ledger lines, read in one round trip. */
export async function getPayment(pool: Pool, merchantId: string, paymentId: string) {
  const [paymentRows, eventRows, ledgerRows] = await runBatch(pool, [
    selectPaymentStatement(merchantId, paymentId),
    selectPaymentEventsStatement(paymentId),
    sql(
      `SELECT e.id AS entry_id, e.entry_type, l.account, l.direction, l.amount, l.currency, e.created_at
       FROM ledger_entry e JOIN ledger_line l ON l.entry_id = e.id
       WHERE e.payment_id = ? ORDER BY e.id, l.id`,
      paymentId,
    ),
  ]);
  const row = rowsOf<RowDataPacket>(paymentRows)[0];
  if (!row) throw new NotFoundError(`No such payment: ${paymentId}`, paymentId);
  const ledger: LedgerLineJson[] = rowsOf<RowDataPacket>(ledgerRows).map((l) => ({
    entryId: Number(l.entry_id),
    entryType: l.entry_type,
    account: l.account,
    direction: l.direction,
    amount: Number(l.amount),
    currency: l.currency,
    at: (l.created_at as Date).toISOString(),
  }));
  return {
    ...paymentJson(paymentFromRow(row)),
    events: timelineJson(rowsOf<RowDataPacket>(eventRows).map(paymentEventFromRow)),
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
  pool: Pool,
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
