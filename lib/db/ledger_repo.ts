import type { JournalEntry } from "../domain/ledger.ts";
import { sql, type Statement } from "./batch.ts";
import { runTransactionBatch } from "./transaction.ts";
import { isDuplicateKey } from "./db_errors.ts";
import { insertedId } from "./dialect.ts";
import type { Db, Dialect, Row } from "./port.ts";

/** What applying one event did to the ledger. */
export type LedgerApplyResult = "posted" | "no_postings" | "duplicate";

/**
 * Records that `group` handled `eventId` and posts `entry` (if any) in ONE
 * transaction, sent in one round trip. A duplicate inbox key means the event
 * was applied before: nothing changes, and the caller acknowledges it.
 */
export async function applyLedgerEvent(
  pool: Db,
  group: string,
  eventId: string,
  entry: JournalEntry | null,
): Promise<LedgerApplyResult> {
  const statements: Statement[] = [
    sql(
      "INSERT INTO consumer_inbox (consumer_group, event_id, processed_at) VALUES (?, ?, NOW(3))",
      group,
      eventId,
    ),
  ];
  if (entry) statements.push(...postingStatements(pool.dialect, entry));
  try {
    await runTransactionBatch(pool, statements);
  } catch (error) {
    if (isDuplicateKey(error)) return "duplicate";
    throw error;
  }
  return entry ? "posted" : "no_postings";
}

function postingStatements(dialect: Dialect, entry: JournalEntry): Statement[] {
  const entryId = insertedId(dialect, "ledger_entry_id", {
    table: "ledger_entry",
    keyColumn: "source_event_id",
    keyValue: entry.sourceEventId,
  });
  const lineValues = entry.lines.map(() => `(${entryId.ref}, ?, ?, ?, ?)`).join(", ");
  return [
    sql(
      `INSERT INTO ledger_entry (source_event_id, payment_id, merchant_id, entry_type, currency, created_at)
       VALUES (?, ?, ?, ?, ?, NOW(3))`,
      entry.sourceEventId,
      entry.paymentId,
      entry.merchantId,
      entry.entryType,
      entry.currency,
    ),
    ...entryId.capture,
    sql(
      `INSERT INTO ledger_line (entry_id, account, direction, amount, currency) VALUES ${lineValues}`,
      ...entry.lines.flatMap((l) => [
        ...entryId.refParams,
        l.account,
        l.direction,
        l.amount,
        entry.currency,
      ]),
    ),
  ];
}

export interface LedgerEntryView {
  readonly sourceEventId: string;
  readonly paymentId: string;
  readonly merchantId: string;
  readonly entryType: string;
  readonly currency: string;
  readonly createdAt: Date;
  readonly lines: ReadonlyArray<{ account: string; direction: string; amount: number }>;
}

/** Upper bound of entries one read returns; a payment has a handful. */
export const ledgerEntriesReadMax = 10_000;

/** Journal entries with their lines, oldest first; one payment's, or all (tests, ops). */
export async function readLedgerEntries(
  pool: Db,
  filter: { readonly paymentId?: string } = {},
): Promise<LedgerEntryView[]> {
  const rows = await pool.query(sql(
    `SELECT e.id, e.source_event_id, e.payment_id, e.merchant_id, e.entry_type, e.currency,
            e.created_at, l.account, l.direction, l.amount
     FROM (SELECT * FROM ledger_entry ${filter.paymentId ? "WHERE payment_id = ?" : ""}
           ORDER BY id LIMIT ?) e
     JOIN ledger_line l ON l.entry_id = e.id ORDER BY e.id, l.id`,
    ...(filter.paymentId ? [filter.paymentId, ledgerEntriesReadMax] : [ledgerEntriesReadMax]),
  ));
  const byId = new Map<number, LedgerEntryView & { lines: LedgerEntryView["lines"][number][] }>();
  for (const r of rows) {
    let entry = byId.get(Number(r.id));
    if (!entry) {
      entry = {
        sourceEventId: r.source_event_id,
        paymentId: r.payment_id,
        merchantId: r.merchant_id,
        entryType: r.entry_type,
        currency: r.currency,
        createdAt: r.created_at,
        lines: [],
      };
      byId.set(Number(r.id), entry);
    }
    entry.lines.push({ account: r.account, direction: r.direction, amount: Number(r.amount) });
  }
  return [...byId.values()];
}

