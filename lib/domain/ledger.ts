import type { Currency } from "./currency.ts";
import { type EventEnvelope, type PaymentTopic, topics } from "./events.ts";
import type { EventId, MerchantId, PaymentId } from "./ids.ts";
import { isValidAmount, type MinorUnits } from "./money.ts";

/**
 * Double-entry posting rules (DESIGN §6). Pure: the ledger consumer turns an
 * event into at most one journal entry, and every entry balances.
 *
 * Accounts: `pg_clearing` is what the PG owes us for captured funds;
 * `merchant_payable:{merchantId}` is what we owe the merchant. A capture
 * debits clearing and credits the merchant; a refund reverses that for the
 * refunded amount.
 */
export const pgClearingAccount = "pg_clearing";

export function merchantPayableAccount(merchantId: string): string {
  return `merchant_payable:${merchantId}`;
}

export type LedgerDirection = "DEBIT" | "CREDIT";

export type LedgerEntryType = "capture" | "refund";

export interface LedgerLine {
  readonly account: string;
  readonly direction: LedgerDirection;
  readonly amount: MinorUnits;
}

export interface JournalEntry {
  /** The event this entry records; unique in the ledger. */
  readonly sourceEventId: EventId;
  readonly paymentId: PaymentId;
  readonly merchantId: MerchantId;
  readonly entryType: LedgerEntryType;
  readonly currency: Currency;
  readonly lines: readonly LedgerLine[];
}

/** The topics whose events move money, the only ones the ledger consumes. */
export const ledgerTopics: readonly PaymentTopic[] = Object.freeze([
  topics.captured,
  topics.refunded,
]);

/**
 * The journal entry an event posts, or null for events that move no money
 * (authorized, capture-requested, failures, cancel, expiry).
 */
export function journalEntryFor(topic: PaymentTopic, event: EventEnvelope): JournalEntry | null {
  if (!isValidAmount(event.amount)) {
    throw new RangeError(`Event amount is not a positive integer of minor units: ${event.amount}`);
  }
  const payable = merchantPayableAccount(event.merchantId);
  switch (topic) {
    case topics.captured:
      return balanced(event, "capture", pgClearingAccount, payable);
    case topics.refunded:
      return balanced(event, "refund", payable, pgClearingAccount);
    default:
      return null;
  }
}

function balanced(
  event: EventEnvelope,
  entryType: LedgerEntryType,
  debitAccount: string,
  creditAccount: string,
): JournalEntry {
  const amount = event.amount as MinorUnits;
  const entry: JournalEntry = {
    sourceEventId: event.eventId,
    paymentId: event.paymentId,
    merchantId: event.merchantId,
    entryType,
    currency: event.currency,
    lines: [
      { account: debitAccount, direction: "DEBIT", amount },
      { account: creditAccount, direction: "CREDIT", amount },
    ],
  };
  assertBalanced(entry);
  return entry;
}

/** Debits minus credits of `lines`: zero for a balanced entry. */
export function netOf(lines: readonly LedgerLine[]): number {
  return lines.reduce((net, l) => net + (l.direction === "DEBIT" ? l.amount : -l.amount), 0);
}

/** Fails loudly on an entry that does not balance: posting it would corrupt the books. */
export function assertBalanced(entry: JournalEntry): void {
  if (entry.lines.length < 2) {
    throw new Error(`Journal entry has fewer than two lines: ${entry.sourceEventId}`);
  }
  for (const line of entry.lines) {
    if (!isValidAmount(line.amount)) {
      throw new Error(`Journal line amount is not positive minor units: ${line.amount}`);
    }
  }
  const net = netOf(entry.lines);
  if (net !== 0) {
    throw new Error(`Journal entry does not balance: ${entry.sourceEventId} nets ${net}`);
  }
}
