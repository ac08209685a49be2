import assert from "node:assert/strict";
import type { EventEnvelope, EventId, MerchantId, PaymentId } from "./mod.ts";
import { topics } from "./events.ts";
import { minorUnits } from "./money.ts";
import {
  assertBalanced,
  journalEntryFor,
  merchantPayableAccount,
  netOf,
  pgClearingAccount,
} from "./ledger.ts";

function envelope(amount: number): EventEnvelope {
  return {
    eventId: "evt_1" as EventId,
    type: "captured",
    paymentId: "pay_1" as PaymentId,
    merchantId: "M123" as MerchantId,
    amount,
    currency: "KRW",
    occurredAt: new Date(0).toISOString(),
    data: {},
  };
}

Deno.test("a capture debits PG clearing and credits the merchant payable", () => {
  const entry = journalEntryFor(topics.captured, envelope(10_000));
  assert.ok(entry);
  assert.equal(entry.entryType, "capture");
  assert.deepEqual(entry.lines, [
    { account: pgClearingAccount, direction: "DEBIT", amount: 10_000 },
    { account: merchantPayableAccount("M123"), direction: "CREDIT", amount: 10_000 },
  ]);
  assert.equal(netOf(entry.lines), 0);
});

Deno.test("a refund reverses the capture posting for the refunded amount", () => {
  const entry = journalEntryFor(topics.refunded, envelope(2_500));
  assert.ok(entry);
  assert.equal(entry.entryType, "refund");
  assert.deepEqual(entry.lines.map((l) => [l.account, l.direction, l.amount]), [
    ["merchant_payable:M123", "DEBIT", 2_500],
    ["pg_clearing", "CREDIT", 2_500],
  ]);
});

Deno.test("events that move no money post nothing", () => {
  for (
    const topic of [
      topics.authorized,
      topics.captureRequested,
      topics.captureFailed,
      topics.refundRequested,
      topics.refundFailed,
      topics.cancelled,
      topics.expired,
    ]
  ) {
    assert.equal(journalEntryFor(topic, envelope(1)), null, topic);
  }
});

Deno.test("an unbalanced or non-positive entry is refused", () => {
  const entry = journalEntryFor(topics.captured, envelope(100))!;
  assert.throws(
    () =>
      assertBalanced({
        ...entry,
        lines: [entry.lines[0]!, { ...entry.lines[1]!, amount: minorUnits(99) }],
      }),
    /does not balance: evt_1 nets 1/,
  );
  assert.throws(() => journalEntryFor(topics.captured, envelope(0)), /positive integer/);
  assert.throws(() => journalEntryFor(topics.captured, envelope(1.5)), /positive integer/);
});
