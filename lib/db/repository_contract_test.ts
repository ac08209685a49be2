/**
 * The repository contract suite, run on every adapter of the storage port
 * (harness: repository_contract.ts): payments, events, idempotency, outbox,
 * relay, the unit of work. Other repositories' contracts are in
 * `*_contract_test.ts` beside this file.
 */
import assert from "node:assert/strict";
import type {
  Currency,
  EventEnvelope,
  MerchantId,
  PaymentId,
  PaymentStatus,
} from "../domain/mod.ts";
import { affectedRows, sql } from "./batch.ts";
import {
  claimIdempotencyKeyStatement,
  completeIdempotencyRecordStatement,
  findIdempotencyRecord,
  insertIdempotencyRecordStatement,
  inspectIdempotencyRecord,
  purgeExpiredIdempotencyRecords,
} from "./idempotency_repo.ts";
import { isDuplicateKey } from "./db_errors.ts";
import {
  insertOutboxEventStatement,
  listOutboxEventsOfPayment,
  readOutboxEnvelopes,
} from "./outbox_repo.ts";
import {
  claimDueOutbox,
  listDeadOutbox,
  markOutboxFailed,
  markOutboxPublished,
  outboxStats,
  releaseOutboxLease,
  requeueDeadOutbox,
} from "./outbox_relay_repo.ts";
import { insertPaymentEventStatement, readPaymentEvents } from "./payment_event_repo.ts";
import {
  insertPaymentStatement,
  listPayments,
  lockPaymentById,
  type PaymentRecord,
  readPaymentById,
  searchPayments,
  updatePaymentStatusStatement,
} from "./payment_repo.ts";
import { both, contract, nextId } from "./repository_contract.ts";
import { inTransaction, runTransactionBatch } from "./transaction.ts";

function payment(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  return {
    id: nextId("pay") as PaymentId,
    merchantId: "m_contract" as MerchantId,
    idempotencyKey: nextId("key"),
    status: "AUTHORIZED" as PaymentStatus,
    amount: 9_007_199_254_740, // large minor units stay exact
    currency: "KRW" as Currency,
    capturedAmount: 0,
    refundedAmount: 0,
    orderId: "order-1",
    description: null,
    pgAuthorizationId: "pg_auth_1",
    declineCode: null,
    authExpiresAt: new Date(at.getTime() + 86_400_000),
    createdAt: at,
    updatedAt: at,
    mode: "live",
    metadata: {},
    ...overrides,
  };
}

function envelope(paymentId: string, occurredAt = new Date()): EventEnvelope {
  return {
    eventId: nextId("evt") as EventEnvelope["eventId"],
    type: "payment.authorized",
    paymentId: paymentId as PaymentId,
    merchantId: "m_contract" as MerchantId,
    amount: 1_000,
    currency: "KRW" as Currency,
    occurredAt: occurredAt.toISOString(),
    data: {},
  };
}

contract("payments: insert, read back exactly, list, search", both, async (db) => {
  const first = payment();
  const second = payment({ status: "CAPTURED" as PaymentStatus, capturedAmount: 500 });
  await runTransactionBatch(db, [insertPaymentStatement(first), insertPaymentStatement(second)]);
  assert.deepEqual(await readPaymentById(db, first.id), first);
  assert.equal(await readPaymentById(db, "pay_none"), undefined);
  const listed = await listPayments(db, { merchantId: "m_contract", limit: 10 });
  assert.deepEqual(listed.map((p) => p.id), [second.id, first.id]);
  const captured = await listPayments(db, {
    merchantId: "m_contract",
    status: "CAPTURED" as PaymentStatus,
    limit: 10,
  });
  assert.deepEqual(captured.map((p) => p.id), [second.id]);
  const page = await listPayments(db, { merchantId: "m_contract", beforeId: second.id, limit: 10 });
  assert.deepEqual(page.map((p) => p.id), [first.id]);
  const found = await searchPayments(db, { idsBelow: [second.id], limit: 5 });
  assert.deepEqual(found.map((p) => p.id), [first.id]);
  assert.deepEqual(await listPayments(db, { merchantId: "m_other", limit: 10 }), []);
});

contract(
  "payments: mode and metadata are stored; absent, a payment is live without metadata",
  both,
  async (db) => {
    const tagged = payment({ mode: "test", metadata: { order: "A-1", "단어": "값", empty: "" } });
    const { mode: _mode, metadata: _metadata, ...untagged } = payment();
    await runTransactionBatch(db, [
      insertPaymentStatement(tagged),
      insertPaymentStatement(untagged),
    ]);
    assert.deepEqual(await readPaymentById(db, tagged.id), tagged);
    assert.deepEqual(await readPaymentById(db, untagged.id), {
      ...untagged,
      mode: "live",
      metadata: {},
    });
  },
);

