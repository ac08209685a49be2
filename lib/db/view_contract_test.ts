/**
 * Contracts of the read views and bulk helpers, on both adapters (harness:
 * repository_contract.ts): a payment's history, states and status counts,
 * statistics, PG request views, merchant retirement, bulk seed rows, row
 * counts and the readiness ping.
 */
import assert from "node:assert/strict";
import type {
  Currency,
  EventEnvelope,
  EventId,
  MerchantId,
  MinorUnits,
  PaymentId,
  PaymentStatus,
} from "../domain/mod.ts";
import { merchantPayableAccount, pgClearingAccount } from "../domain/ledger.ts";
import { insertCapturedPaymentRows, insertDueOutboxRows } from "./bulk_seed_repo.ts";
import { insertIdempotencyRecordStatement } from "./idempotency_repo.ts";
import { applyLedgerEvent } from "./ledger_repo.ts";
import { createApiKey, createMerchant, findApiKey } from "./merchant_repo.ts";
import {
  deleteMerchants,
  liveMerchantsWithPrefixes,
  merchantsNamedWith,
  merchantsWithoutHistory,
  revokeMerchantsKeys,
  setMerchantsStatus,
} from "./merchant_retirement_repo.ts";
import { claimDueOutbox } from "./outbox_relay_repo.ts";
import { readOutboxEnvelopes } from "./outbox_repo.ts";
import { insertPaymentEventStatement } from "./payment_event_repo.ts";
import { readPaymentWithHistory } from "./payment_history_repo.ts";
import { insertPaymentStatement, type PaymentRecord, readPaymentById } from "./payment_repo.ts";
import { paymentTotalsByStatus } from "./payment_statistics_repo.ts";
import {
  countPaymentsInStatuses,
  paymentCountsByStatus,
  paymentStatesByIds,
} from "./payment_status_repo.ts";
import { listPgRequestsOfPayment, readPgRequestState } from "./pg_request_view_repo.ts";
import type { Db } from "./port.ts";
import { both, contract, nextId } from "./repository_contract.ts";
import { insertRefundRequestStatement, insertSettlementRequestStatement } from "./request_repo.ts";
import { pingDatabase } from "./server.ts";
import { completePgRequestStatement, insertVoidRequest } from "./settlement_repo.ts";
import { countRows } from "./table_count.ts";
import { runTransactionBatch } from "./transaction.ts";

const t0 = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const at = (ms: number) => new Date(t0.getTime() + ms);

function payment(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    id: nextId("pay") as PaymentId,
    merchantId: "m_view" as MerchantId,
    idempotencyKey: nextId("key"),
    status: "AUTHORIZED" as PaymentStatus,
    amount: 5_000,
    currency: "KRW" as Currency,
    capturedAmount: 0,
    refundedAmount: 0,
    orderId: null,
    description: null,
    pgAuthorizationId: "pg_auth_1",
    declineCode: null,
    authExpiresAt: null,
    createdAt: t0,
    updatedAt: t0,
    mode: "test",
    metadata: { order: "42" },
    ...overrides,
  };
}

async function insertPayments(db: Db, ...payments: PaymentRecord[]): Promise<void> {
  await runTransactionBatch(db, payments.map(insertPaymentStatement));
}

const status = (s: string) => s as PaymentStatus;

