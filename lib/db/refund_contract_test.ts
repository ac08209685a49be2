/**
 * Refund repository contracts (refunds as merchants see them), on both
 * adapters (harness: repository_contract.ts).
 */
import assert from "node:assert/strict";
import type { Currency, MerchantId, PaymentId, PaymentStatus } from "../domain/mod.ts";
import { runBatch } from "./batch.ts";
import { runLockedCommand } from "./locked_payment.ts";
import { insertPaymentStatement, type PaymentOwner, type PaymentRecord } from "./payment_repo.ts";
import type { Db } from "./port.ts";
import { listRefundsOfPayments, readRefund, type RefundRecord } from "./refund_repo.ts";
import { both, contract, nextId } from "./repository_contract.ts";
import { insertRefundRequestStatement } from "./request_repo.ts";
import { completePgRequestStatement } from "./settlement_repo.ts";

const t0 = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const at = (ms: number) => new Date(t0.getTime() + ms);
const owner: PaymentOwner = { merchantId: "m_refund", mode: "test" };

async function capturedPayment(db: Db, mode = owner.mode): Promise<PaymentRecord> {
  const payment: PaymentRecord = {
    id: nextId("pay") as PaymentId,
    merchantId: owner.merchantId as MerchantId,
    idempotencyKey: nextId("key"),
    status: "PARTIALLY_REFUNDED" as PaymentStatus,
    amount: 10_000,
    currency: "KRW" as Currency,
    capturedAmount: 10_000,
    refundedAmount: 3_000,
    orderId: null,
    description: null,
    pgAuthorizationId: "pg_auth_1",
    declineCode: null,
    authExpiresAt: null,
    createdAt: t0,
    updatedAt: t0,
    mode,
  };
  await runBatch(db, [insertPaymentStatement(payment)]);
  return payment;
}

async function refundOf(
  db: Db,
  payment: PaymentRecord,
  amount: number,
  createdAtMs: number,
  outcome?: { status: "SUCCESS" | "FAILED"; pgCode?: string },
): Promise<string> {
  const id = nextId("ref");
  await runBatch(db, [
    insertRefundRequestStatement({
      id,
      paymentId: payment.id,
      merchantId: payment.merchantId,
      amount,
      currency: payment.currency,
      reason: amount === 1_000 ? "damaged" : null,
      at: at(createdAtMs),
    }),
    ...(outcome
      ? [completePgRequestStatement("refund", id, { ...outcome, pgId: "pg_ref", at: at(60_000) })]
      : []),
  ]);
  return id;
}

contract("refunds: each payment's, oldest first, with public statuses", both, async (db) => {
  const payment = await capturedPayment(db);
  const other = await capturedPayment(db);
  const failed = await refundOf(db, payment, 2_000, 1_000, {
    status: "FAILED",
    pgCode: "insufficient",
  });
  const succeeded = await refundOf(db, payment, 1_000, 0, { status: "SUCCESS", pgCode: "ok" });
  const pending = await refundOf(db, payment, 500, 2_000);
  const others = await refundOf(db, other, 700, 0);

  const byPayment = await listRefundsOfPayments(db, [payment.id, other.id, "pay_none"]);
  assert.deepEqual([...byPayment.keys()].sort(), [payment.id, other.id].sort());
  const refunds = byPayment.get(payment.id)!;
  assert.deepEqual(refunds.map((r) => [r.id, r.status, r.amount, r.failureCode]), [
    [succeeded, "SUCCEEDED", 1_000, null],
    [failed, "FAILED", 2_000, "insufficient"],
    [pending, "PENDING", 500, null],
  ]);
  assert.deepEqual(
    refunds[0],
    {
      id: succeeded,
      paymentId: payment.id,
      amount: 1_000,
      currency: "KRW",
      reason: "damaged",
      status: "SUCCEEDED",
      failureCode: null,
      createdAt: at(0),
      completedAt: at(60_000),
    } satisfies RefundRecord,
  );
  assert.equal(refunds[2]!.completedAt, null);
  assert.deepEqual(byPayment.get(other.id)!.map((r) => r.id), [others]);
  assert.equal((await listRefundsOfPayments(db, [])).size, 0);
});

contract(
  "refunds: one is read only through its own payment, merchant and mode",
  both,
  async (db) => {
    const payment = await capturedPayment(db);
    const liveOne = await capturedPayment(db, "live");
    const id = await refundOf(db, payment, 1_000, 0);
    const liveId = await refundOf(db, liveOne, 1_000, 0);
    assert.equal((await readRefund(db, owner, payment.id, id))?.id, id);
    assert.equal(await readRefund(db, owner, liveOne.id, id), undefined);
    assert.equal(
      await readRefund(db, { ...owner, merchantId: "m_other" }, payment.id, id),
      undefined,
    );
    assert.equal(await readRefund(db, { ...owner, mode: "live" }, payment.id, id), undefined);
    assert.equal(await readRefund(db, owner, liveOne.id, liveId), undefined);
    assert.equal(
      (await readRefund(db, { ...owner, mode: "live" }, liveOne.id, liveId))?.id,
      liveId,
    );
    assert.equal(await readRefund(db, owner, payment.id, "ref_none"), undefined);
  },
);

contract(
  "refunds: a locked command sees its payment's refunds; another mode's payment is not found",
  both,
  async (db) => {
    const payment = await capturedPayment(db);
    const id = await refundOf(db, payment, 1_000, 0);
    const seen: string[] = [];
    const refuse = new Error("Refused after looking");
    await assert.rejects(
      runLockedCommand(db, owner, payment.id, (locked) => {
        seen.push(locked.payment.id, ...locked.refunds.map((r) => r.id));
        throw refuse;
      }),
      (error) => error === refuse,
    );
    assert.deepEqual(seen, [payment.id, id]);
    await assert.rejects(
      runLockedCommand(db, { ...owner, mode: "live" }, payment.id, () => {
        throw refuse;
      }),
      /No such payment/,
    );
  },
);