contract("payments: a list filters by mode, order, creation time and amount", both, async (db) => {
  const day = (d: number) => new Date(Date.UTC(2026, 0, d));
  // Ids in creation order (a list is newest first by id).
  const at = (n: number) => ({ id: `pay_filter_${n}` as PaymentId, createdAt: day(n) });
  const a = payment({ ...at(1), mode: "test", orderId: "o-1", amount: 100 });
  const b = payment({ ...at(2), mode: "test", orderId: "o-2", amount: 500 });
  const c = payment({ ...at(3), mode: "test", orderId: "o-1", amount: 900 });
  const live = payment({ ...at(4), mode: "live", orderId: "o-1", amount: 500, createdAt: day(2) });
  await runTransactionBatch(db, [a, b, c, live].map(insertPaymentStatement));
  const ids = async (q: Omit<Parameters<typeof listPayments>[1], "merchantId" | "limit">) =>
    (await listPayments(db, { merchantId: "m_contract", limit: 10, ...q })).map((p) => p.id);
  assert.deepEqual(await ids({}), [live.id, c.id, b.id, a.id]);
  assert.deepEqual(await ids({ mode: "test" }), [c.id, b.id, a.id]);
  assert.deepEqual(await ids({ mode: "live" }), [live.id]);
  assert.deepEqual(await ids({ mode: "test", orderId: "o-1" }), [c.id, a.id]);
  assert.deepEqual(await ids({ mode: "test", createdFrom: day(2) }), [c.id, b.id]);
  assert.deepEqual(await ids({ mode: "test", createdTo: day(2) }), [a.id]);
  assert.deepEqual(await ids({ mode: "test", createdFrom: day(2), createdTo: day(3) }), [b.id]);
  assert.deepEqual(await ids({ mode: "test", amountMin: 500 }), [c.id, b.id]);
  assert.deepEqual(await ids({ mode: "test", amountMax: 500 }), [b.id, a.id]);
  assert.deepEqual(await ids({ mode: "test", amountMin: 500, amountMax: 500 }), [b.id]);
  assert.deepEqual(await ids({ mode: "test", orderId: "o-2", amountMin: 501 }), []);
});

contract("payments: a duplicate idempotency key is a duplicate key", both, async (db) => {
  const first = payment();
  await runTransactionBatch(db, [insertPaymentStatement(first)]);
  const again = payment({ idempotencyKey: first.idempotencyKey });
  await assert.rejects(runTransactionBatch(db, [insertPaymentStatement(again)]), isDuplicateKey);
  assert.equal(await readPaymentById(db, again.id), undefined);
});

contract(
  "payments: of two racing conditional updates from one state, exactly one applies",
  both,
  async (db) => {
    const p = payment();
    await runTransactionBatch(db, [insertPaymentStatement(p)]);
    const change = (to: string) =>
      updatePaymentStatusStatement({
        paymentId: p.id,
        from: "AUTHORIZED" as PaymentStatus,
        to: to as PaymentStatus,
        capturedAmount: to === "CAPTURED" ? 100 : undefined,
        at: new Date(),
      });
    const results = await Promise.all([
      runTransactionBatch(db, [change("CAPTURED")]),
      runTransactionBatch(db, [change("CANCELLED")]),
    ]);
    assert.deepEqual(results.map((r) => affectedRows(r[0])).sort(), [0, 1]);
    const after = await readPaymentById(db, p.id);
    assert.ok(after?.status === "CAPTURED" || after?.status === "CANCELLED");
  },
);

contract(
  "payments: lock, decide and write in one transaction; a throw keeps nothing",
  both,
  async (db) => {
    const p = payment();
    await runTransactionBatch(db, [insertPaymentStatement(p)]);
    await assert.rejects(
      inTransaction(db, async (tx) => {
        const locked = await lockPaymentById(tx, p.id);
        assert.equal(locked?.id, p.id);
        await tx.run([updatePaymentStatusStatement({
          paymentId: p.id,
          from: "AUTHORIZED" as PaymentStatus,
          to: "CANCELLED" as PaymentStatus,
          at: new Date(),
        })]);
        throw new Error("Refused after the write");
      }),
      /Refused after the write/,
    );
    assert.equal((await readPaymentById(db, p.id))?.status, "AUTHORIZED");
    const version = await inTransaction(db, async (tx) => {
      const locked = await lockPaymentById(tx, p.id);
      const [update] = await tx.run([updatePaymentStatusStatement({
        paymentId: p.id,
        from: locked!.status,
        to: "CANCELLED" as PaymentStatus,
        at: new Date(),
      })]);
      return affectedRows(update);
    });
    assert.equal(version, 1);
    assert.equal((await readPaymentById(db, p.id))?.status, "CANCELLED");
  },
);