contract(
  "payment history: the payment, its timeline and ledger lines, oldest first",
  both,
  async (db) => {
    const p = payment({ status: status("CAPTURED"), capturedAmount: 5_000 });
    const events = [
      { paymentId: p.id, from: null, to: status("AUTHORIZED"), amount: 5_000, at: at(0) },
      {
        paymentId: p.id,
        from: status("AUTHORIZED"),
        to: status("CAPTURED"),
        amount: 5_000,
        at: at(1),
      },
    ].map((e) => ({ ...e, requestId: null, reason: null }));
    await runTransactionBatch(db, [
      insertPaymentStatement(p),
      ...events.map(insertPaymentEventStatement),
    ]);
    const amount = 5_000 as MinorUnits;
    await applyLedgerEvent(db, "ledger", nextId("evt"), {
      sourceEventId: nextId("evt") as EventId,
      paymentId: p.id,
      merchantId: p.merchantId,
      entryType: "capture",
      currency: p.currency,
      lines: [
        { account: pgClearingAccount, direction: "DEBIT", amount },
        { account: merchantPayableAccount(p.merchantId), direction: "CREDIT", amount },
      ],
    });

    const owner = { merchantId: "m_view", mode: "test" } as const;
    const read = await readPaymentWithHistory(db, owner, p.id);
    assert.deepEqual(read?.payment, p);
    assert.deepEqual(read?.events, events);
    assert.deepEqual(
      read?.ledger.map((l) => [l.entryType, l.account, l.direction, l.amount, l.currency]),
      [
        ["capture", pgClearingAccount, "DEBIT", 5_000, "KRW"],
        ["capture", merchantPayableAccount("m_view"), "CREDIT", 5_000, "KRW"],
      ],
    );
    assert.ok(
      read?.ledger.every((l) => l.entryId === read.ledger[0]!.entryId && l.at instanceof Date),
    );
    assert.deepEqual(read?.refunds, []);
    assert.equal(
      await readPaymentWithHistory(db, { ...owner, merchantId: "m_other" }, p.id),
      undefined,
    );
    assert.equal(await readPaymentWithHistory(db, { ...owner, mode: "live" }, p.id), undefined);
    assert.equal(await readPaymentWithHistory(db, owner, "pay_none"), undefined);
  },
);

contract(
  "payment states: by id in id order; counts by status of the merchants asked",
  both,
  async (db) => {
    const a = payment({ id: "pay_a" as PaymentId, updatedAt: at(5) });
    const b = payment({
      id: "pay_b" as PaymentId,
      status: status("CAPTURED"),
      capturedAmount: 5_000,
    });
    const c = payment({ id: "pay_c" as PaymentId, status: status("CAPTURED"), capturedAmount: 1 });
    const other = payment({ id: "pay_d" as PaymentId, merchantId: "m_other" as MerchantId });
    await insertPayments(db, c, a, other, b);

    assert.deepEqual(await paymentStatesByIds(db, ["pay_c", "pay_none", "pay_a"]), [
      { id: "pay_a", status: "AUTHORIZED", updatedAt: at(5) },
      { id: "pay_c", status: "CAPTURED", updatedAt: t0 },
    ]);
    assert.deepEqual(await paymentStatesByIds(db, []), []);
    assert.deepEqual(await paymentCountsByStatus(db, ["m_view", "m_none"]), [
      { status: "AUTHORIZED", count: 1 },
      { status: "CAPTURED", count: 2 },
    ]);
    assert.deepEqual(await paymentCountsByStatus(db, ["m_view", "m_other"]), [
      { status: "AUTHORIZED", count: 2 },
      { status: "CAPTURED", count: 2 },
    ]);
    assert.deepEqual(await paymentCountsByStatus(db, []), []);
    assert.equal(await countPaymentsInStatuses(db, ["m_view"], ["CAPTURED", "FAILED"]), 2);
    assert.equal(await countPaymentsInStatuses(db, ["m_view", "m_other"], ["AUTHORIZED"]), 2);
    assert.equal(await countPaymentsInStatuses(db, ["m_none"], ["AUTHORIZED"]), 0);
    assert.equal(await countPaymentsInStatuses(db, ["m_view"], []), 0);
  },
);

