/** Repair sweeper and bus epoch contracts, on both adapters (harness: repository_contract.ts). */
import assert from "node:assert/strict";
import type { Currency, MerchantId, PaymentId, PaymentStatus } from "../domain/mod.ts";
import { sql } from "./batch.ts";
import { checkBusEpoch } from "./bus_epoch_repo.ts";
import { insertPaymentStatement } from "./payment_repo.ts";
import type { Db } from "./port.ts";
import {
  insertMissingVoidRequest,
  ledgerSources,
  readSweepCursor,
  saveSweepCursor,
  scanLedgerSource,
  scanVoidSource,
  voidSources,
} from "./repair_repo.ts";
import { both, contract } from "./repository_contract.ts";
import { runTransactionBatch } from "./transaction.ts";

const t0 = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const at = (ms: number) => new Date(t0.getTime() + ms);
const start = { at: at(-1), id: "" };

async function request(db: Db, id: string, status: string, completedAt: Date | null) {
  await db.execute(sql(
    `INSERT INTO settlement_request (id, payment_id, merchant_id, amount, currency, status,
       attempts, next_attempt_at, created_at, updated_at, completed_at)
     VALUES (?, ?, 'm_r', 100, 'KRW', ?, 1, ?, ?, ?, ?)`,
    id,
    `pay_${id}`,
    status,
    t0,
    t0,
    t0,
    completedAt,
  ));
}

