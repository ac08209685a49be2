/**
 * PG request repository contracts (capture, refund and void requests), on both
 * adapters (harness: repository_contract.ts).
 */
import assert from "node:assert/strict";
import type { Currency, MerchantId, PaymentId, PaymentStatus } from "../domain/mod.ts";
import { insertPaymentStatement, type PaymentRecord, readPaymentById } from "./payment_repo.ts";
import type { Db } from "./port.ts";
import { both, contract, nextId } from "./repository_contract.ts";
import {
  insertRefundRequestStatement,
  insertSettlementRequestStatement,
  type PgRequestRecord,
} from "./request_repo.ts";
import {
  claimDuePgRequests,
  claimPgRequest,
  completeLockedPgRequest,
  completeVoidRequest,
  findRequestEventPayload,
  insertVoidRequest,
  type PgRequestKind,
  schedulePgRequestRetry,
  voidRequestId,
} from "./settlement_repo.ts";
import { runTransactionBatch } from "./transaction.ts";
import { planTransition } from "./transition.ts";

const t0 = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const at = (ms: number) => new Date(t0.getTime() + ms);
const leaseMs = 30_000;

async function paymentWithRequest(
  db: Db,
  kind: PgRequestKind,
  status = "CAPTURE_REQUESTED",
): Promise<{ payment: PaymentRecord; request: PgRequestRecord }> {
  const payment: PaymentRecord = {
    id: nextId("pay") as PaymentId,
    merchantId: "m_pg" as MerchantId,
    idempotencyKey: nextId("key"),
    status: status as PaymentStatus,
    amount: 5_000,
    currency: "KRW" as Currency,
    capturedAmount: 0,
    refundedAmount: 0,
    orderId: null,
    description: null,
    pgAuthorizationId: "pg_auth_7",
    declineCode: null,
    authExpiresAt: null,
    createdAt: t0,
    updatedAt: t0,
  };
  const request: PgRequestRecord = {
    id: nextId(kind),
    paymentId: payment.id,
    merchantId: payment.merchantId,
    amount: 5_000,
    currency: "KRW",
    at: t0,
  };
  const insert = kind === "capture"
    ? insertSettlementRequestStatement(request)
    : insertRefundRequestStatement({ ...request, reason: "changed mind" });
  await runTransactionBatch(db, [insertPaymentStatement(payment), insert]);
  return { payment, request };
}

for (const kind of ["capture", "refund"] as const) {
  contract(`pg requests (${kind}): a claim is a lease, one holder at a time`, both, async (db) => {
    const { request } = await paymentWithRequest(db, kind);
    const first = await claimPgRequest(db, kind, request.id, at(1), leaseMs);
    assert.equal(first.state, "claimed");
    assert.deepEqual(first.state === "claimed" && first.request, {
      kind,
      id: request.id,
      paymentId: request.paymentId,
      merchantId: "m_pg",
      amount: 5_000,
      currency: "KRW",
      attempts: 1,
      pgAuthorizationId: "pg_auth_7",
      createdAt: t0,
    });
    assert.deepEqual(await claimPgRequest(db, kind, request.id, at(2), leaseMs), {
      state: "leased",
    });
    const again = await claimPgRequest(db, kind, request.id, at(1 + leaseMs), leaseMs);
    assert.equal(again.state === "claimed" && again.request.attempts, 2);
    assert.deepEqual(await claimPgRequest(db, kind, "none", at(3), leaseMs), { state: "missing" });
  });
}

contract("pg requests: a retry waits until its time, then is due again", both, async (db) => {
  const { request } = await paymentWithRequest(db, "capture");
  await claimPgRequest(db, "capture", request.id, at(1), leaseMs);
  const retry = { nextAttemptAt: at(5_000), error: "x".repeat(600), now: at(2) };
  assert.equal(await schedulePgRequestRetry(db, "capture", request.id, retry), true);
  assert.deepEqual(await claimPgRequest(db, "capture", request.id, at(4_999), leaseMs), {
    state: "leased",
  });
  const due = { graceMs: 60_000, leaseMs, limit: 10 };
  assert.deepEqual(await claimDuePgRequests(db, "capture", { ...due, now: at(4_999) }), []);
  const claimed = await claimDuePgRequests(db, "capture", { ...due, now: at(5_000) });
  assert.deepEqual(claimed.map((r) => [r.id, r.attempts]), [[request.id, 2]]);
  assert.equal(await schedulePgRequestRetry(db, "capture", "none", retry), false);
});