contract(
  "payment statistics: totals by status and currency since an id, exact",
  both,
  async (db) => {
    const large = 4_503_599_627_370_000; // two of them sum below 2^53: minor units stay exact
    await insertPayments(
      db,
      payment({ id: "pay_0" as PaymentId, amount: 7 }),
      payment({
        id: "pay_1" as PaymentId,
        amount: large,
        capturedAmount: large,
        status: status("CAPTURED"),
      }),
      payment({
        id: "pay_2" as PaymentId,
        amount: large,
        capturedAmount: large,
        refundedAmount: 3,
        status: status("CAPTURED"),
      }),
      payment({ id: "pay_3" as PaymentId, amount: 40, currency: "USD" as Currency }),
      payment({ id: "pay_4" as PaymentId, amount: 500, merchantId: "m_other" as MerchantId }),
    );
    const totals = (s: string, currency: string, count: number, amounts: number[]) => ({
      status: s,
      currency,
      count,
      amount: amounts[0],
      capturedAmount: amounts[1],
      refundedAmount: amounts[2],
    });
    assert.deepEqual(await paymentTotalsByStatus(db, "pay_1"), [
      totals("AUTHORIZED", "KRW", 1, [500, 0, 0]),
      totals("AUTHORIZED", "USD", 1, [40, 0, 0]),
      totals("CAPTURED", "KRW", 2, [2 * large, 2 * large, 3]),
    ]);
    assert.deepEqual(await paymentTotalsByStatus(db, "pay_0", "m_view"), [
      totals("AUTHORIZED", "KRW", 1, [7, 0, 0]),
      totals("AUTHORIZED", "USD", 1, [40, 0, 0]),
      totals("CAPTURED", "KRW", 2, [2 * large, 2 * large, 3]),
    ]);
    assert.deepEqual(await paymentTotalsByStatus(db, "pay_5"), []);
  },
);

contract(
  "pg request views: a payment's requests oldest first, limited; one request's state",
  both,
  async (db) => {
    const p = payment({ status: status("CAPTURED"), capturedAmount: 5_000 });
    const other = payment();
    const request = (id: string, ms: number, paymentId: string = p.id) => ({
      id,
      paymentId,
      merchantId: "m_view",
      amount: 1_000,
      currency: "KRW",
      at: at(ms),
    });
    await runTransactionBatch(db, [
      insertPaymentStatement(p),
      insertPaymentStatement(other),
      insertRefundRequestStatement({ ...request("ref_b", 20), reason: null }),
      insertSettlementRequestStatement(request("cap_a", 10)),
      insertRefundRequestStatement({ ...request("ref_a", 10), reason: "changed mind" }),
      insertSettlementRequestStatement(request("cap_other", 0, other.id)),
      completePgRequestStatement("capture", "cap_a", {
        status: "SUCCESS",
        pgId: "pg_tx",
        at: at(15),
      }),
      completePgRequestStatement("refund", "ref_a", {
        status: "FAILED",
        pgCode: "DECLINED",
        error: "no funds",
        at: at(16),
      }),
    ]);

    const views = await listPgRequestsOfPayment(db, p.id, 10);
    assert.deepEqual(views, [
      {
        kind: "capture",
        id: "cap_a",
        amount: 1_000,
        status: "SUCCESS",
        attempts: 0,
        pgId: "pg_tx",
        pgCode: null,
        lastError: null,
        createdAt: at(10),
        completedAt: at(15),
      },
      {
        kind: "refund",
        id: "ref_a",
        amount: 1_000,
        status: "FAILED",
        attempts: 0,
        pgId: null,
        pgCode: "DECLINED",
        lastError: "no funds",
        createdAt: at(10),
        completedAt: at(16),
      },
      {
        kind: "refund",
        id: "ref_b",
        amount: 1_000,
        status: "PENDING",
        attempts: 0,
        pgId: null,
        pgCode: null,
        lastError: null,
        createdAt: at(20),
        completedAt: null,
      },
    ]);
    assert.deepEqual((await listPgRequestsOfPayment(db, p.id, 2)).map((v) => v.id), [
      "cap_a",
      "ref_a",
    ]);
    assert.deepEqual(await listPgRequestsOfPayment(db, "pay_none", 10), []);

    assert.deepEqual(await readPgRequestState(db, "capture", "cap_a"), {
      status: "SUCCESS",
      attempts: 0,
      nextAttemptAt: at(10),
      pgId: "pg_tx",
      pgCode: null,
      lastError: null,
    });
    assert.equal((await readPgRequestState(db, "refund", "ref_a"))?.pgCode, "DECLINED");
    const voidId = await insertVoidRequest(db, { ...request("", 30), paymentId: other.id });
    assert.deepEqual(await readPgRequestState(db, "void", voidId), {
      status: "PENDING",
      attempts: 0,
      nextAttemptAt: at(30),
      pgId: null,
      pgCode: null,
      lastError: null,
    });
    assert.equal(await readPgRequestState(db, "capture", "ref_a"), undefined);
  },
);