contract("payment events: the timeline in order, amounts and times exact", both, async (db) => {
  const p = payment();
  const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 6, 1));
  const events = [
    {
      paymentId: p.id,
      from: null,
      to: "AUTHORIZED",
      amount: 1_000,
      requestId: null,
      reason: null,
      at,
    },
    {
      paymentId: p.id,
      from: "AUTHORIZED",
      to: "CAPTURED",
      amount: 400,
      requestId: "req_1",
      reason: "partial",
      at,
    },
  ] as const;
  await runTransactionBatch(db, [
    insertPaymentStatement(p),
    ...events.map((e) => insertPaymentEventStatement(e as never)),
  ]);
  assert.deepEqual(await readPaymentEvents(db, p.id), events);
});

const claimOf = (key: string, expiresAt: Date) => ({
  merchantId: "m_contract",
  key,
  fingerprint: "f".repeat(64),
  method: "POST",
  path: "/v1/payments",
  createdAt: new Date(expiresAt.getTime() - 86_400_000),
  expiresAt,
});

contract(
  "idempotency: claim, complete, find; a second claim of a completed key is a duplicate",
  both,
  async (db) => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const claim = claimOf(nextId("k"), expiresAt);
    await runTransactionBatch(db, [
      claimIdempotencyKeyStatement(claim, 2),
      completeIdempotencyRecordStatement("m_contract", claim.key, {
        httpStatus: 201,
        body: '{"ok":true}',
        paymentId: "pay_1",
      }),
    ]);
    const found = await findIdempotencyRecord(db, "m_contract", claim.key, new Date());
    assert.equal(found?.httpStatus, 201);
    assert.equal(found?.body, '{"ok":true}');
    assert.equal(found?.expiresAt.getTime(), expiresAt.getTime());
    await assert.rejects(
      runTransactionBatch(db, [claimIdempotencyKeyStatement(claim, 2)]),
      isDuplicateKey,
    );
    const stored = await inspectIdempotencyRecord(db, "m_contract", claim.key);
    assert.equal(stored?.status, "COMPLETED");
  },
);

contract("idempotency: a claim rolled back leaves the key free", both, async (db) => {
  const claim = claimOf(nextId("k"), new Date(Date.now() + 3_600_000));
  await inTransaction(db, async (tx) => {
    await tx.run([claimIdempotencyKeyStatement(claim, 2)]);
    await tx.rollback();
  });
  assert.equal(await inspectIdempotencyRecord(db, "m_contract", claim.key), undefined);
  await runTransactionBatch(db, [claimIdempotencyKeyStatement(claim, 2)]);
  assert.equal(
    (await inspectIdempotencyRecord(db, "m_contract", claim.key))?.status,
    "IN_PROGRESS",
  );
});

contract(
  "idempotency: expired records are not found, and purged in bounded batches",
  both,
  async (db) => {
    const now = new Date();
    const expired = (key: string) => ({
      ...claimOf(key, new Date(now.getTime() - 1_000)),
      httpStatus: 200,
      body: "{}",
      paymentId: null,
    });
    await runTransactionBatch(
      db,
      ["a", "b", "c"].map((k) => insertIdempotencyRecordStatement(expired(k))),
    );
    assert.equal(await findIdempotencyRecord(db, "m_contract", "a", now), undefined);
    assert.equal(await inspectIdempotencyRecord(db, "m_contract", "a"), undefined);
    assert.equal(await purgeExpiredIdempotencyRecords(db, now, 1), 1);
    assert.equal(await purgeExpiredIdempotencyRecords(db, now, 10), 1);
    assert.equal(await purgeExpiredIdempotencyRecords(db, now, 10), 0);
  },
);

contract("outbox: rows of a payment, envelopes in order", both, async (db) => {
  const p = payment();
  const events = [envelope(p.id), envelope(p.id)];
  await runTransactionBatch(
    db,
    events.map((e) => insertOutboxEventStatement("payment.authorized" as never, e)),
  );
  const views = await listOutboxEventsOfPayment(db, p.id, 10);
  assert.deepEqual(
    views.map((v) => [v.eventId, v.status, v.attempts]),
    events.map((e) => [e.eventId, "NEW", 0]),
  );
  assert.deepEqual((await readOutboxEnvelopes(db, p.id)).map((r) => r.envelope), events);
});