export interface UnbalancedEntry {
  readonly entryId: number;
  readonly sourceEventId: string;
  /** Debits minus credits. */
  readonly net: number;
  readonly lineCount: number;
}

export interface PayableMismatch {
  readonly merchantId: string;
  readonly currency: string;
  /** Credits minus debits of `merchant_payable:{merchantId}`. */
  readonly ledgerPayable: number;
  /** Sum of captured minus refunded amounts of the merchant's payments. */
  readonly expectedPayable: number;
}

export interface LedgerVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly unbalancedEntries: readonly UnbalancedEntry[];
  readonly payableMismatches: readonly PayableMismatch[];
}

/**
 * Checks the books: every entry balances (two or more lines, debits = credits,
 * lines in the entry's currency), and each merchant's payable balance equals
 * captured − refunded in the payment table. Scans the ledger: for tests and
 * operators, not hot paths. Right after a capture the ledger may trail the
 * payment table until the consumer catches up; callers compare again then.
 */
export async function verifyLedger(pool: Db): Promise<LedgerVerification> {
  const [[counted], unbalanced, payables, expected] = await Promise.all([
    pool.query(sql("SELECT COUNT(*) AS entries FROM ledger_entry")),
    pool.query(sql(
      `SELECT e.id, e.source_event_id,
              COALESCE(SUM(CASE l.direction WHEN 'DEBIT' THEN l.amount ELSE -l.amount END), 0) AS net,
              COUNT(l.id) AS line_count,
              COALESCE(SUM(l.currency <> e.currency), 0) AS foreign_lines
       FROM ledger_entry e LEFT JOIN ledger_line l ON l.entry_id = e.id
       GROUP BY e.id, e.source_event_id
       HAVING net <> 0 OR line_count < 2 OR foreign_lines > 0`,
    )),
    pool.query(sql(
      `SELECT SUBSTRING(account, ${payablePrefix.length + 1}) AS merchant_id, currency,
              SUM(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS balance
       FROM ledger_line WHERE account >= ? AND account < ? GROUP BY account, currency`,
      payablePrefix,
      payablePrefixEnd,
    )),
    pool.query(sql(
      `SELECT merchant_id, currency, SUM(captured_amount - refunded_amount) AS balance
       FROM payment WHERE captured_amount > 0 GROUP BY merchant_id, currency`,
    )),
  ]);
  const payableMismatches = comparePayables(payables, expected);
  const unbalancedEntries = unbalanced.map((r) => ({
    entryId: Number(r.id),
    sourceEventId: r.source_event_id,
    net: Number(r.net),
    lineCount: Number(r.line_count),
  }));
  return {
    ok: unbalancedEntries.length === 0 && payableMismatches.length === 0,
    entries: Number(counted?.entries ?? 0),
    unbalancedEntries,
    payableMismatches,
  };
}

const payablePrefix = "merchant_payable:";
/** The first string after every `merchant_payable:…` (':' + 1 is ';'): a range both dialects index. */
const payablePrefixEnd = "merchant_payable;";

function comparePayables(ledger: Row[], payments: Row[]): PayableMismatch[] {
  const balances = new Map<string, { ledger: number; expected: number }>();
  const at = (merchantId: string, currency: string) => {
    const key = `${merchantId}\n${currency}`;
    let b = balances.get(key);
    if (!b) balances.set(key, b = { ledger: 0, expected: 0 });
    return b;
  };
  for (const r of ledger) at(r.merchant_id, r.currency).ledger += Number(r.balance);
  for (const r of payments) at(r.merchant_id, r.currency).expected += Number(r.balance);
  const mismatches: PayableMismatch[] = [];
  for (const [key, b] of balances) {
    if (b.ledger === b.expected) continue;
    const [merchantId, currency] = key.split("\n") as [string, string];
    mismatches.push({ merchantId, currency, ledgerPayable: b.ledger, expectedPayable: b.expected });
  }
  return mismatches;
}
