import {
  type Db,
  type LedgerEntryView,
  type LedgerVerification,
  readLedgerEntries,
  verifyLedger,
} from "@pay/lib/db";

/** Whether the books balance: every entry, and each merchant's payable against the payments. */
export function ledgerCheck(pool: Db): Promise<LedgerVerification> {
  return verifyLedger(pool);
}

export interface LedgerLookup {
  readonly paymentId: string;
  readonly entries: readonly LedgerEntryView[];
  /** Net per account and currency over these entries: debits positive, credits negative. */
  readonly balances: ReadonlyArray<{ account: string; currency: string; net: number }>;
}

/** One payment's journal entries with their lines, and what they moved per account. */
export async function ledgerLookup(pool: Db, paymentId: string): Promise<LedgerLookup> {
  const entries = await readLedgerEntries(pool, { paymentId });
  const nets = new Map<string, { account: string; currency: string; net: number }>();
  for (const entry of entries) {
    for (const line of entry.lines) {
      const key = `${line.account}\n${entry.currency}`;
      const b = nets.get(key) ?? { account: line.account, currency: entry.currency, net: 0 };
      b.net += line.direction === "DEBIT" ? line.amount : -line.amount;
      nets.set(key, b);
    }
  }
  return { paymentId, entries, balances: [...nets.values()] };
}
