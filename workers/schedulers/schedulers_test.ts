import assert from "node:assert/strict";
import {
  claimDuePgRequests,
  type Db,
  insertIdempotencyRecordStatement,
  openStorage,
  runBatch,
} from "@pay/lib/db";
import { topics } from "@pay/lib/domain";
import { createRegistry } from "@pay/lib/metrics";
import { createFakePgClient } from "@pay/lib/pg";
import { fixtureRows, freshTestDatabase } from "@pay/lib/testing";
import { silentWorkerLog } from "../settlement/log.ts";
import {
  authorizedPayment,
  outboxEventsOf,
  paymentOf,
  requestCapture,
} from "../settlement/testing/fixtures.ts";
import { expireAuthorizations } from "./expire_authorizations.ts";
import { type PassResult, startIntervalLoop } from "./loop.ts";
import { purgeIdempotencyRecords } from "./purge_idempotency.ts";

const minuteMs = 60_000;

async function count(pool: Db, query: string, ...params: unknown[]): Promise<number> {
  const [row] = await fixtureRows(pool, query, ...params);
  return Number(row!.n);
}

Deno.test("expiry moves AUTHORIZED payments past auth_expires_at to EXPIRED with payment.expired, in bounded batches", async () => {
  const db = await freshTestDatabase("sch_expiry");
  const pg = createFakePgClient();
  const registry = createRegistry("workers");
  try {
    const past = new Date(Date.now() - minuteMs);
    const expired = await Promise.all(
      Array.from({ length: 5 }, () => authorizedPayment(db.pool, pg, { authExpiresAt: past })),
    );
    const fresh = await authorizedPayment(db.pool, pg);
    const capturing = await authorizedPayment(db.pool, pg, { authExpiresAt: past });
    await requestCapture(db.pool, capturing);

    const now = new Date();
    assert.deepEqual(await expireAuthorizations(db.pool, { now, batchSize: 2 }, registry), {
      items: 2,
      more: true,
    });
    assert.deepEqual(await expireAuthorizations(db.pool, { now, batchSize: 2 }, registry), {
      items: 2,
      more: true,
    });
    assert.deepEqual(await expireAuthorizations(db.pool, { now, batchSize: 2 }, registry), {
      items: 1,
      more: false,
    });

    for (const p of expired) {
      assert.equal((await paymentOf(db.pool, p.id)).status, "EXPIRED");
      const last = (await outboxEventsOf(db.pool, p.id)).at(-1)!;
      assert.equal(last.topic, topics.expired);
      assert.equal(last.envelope.amount, p.amount);
      assert.deepEqual([last.envelope.data.from, last.envelope.data.to], ["AUTHORIZED", "EXPIRED"]);
    }
    assert.equal((await paymentOf(db.pool, fresh.id)).status, "AUTHORIZED");
    assert.equal((await paymentOf(db.pool, capturing.id)).status, "CAPTURE_REQUESTED");
    assert.match(
      await registry.metrics(),
      /payment_transitions_total\{[^}]*from="AUTHORIZED",to="EXPIRED"[^}]*\} 5/,
    );
  } finally {
    await db.close();
  }
});

Deno.test("two expiry schedulers racing expire each payment exactly once", async () => {
  const db = await freshTestDatabase("sch_expiry_race");
  const pg = createFakePgClient();
  // Another process's pool: on SQLite, the process's one connection to the file.
  const otherPool = await openStorage(db.storage);
  try {
    const past = new Date(Date.now() - minuteMs);
    const payments = 40;
    await Promise.all(
      Array.from(
        { length: payments },
        () => authorizedPayment(db.pool, pg, { authExpiresAt: past }),
      ),
    );
    const drain = async (pool: Db) => {
      let total = 0;
      while (true) {
        const pass = await expireAuthorizations(
          pool,
          { now: new Date(), batchSize: 3 },
          createRegistry("workers"),
        );
        total += pass.items;
        if (pass.items === 0) return total;
      }
    };
    const [a, b] = await Promise.all([drain(db.pool), drain(otherPool)]);
    assert.equal(a + b, payments);
    assert.equal(
      await count(db.pool, "SELECT COUNT(*) AS n FROM payment_event WHERE to_status = 'EXPIRED'"),
      payments,
    );
    assert.equal(
      await count(
        db.pool,
        "SELECT COUNT(*) AS n FROM outbox_event WHERE topic = ?",
        topics.expired,
      ),
      payments,
    );
  } finally {
    await otherPool.close();
    await db.close();
  }
});