/** Merchants of the retirement contracts: `load_1` and `load_2` are named with the prefix. */
async function retirementMerchants(db: Db): Promise<void> {
  for (const [id, name] of [["load_1", "load_a"], ["load_2", "load_b"], ["loadx3", "loadxc"]]) {
    await createMerchant(db, { id: id!, name: name! });
    await createApiKey(db, { merchantId: id!, env: "test" });
  }
}

contract("merchant retirement: a name prefix is literal, not a LIKE pattern", both, async (db) => {
  await retirementMerchants(db);
  await createMerchant(db, { id: "m_pct", name: "100%_off" });
  const all = ["load_1", "load_2", "loadx3", "m_pct", "m_none"];
  assert.deepEqual(await merchantsNamedWith(db, all, "load_"), ["load_1", "load_2"]);
  assert.deepEqual(await merchantsNamedWith(db, all, "load"), ["load_1", "load_2", "loadx3"]);
  assert.deepEqual(await merchantsNamedWith(db, all, "100%"), ["m_pct"]);
  assert.deepEqual(await merchantsNamedWith(db, all, "100!"), []);
  assert.deepEqual(await merchantsNamedWith(db, ["load_1"], "load_"), ["load_1"]);
  assert.deepEqual(await merchantsNamedWith(db, [], "load_"), []);
  assert.deepEqual(await liveMerchantsWithPrefixes(db, { id: "load_", name: "load_" }), [
    "load_1",
    "load_2",
  ]);
});

contract(
  "merchant retirement: unused merchants go, used ones are closed, keys revoked",
  both,
  async (db) => {
    await retirementMerchants(db);
    const ids = ["load_1", "load_2", "loadx3"];
    await insertPayments(db, payment({ merchantId: "load_1" as MerchantId }));
    await runTransactionBatch(db, [insertIdempotencyRecordStatement({
      merchantId: "loadx3",
      key: "k1",
      fingerprint: "f".repeat(64),
      method: "POST",
      path: "/v1/payments",
      httpStatus: 201,
      body: "{}",
      paymentId: null,
      createdAt: t0,
      expiresAt: at(86_400_000),
    })]);

    assert.equal(await revokeMerchantsKeys(db, ["load_1", "load_2"]), 2);
    assert.equal(await revokeMerchantsKeys(db, ["load_1", "load_2"]), 0);
    assert.equal(await revokeMerchantsKeys(db, []), 0);
    assert.equal(await countRows(db, "merchant_api_key", { merchant_id: "loadx3" }), 1);
    const prefixes = { id: "load", name: "load" };
    assert.deepEqual(await liveMerchantsWithPrefixes(db, prefixes), ["load_1", "load_2", "loadx3"]);

    assert.deepEqual(await merchantsWithoutHistory(db, ids), ["load_2"]);
    assert.deepEqual(await merchantsWithoutHistory(db, []), []);
    await deleteMerchants(db, ["load_2"]);
    assert.equal(await countRows(db, "merchant", { id: "load_2" }), 0);
    assert.equal(await countRows(db, "merchant_api_key", { merchant_id: "load_2" }), 0);

    assert.equal(await setMerchantsStatus(db, ["load_1", "load_2"], "CLOSED"), 1);
    assert.equal(await setMerchantsStatus(db, [], "CLOSED"), 0);
    assert.deepEqual(await liveMerchantsWithPrefixes(db, prefixes), ["loadx3"]);
    await revokeMerchantsKeys(db, ["loadx3"]);
    await setMerchantsStatus(db, ["loadx3"], "CLOSED");
    assert.deepEqual(await liveMerchantsWithPrefixes(db, prefixes), []);
    assert.equal(await countRows(db, "merchant", { status: "CLOSED" }), 2);
  },
);

