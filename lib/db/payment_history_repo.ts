import { rowsOf, runBatch, sql } from "./batch.ts";
import {
  paymentEventFromRow,
  type PaymentEventRecord,
  selectPaymentEventsStatement,
} from "./payment_event_repo.ts";
import {
  paymentFromRow,
  type PaymentOwner,
  type PaymentRecord,
  selectPaymentStatement,
} from "./payment_repo.ts";
import type { Db, Row } from "./port.ts";
import { refundFromRow, type RefundRecord, selectRefundsStatement } from "./refund_repo.ts";

/** One posting line of one of a payment's journal entries. */
export interface PaymentLedgerLine {
  readonly entryId: number;
  readonly entryType: string;
  readonly account: string;
  readonly direction: string;
  readonly amount: number;
  readonly currency: string;
  readonly at: Date;
}

/** A payment with its history rows, ledger lines and refunds, oldest first. */
export interface PaymentWithHistory {
  readonly payment: PaymentRecord;
  readonly events: readonly PaymentEventRecord[];
  readonly ledger: readonly PaymentLedgerLine[];
  readonly refunds: readonly RefundRecord[];
}

/**
 * The owner's payment with its timeline, ledger lines and refunds, read in
 * one round trip; undefined when the merchant has no such payment in the
 * owner's mode.
 */
export async function readPaymentWithHistory(
  pool: Db,
  owner: PaymentOwner,
  paymentId: string,
): Promise<PaymentWithHistory | undefined> {
  const [paymentRows, eventRows, ledgerRows, refundRows] = await runBatch(pool, [
    selectPaymentStatement(owner, paymentId),
    selectPaymentEventsStatement(paymentId),
    sql(
      `SELECT e.id AS entry_id, e.entry_type, l.account, l.direction, l.amount, l.currency, e.created_at
       FROM ledger_entry e JOIN ledger_line l ON l.entry_id = e.id
       WHERE e.payment_id = ? ORDER BY e.id, l.id`,
      paymentId,
    ),
    selectRefundsStatement([paymentId]),
  ]);
  const row = rowsOf<Row>(paymentRows)[0];
  if (!row) return undefined;
  return {
    payment: paymentFromRow(row),
    events: rowsOf<Row>(eventRows).map(paymentEventFromRow),
    ledger: rowsOf<Row>(ledgerRows).map((l) => ({
      entryId: Number(l.entry_id),
      entryType: l.entry_type,
      account: l.account,
      direction: l.direction,
      amount: Number(l.amount),
      currency: l.currency,
      at: l.created_at as Date,
    })),
    refunds: rowsOf<Row>(refundRows).map(refundFromRow),
  };
}