Deno.test("two retry schedulers claiming at once never claim one request twice", async () => {
  const db = await freshTestDatabase("sch_claim_race");
  const pg = createFakePgClient();
  // Another process's pool: on SQLite, the process's one connection to the file.
  const otherPool = await openStorage(db.storage);
  try {
    const requests = 30;
    const payments = await Promise.all(
      Array.from({ length: requests }, () => authorizedPayment(db.pool, pg)),
    );
    await Promise.all(payments.map((p) => requestCapture(db.pool, p)));
    const due = { now: new Date(Date.now() + minuteMs), graceMs: 0, leaseMs: minuteMs, limit: 4 };
    const drain = async (pool: Db) => {
      const ids: string[] = [];
      while (true) {
        const claimed = await claimDuePgRequests(pool, "capture", due);
        if (claimed.length === 0) return ids;
        ids.push(...claimed.map((r) => r.id));
      }
    };
    const [a, b] = await Promise.all([drain(db.pool), drain(otherPool)]);
    assert.equal(a.length + b.length, requests);
    assert.equal(new Set([...a, ...b]).size, requests);
    assert.equal(
      await count(db.pool, "SELECT COUNT(*) AS n FROM settlement_request WHERE attempts = 1"),
      requests,
    );
  } finally {
    await otherPool.close();
    await db.close();
  }
});

Deno.test("the idempotency purge deletes only expired records, in bounded batches", async () => {
  const db = await freshTestDatabase("sch_purge");
  try {
    const now = new Date();
    const record = (key: string, expiresAt: Date) =>
      insertIdempotencyRecordStatement({
        merchantId: "M123",
        key,
        fingerprint: "f".repeat(64),
        method: "POST",
        path: "/api/payments/authorize",
        httpStatus: 201,
        body: "{}",
        paymentId: null,
        createdAt: new Date(now.getTime() - 2 * minuteMs),
        expiresAt,
      });
    const past = new Date(now.getTime() - minuteMs);
    const future = new Date(now.getTime() + minuteMs);
    await runBatch(db.pool, [
      ...["a", "b", "c", "d", "e"].map((k) => record(`old-${k}`, past)),
      record("live", future),
    ]);
    assert.deepEqual(await purgeIdempotencyRecords(db.pool, now, 3), { items: 3, more: true });
    assert.deepEqual(await purgeIdempotencyRecords(db.pool, now, 3), { items: 2, more: false });
    const rows = await fixtureRows(db.pool, "SELECT idempotency_key FROM idempotency_record");
    assert.deepEqual(rows.map((r) => r.idempotency_key), ["live"]);
  } finally {
    await db.close();
  }
});

Deno.test("the interval loop runs passes back to back while they come back full, and survives a failing pass", async () => {
  const registry = createRegistry("workers");
  const results: Array<PassResult | Error> = [
    { items: 5, more: true },
    { items: 5, more: true },
    { items: 1, more: false },
    new Error("MariaDB went away"),
    { items: 0, more: false },
  ];
  let passes = 0;
  const loop = startIntervalLoop({
    name: "test-loop",
    intervalMs: 3_600_000,
    registry,
    log: silentWorkerLog,
    pass: () => {
      const next = results[passes++]!;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  });
  try {
    await loop.tickNow();
    assert.equal(passes, 3);
    await loop.tickNow();
    assert.equal(passes, 4);
    await loop.tickNow();
    assert.equal(passes, 5);
    const metrics = await registry.metrics();
    assert.match(metrics, /scheduler_runs_total\{[^}]*name="test-loop",result="ok"[^}]*\} 4/);
    assert.match(metrics, /scheduler_runs_total\{[^}]*name="test-loop",result="error"[^}]*\} 1/);
    assert.match(metrics, /scheduler_items_total\{[^}]*name="test-loop"[^}]*\} 11/);
  } finally {
    await loop.stop();
  }
});