contract("pg requests: a never-attempted request is due only after the grace", both, async (db) => {
  const { request } = await paymentWithRequest(db, "refund");
  const due = { graceMs: 60_000, leaseMs, limit: 10 };
  assert.deepEqual(await claimDuePgRequests(db, "refund", { ...due, now: at(59_999) }), []);
  const claimed = await claimDuePgRequests(db, "refund", { ...due, now: at(60_000) });
  assert.deepEqual(claimed.map((r) => [r.kind, r.id, r.attempts]), [["refund", request.id, 1]]);
  assert.deepEqual(await claimDuePgRequests(db, "refund", { ...due, now: at(60_001) }), []);
});

contract("pg requests: racing claims never share a request", both, async (db) => {
  const ids = new Set<string>();
  for (let i = 0; i < 6; i++) ids.add((await paymentWithRequest(db, "capture")).request.id);
  const due = { now: at(120_000), graceMs: 60_000, leaseMs, limit: 2 };
  const claims = await Promise.all([
    ...Array.from({ length: 4 }, () => claimDuePgRequests(db, "capture", due)),
    ...[...ids].map((id) => claimPgRequest(db, "capture", id, at(120_000), leaseMs)),
  ]);
  const held = claims.flatMap((c) =>
    Array.isArray(c) ? c.map((r) => r.id) : c.state === "claimed" ? [c.request.id] : []
  );
  assert.equal(held.length, new Set(held).size, "a request was claimed twice");
  assert.deepEqual(new Set(held), ids);
});

contract(
  "pg requests: completion under lock writes outcome and state together",
  both,
  async (db) => {
    const { payment, request } = await paymentWithRequest(db, "capture");
    const done = await completeLockedPgRequest(db, "capture", request, (locked) => {
      assert.equal(locked.requestStatus, "PENDING");
      return {
        outcome: { status: "SUCCESS", pgId: "pg_tx_1", at: at(10) },
        transition: planTransition({
          payment: locked.payment,
          action: "capture_succeeded",
          amount: 5_000,
          capturedAmount: 5_000,
          requestId: request.id,
          at: at(10),
        }),
      };
    });
    assert.equal(done?.transition.to, "CAPTURED");
    assert.equal((await readPaymentById(db, payment.id))?.status, "CAPTURED");
    assert.deepEqual(await claimPgRequest(db, "capture", request.id, at(99_000), leaseMs), {
      state: "completed",
      status: "SUCCESS",
    });
    const payload = await findRequestEventPayload(db, payment.id, "payment.captured", request.id);
    assert.equal(JSON.parse(payload ?? "{}").eventId, done?.transition.envelope?.eventId);
    assert.equal(await findRequestEventPayload(db, payment.id, "payment.captured", "x"), undefined);
    const nothing = await completeLockedPgRequest(db, "capture", request, (locked) => {
      assert.equal(locked.requestStatus, "SUCCESS");
      return undefined;
    });
    assert.equal(nothing, undefined);
  },
);

contract(
  "pg requests: a failed conditional update under lock commits nothing",
  both,
  async (db) => {
    const { payment, request } = await paymentWithRequest(db, "capture");
    await assert.rejects(
      completeLockedPgRequest(db, "capture", request, (locked) => ({
        outcome: { status: "SUCCESS", pgId: "pg_tx_2", at: at(10) },
        transition: planTransition({
          payment: { ...locked.payment, status: "AUTHORIZED" as PaymentStatus },
          action: "capture",
          amount: 5_000,
          at: at(10),
        }),
      })),
      /changed no row/,
    );
    assert.equal((await readPaymentById(db, payment.id))?.status, "CAPTURE_REQUESTED");
    const claim = await claimPgRequest(db, "capture", request.id, at(20), leaseMs);
    assert.equal(claim.state, "claimed");
  },
);

contract("pg requests (void): one per payment, claimed and completed once", both, async (db) => {
  const { payment } = await paymentWithRequest(db, "capture", "CANCELLED");
  const row = { paymentId: payment.id, merchantId: "m_pg", amount: 5_000, currency: "KRW" };
  const id = await insertVoidRequest(db, { ...row, at: t0 });
  assert.equal(id, voidRequestId(payment.id));
  assert.equal(await insertVoidRequest(db, { ...row, amount: 1, at: at(5) }), id);
  const claimed = await claimPgRequest(db, "void", id, at(1), leaseMs);
  assert.equal(claimed.state === "claimed" && claimed.request.amount, 5_000);
  const outcome = { status: "SUCCESS", pgId: "pg_cancel_1", at: at(2) } as const;
  assert.equal(await completeVoidRequest(db, id, outcome), true);
  assert.equal(await completeVoidRequest(db, id, outcome), false);
  assert.deepEqual(await claimPgRequest(db, "void", id, at(99_000), leaseMs), {
    state: "completed",
    status: "SUCCESS",
  });
});