contract("merchant retirement: a revoked key reads as revoked", both, async (db) => {
  await createMerchant(db, { id: "load_9", name: "load_9" });
  const key = await createApiKey(db, { merchantId: "load_9", env: "test" });
  await revokeMerchantsKeys(db, ["load_9"]);
  assert.equal((await findApiKey(db, key.keyId))?.revoked, true);
});

contract(
  "bulk seed: captured payments and due outbox rows, in one insert each",
  both,
  async (db) => {
    const seeded = ["pay_s1", "pay_s2"].map((paymentId, i) => ({
      paymentId,
      merchantId: "m_seed",
      amount: 1_000 + i,
      currency: "KRW",
    }));
    await insertCapturedPaymentRows(db, seeded, t0);
    await insertCapturedPaymentRows(db, [], t0);
    assert.deepEqual(
      await readPaymentById(db, "pay_s2"),
      payment({
        id: "pay_s2" as PaymentId,
        merchantId: "m_seed" as MerchantId,
        idempotencyKey: "pay_s2",
        status: status("CAPTURED"),
        amount: 1_001,
        capturedAmount: 1_001,
        pgAuthorizationId: null,
        mode: "live",
        metadata: {},
      }),
    );

    const events = seeded.map((p) => ({
      topic: "payment.captured",
      envelope: {
        eventId: nextId("evt"),
        type: "payment.captured",
        paymentId: p.paymentId,
        merchantId: p.merchantId,
        amount: p.amount,
        currency: "KRW",
        occurredAt: t0.toISOString(),
        data: { note: 'it\'s "quoted"' },
      } as unknown as EventEnvelope,
    }));
    await insertDueOutboxRows(db, events, t0);
    await insertDueOutboxRows(db, [], t0);
    assert.deepEqual(await readOutboxEnvelopes(db, "pay_s1"), [events[0]]);
    const claimed = await claimDueOutbox(db, 10, 30_000);
    assert.deepEqual(
      claimed.map((e) => e.eventId).sort(),
      events.map((e) => e.envelope.eventId).sort(),
    );
    await assert.rejects(
      insertCapturedPaymentRows(db, Array.from({ length: 2_001 }, () => seeded[0]!), t0),
      /Too many rows for one seed insert: 2001/,
    );
  },
);

contract(
  "row counts: by table, equal or any-of conditions; names are checked",
  both,
  async (db) => {
    await insertPayments(
      db,
      payment(),
      payment({ status: status("CAPTURED"), capturedAmount: 1 }),
      payment({ status: status("FAILED"), merchantId: "m_other" as MerchantId }),
    );
    assert.equal(await countRows(db, "payment"), 3);
    assert.equal(await countRows(db, "refund_request"), 0);
    assert.equal(await countRows(db, "payment", { status: "CAPTURED" }), 1);
    assert.equal(await countRows(db, "payment", { status: ["CAPTURED", "FAILED"] }), 2);
    assert.equal(await countRows(db, "payment", { merchant_id: "m_view", amount: 5_000 }), 2);
    await assert.rejects(countRows(db, "payment; DROP TABLE payment"), /Not an SQL name/);
    await assert.rejects(countRows(db, "payment", { "status`": "x" }), /Not an SQL name/);
    assert.equal(await countRows(db, "payment"), 3);
  },
);

contract("readiness ping: the database answers", both, async (db) => {
  await pingDatabase(db);
});