contract(
  "outbox relay: a claim leases rows; a second claim sees none until the lease ends",
  both,
  async (db) => {
    const past = new Date(Date.now() - 60_000);
    const events = [envelope("pay_a", past), envelope("pay_b", past), envelope("pay_c", past)];
    await runTransactionBatch(
      db,
      events.map((e) => insertOutboxEventStatement("payment.authorized" as never, e)),
    );
    const first = await claimDueOutbox(db, 2, 60_000);
    assert.deepEqual(first.map((r) => r.eventId), [events[0]!.eventId, events[1]!.eventId]);
    const second = await claimDueOutbox(db, 10, 60_000);
    assert.deepEqual(second.map((r) => r.eventId), [events[2]!.eventId]);
    assert.deepEqual(await claimDueOutbox(db, 10, 60_000), []);
    // Given back: due at once, attempts unchanged.
    await releaseOutboxLease(db, first.map((r) => r.id));
    const again = await claimDueOutbox(db, 10, 60_000);
    assert.deepEqual(again.map((r) => [r.id, r.attempts]), first.map((r) => [r.id, 0]));
    assert.equal(await markOutboxPublished(db, [...again, ...second].map((r) => r.id)), 3);
    assert.equal(await markOutboxPublished(db, [second[0]!.id]), 0);
    assert.deepEqual(await outboxStats(db), { backlog: 0, oldestAgeSeconds: 0, dead: 0 });
  },
);

contract("outbox relay: concurrent claims never hand one row out twice", both, async (db) => {
  const past = new Date(Date.now() - 60_000);
  const events = Array.from({ length: 20 }, (_, i) => envelope(`pay_${i}`, past));
  await runTransactionBatch(
    db,
    events.map((e) => insertOutboxEventStatement("payment.authorized" as never, e)),
  );
  const claims = await Promise.all(Array.from({ length: 5 }, () => claimDueOutbox(db, 6, 60_000)));
  const ids = claims.flat().map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids.length, 20);
});

contract(
  "outbox relay: failures retry after their delay, then go DEAD; requeue brings them back",
  both,
  async (db) => {
    const past = new Date(Date.now() - 60_000);
    const events = [envelope("pay_x", past), envelope("pay_y", past)];
    await runTransactionBatch(
      db,
      events.map((e) => insertOutboxEventStatement("payment.authorized" as never, e)),
    );
    const claimed = await claimDueOutbox(db, 10, 60_000);
    const delays = new Map(claimed.map((r) => [r.id, 0]));
    assert.equal(await markOutboxFailed(db, claimed, "bus down", 2, delays), 0);
    const retried = await claimDueOutbox(db, 10, 60_000);
    assert.deepEqual(retried.map((r) => r.attempts), [1, 1]);
    assert.equal(await markOutboxFailed(db, retried, "x".repeat(600), 2, delays), 2);
    const stats = await outboxStats(db);
    assert.deepEqual([stats.backlog, stats.dead], [0, 2]);
    const dead = await listDeadOutbox(db, { limit: 10 });
    assert.deepEqual(dead.map((d) => [d.attempts, d.lastError?.length]), [[2, 500], [2, 500]]);
    assert.equal(await requeueDeadOutbox(db, { limit: 1 }), 1);
    assert.equal(await requeueDeadOutbox(db, { ids: [dead[1]!.id] }), 1);
    const back = await claimDueOutbox(db, 10, 60_000);
    assert.deepEqual(back.map((r) => r.attempts), [0, 0]);
    // A long delay for one row: only the other comes due.
    const delayed = new Map([[back[0]!.id, 3_600_000], [back[1]!.id, 0]]);
    await markOutboxFailed(db, back, "once more", 5, delayed);
    assert.deepEqual((await claimDueOutbox(db, 10, 60_000)).map((r) => r.id), [back[1]!.id]);
    assert.equal((await outboxStats(db)).backlog, 2);
  },
);

contract("the unit of work: a statement error rolls back the whole batch", both, async (db) => {
  const p = payment();
  await assert.rejects(
    runTransactionBatch(db, [
      insertPaymentStatement(p),
      sql("INSERT INTO no_such_table VALUES (1)"),
    ]),
  );
  assert.equal(await readPaymentById(db, p.id), undefined);
});
