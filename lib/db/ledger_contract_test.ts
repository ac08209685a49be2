/** Ledger repository contracts, on both adapters (harness: repository_contract.ts). */
import assert from "node:assert/strict";
import type {
  Currency,
  EventId,
  JournalEntry,
  MerchantId,
  MinorUnits,
  PaymentId,
} from "../domain/mod.ts";
import { merchantPayableAccount, pgClearingAccount } from "../domain/ledger.ts";
import { countHandledEvents } from "./consumer_inbox_repo.ts";
import { applyLedgerEvent, readLedgerEntries, verifyLedger } from "./ledger_repo.ts";
import { insertPaymentStatement, type PaymentRecord } from "./payment_repo.ts";
import { both, contract, nextId } from "./repository_contract.ts";
import { runTransactionBatch } from "./transaction.ts";

const group = "ledger";

function capture(paymentId: string, minor: number, merchantId = "m_ledger"): JournalEntry {
  const amount = minor as MinorUnits;
  return {
    sourceEventId: nextId("evt") as EventId,
    paymentId: paymentId as PaymentId,
    merchantId: merchantId as MerchantId,
    entryType: "capture",
    currency: "KRW" as Currency,
    lines: [
      { account: pgClearingAccount, direction: "DEBIT", amount },
      { account: merchantPayableAccount(merchantId), direction: "CREDIT", amount },
    ],
  };
}

function capturedPayment(id: string, amount: number): PaymentRecord {
  const at = new Date();
  return {
    id: id as PaymentId,
    merchantId: "m_ledger" as MerchantId,
    idempotencyKey: nextId("key"),
    status: "CAPTURED",
    amount,
    currency: "KRW" as Currency,
    capturedAmount: amount,
    refundedAmount: 0,
    orderId: null,
    description: null,
    pgAuthorizationId: "pg_auth",
    declineCode: null,
    authExpiresAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

contract("ledger: an event posts its entry and lines with its inbox row", both, async (db) => {
  const entry = capture(nextId("pay"), 9_007_199_254_740);
  assert.equal(await applyLedgerEvent(db, group, entry.sourceEventId, entry), "posted");
  const [read] = await readLedgerEntries(db, { paymentId: entry.paymentId });
  assert.equal(read?.sourceEventId, entry.sourceEventId);
  assert.equal(read?.entryType, "capture");
  assert.ok(read?.createdAt instanceof Date);
  assert.deepEqual(read?.lines, entry.lines);
  assert.equal(await countHandledEvents(db, group), 1);
  assert.equal(await applyLedgerEvent(db, group, nextId("evt"), null), "no_postings");
  assert.equal(await countHandledEvents(db, group), 2);
  assert.equal((await readLedgerEntries(db)).length, 1);
});

contract("ledger: one event applied twice, in turn or racing, posts once", both, async (db) => {
  const entry = capture(nextId("pay"), 700);
  assert.equal(await applyLedgerEvent(db, group, entry.sourceEventId, entry), "posted");
  assert.equal(await applyLedgerEvent(db, group, entry.sourceEventId, entry), "duplicate");
  const raced = capture(nextId("pay"), 300);
  const results = await Promise.all(
    Array.from({ length: 4 }, () => applyLedgerEvent(db, group, raced.sourceEventId, raced)),
  );
  assert.deepEqual(results.sort(), ["duplicate", "duplicate", "duplicate", "posted"]);
  const entries = await readLedgerEntries(db);
  assert.deepEqual(entries.map((e) => e.lines.length), [2, 2]);
  assert.equal(await countHandledEvents(db, group), 2);
});

contract("ledger: verification finds balanced books and each kind of fault", both, async (db) => {
  assert.deepEqual(await verifyLedger(db), {
    ok: true,
    entries: 0,
    unbalancedEntries: [],
    payableMismatches: [],
  });
  const paid = capturedPayment(nextId("pay"), 1_000);
  await runTransactionBatch(db, [insertPaymentStatement(paid)]);
  await applyLedgerEvent(db, group, nextId("evt"), capture(paid.id, 1_000));
  assert.deepEqual(await verifyLedger(db), {
    ok: true,
    entries: 1,
    unbalancedEntries: [],
    payableMismatches: [],
  });

  const stray = capture(nextId("pay"), 250, "m_stray");
  const lopsided: JournalEntry = {
    ...capture(nextId("pay"), 40),
    lines: [{ account: pgClearingAccount, direction: "DEBIT", amount: 40 as MinorUnits }],
  };
  await applyLedgerEvent(db, group, stray.sourceEventId, stray);
  await applyLedgerEvent(db, group, lopsided.sourceEventId, lopsided);
  const found = await verifyLedger(db);
  assert.equal(found.ok, false);
  assert.equal(found.entries, 3);
  assert.deepEqual(
    found.unbalancedEntries.map((e) => [e.sourceEventId, e.net, e.lineCount]),
    [[lopsided.sourceEventId, 40, 1]],
  );
  assert.deepEqual(found.payableMismatches, [
    { merchantId: "m_stray", currency: "KRW", ledgerPayable: 250, expectedPayable: 0 },
  ]);
});