async function outboxEvent(
  db: Db,
  e: {
    eventId: string;
    paymentId: string;
    topic: string;
    requestId?: string;
    status: string;
    publishedAt: Date | null;
  },
) {
  await db.execute(sql(
    `INSERT INTO outbox_event (event_id, aggregate_id, topic, payload, status, attempts,
       next_attempt_at, created_at, published_at)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
    e.eventId,
    e.paymentId,
    e.topic,
    JSON.stringify({ eventId: e.eventId, data: { requestId: e.requestId } }),
    e.status,
    e.publishedAt ?? t0,
    t0,
    e.publishedAt,
  ));
}

contract(
  "repair: the ledger source reads settled requests in keyset order with event and posting",
  both,
  async (db) => {
    const [capture] = ledgerSources;
    await request(db, "r1", "SUCCESS", at(1));
    await request(db, "r2", "SUCCESS", at(2));
    await request(db, "r2b", "SUCCESS", at(2));
    await request(db, "r3", "SUCCESS", at(9));
    await request(db, "r4", "PENDING", null);
    await outboxEvent(db, {
      eventId: "e1",
      paymentId: "pay_r1",
      topic: capture!.topic,
      requestId: "r1",
      status: "PUBLISHED",
      publishedAt: at(5),
    });
    await outboxEvent(db, {
      eventId: "e2",
      paymentId: "pay_r2",
      topic: capture!.topic,
      requestId: "r2",
      status: "DEAD",
      publishedAt: null,
    });
    await outboxEvent(db, {
      eventId: "e2x",
      paymentId: "pay_r2b",
      topic: capture!.topic,
      requestId: "other",
      status: "PUBLISHED",
      publishedAt: at(5),
    });
    await db.execute(sql(
      `INSERT INTO ledger_entry (source_event_id, payment_id, merchant_id, entry_type, currency, created_at)
     VALUES ('e1', 'pay_r1', 'm_r', 'CAPTURE', 'KRW', ?)`,
      t0,
    ));

    const rows = await scanLedgerSource(db, capture!, { after: start, until: at(5), limit: 10 });
    assert.deepEqual(
      rows.map((r) => [r.position.id, r.eventId, r.event?.status ?? null, r.applied]),
      [
        ["r1", "e1", "PUBLISHED", true],
        ["r2", "e2", "DEAD", false],
        ["r2b", null, null, false],
      ],
    );
    assert.equal(rows[0]?.position.at.getTime(), at(1).getTime());
    assert.equal(rows[0]?.event?.leftAt.getTime(), at(5).getTime());
    assert.equal(rows[1]?.event?.leftAt.getTime(), t0.getTime()); // DEAD: its creation
    assert.equal(rows[0]?.payload, null); // posted: payload not read
    assert.equal(JSON.parse(rows[1]!.payload!).eventId, "e2");
    assert.ok(rows.every((r) => r.topic === capture!.topic));

    const page = await scanLedgerSource(db, capture!, { after: start, until: at(5), limit: 2 });
    assert.deepEqual(page.map((r) => r.position.id), ["r1", "r2"]);
    const next = await scanLedgerSource(db, capture!, {
      after: page[1]!.position,
      until: at(10),
      limit: 10,
    });
    assert.deepEqual(next.map((r) => r.position.id), ["r2b", "r3"]);
    assert.deepEqual(
      await scanLedgerSource(db, ledgerSources[1]!, { after: start, until: at(10), limit: 10 }),
      [],
    );
  },
);

contract(
  "repair: the void source reads final payments; a missing void is inserted once",
  both,
  async (db) => {
    const [cancelled] = voidSources;
    const payment = (id: string, status: string, updatedAt: Date) =>
      insertPaymentStatement({
        id: id as PaymentId,
        merchantId: "m_v" as MerchantId,
        idempotencyKey: `k_${id}`,
        status: status as PaymentStatus,
        amount: 9_007_199_254_740,
        currency: "KRW" as Currency,
        capturedAmount: 0,
        refundedAmount: 0,
        orderId: null,
        description: null,
        pgAuthorizationId: "pg_a",
        declineCode: null,
        authExpiresAt: at(86_400_000),
        createdAt: t0,
        updatedAt,
      } as never);
    await runTransactionBatch(db, [
      payment("p1", "CANCELLED", at(1)),
      payment("p2", "CANCELLED", at(2)),
      payment("p3", "EXPIRED", at(1)),
    ]);
    await outboxEvent(db, {
      eventId: "ev1",
      paymentId: "p1",
      topic: cancelled!.topic,
      status: "PUBLISHED",
      publishedAt: at(3),
    });

    const rows = await scanVoidSource(db, cancelled!, { after: start, until: at(5), limit: 10 });
    assert.deepEqual(rows.map((r) => [r.paymentId, r.event?.status ?? null, r.applied]), [
      ["p1", "PUBLISHED", false],
      ["p2", null, false],
    ]);
    assert.deepEqual([rows[0]?.merchantId, rows[0]?.amount, rows[0]?.currency], [
      "m_v",
      9_007_199_254_740,
      "KRW",
    ]);
    assert.equal(await insertMissingVoidRequest(db, rows[0]!, at(4)), true);
    assert.equal(await insertMissingVoidRequest(db, rows[0]!, at(4)), false);
    const [voidRow] = await db.query(
      sql("SELECT status, created_at, amount FROM void_request WHERE payment_id = 'p1'"),
    );
    assert.equal(voidRow?.status, "PENDING");
    assert.equal(voidRow?.created_at.getTime(), at(1).getTime());
    const again = await scanVoidSource(db, cancelled!, { after: start, until: at(5), limit: 1 });
    assert.deepEqual(again.map((r) => [r.paymentId, r.applied]), [["p1", true]]);
    const expired = await scanVoidSource(db, voidSources[1]!, {
      after: start,
      until: at(5),
      limit: 10,
    });
    assert.deepEqual(expired.map((r) => r.paymentId), ["p3"]);
  },
);

contract("repair: a sweeper's cursor is saved and moved", both, async (db) => {
  assert.equal(await readSweepCursor(db, "ledger:capture"), null);
  await saveSweepCursor(db, "ledger:capture", { at: at(1), id: "r1" });
  await saveSweepCursor(db, "ledger:capture", { at: at(2), id: "r2" });
  await saveSweepCursor(db, "void:expired", { at: at(7), id: "p7" });
  const cursor = await readSweepCursor(db, "ledger:capture");
  assert.deepEqual([cursor?.at.getTime(), cursor?.id], [at(2).getTime(), "r2"]);
  assert.equal((await readSweepCursor(db, "void:expired"))?.id, "p7");
});

contract(
  "bus epoch: recorded, unchanged, and a new epoch replays the window once",
  both,
  async (db) => {
    const check = { bus: "redis", epoch: "e1", replayWindowMs: 60_000 };
    assert.deepEqual(await checkBusEpoch(db, check), { kind: "recorded" });
    assert.deepEqual(await checkBusEpoch(db, check), { kind: "unchanged" });
    const now = new Date();
    const old = new Date(now.getTime() - 3_600_000);
    await outboxEvent(db, {
      eventId: "recent",
      paymentId: "p",
      topic: "payment.captured",
      status: "PUBLISHED",
      publishedAt: now,
    });
    await outboxEvent(db, {
      eventId: "old",
      paymentId: "p",
      topic: "payment.captured",
      status: "PUBLISHED",
      publishedAt: old,
    });
    await db.execute(sql("UPDATE outbox_event SET next_attempt_at = published_at"));
    await outboxEvent(db, {
      eventId: "waiting",
      paymentId: "p",
      topic: "payment.captured",
      status: "NEW",
      publishedAt: null,
    });

    const racing = await Promise.all(
      [1, 2].map(() => checkBusEpoch(db, { ...check, epoch: "e2" })),
    );
    const replayed = racing.filter((o) => o.kind === "replayed");
    assert.deepEqual(replayed, [{ kind: "replayed", previousEpoch: "e1", rows: 1 }]);
    assert.deepEqual(racing.filter((o) => o.kind !== "replayed"), [{ kind: "unchanged" }]);
    const rows = await db.query(
      sql(
        "SELECT event_id, status, next_attempt_at, created_at FROM outbox_event ORDER BY event_id",
      ),
    );
    assert.deepEqual(rows.map((r) => [r.event_id, r.status]), [["old", "PUBLISHED"], [
      "recent",
      "NEW",
    ], ["waiting", "NEW"]]);
    assert.equal(rows[1]?.next_attempt_at.getTime(), rows[1]?.created_at.getTime());
    assert.deepEqual(await checkBusEpoch(db, { ...check, epoch: "e2" }), { kind: "unchanged" });
    assert.deepEqual(await checkBusEpoch(db, { ...check, bus: "kafka" }), { kind: "recorded" });
  },
);
