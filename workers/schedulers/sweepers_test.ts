import assert from "node:assert/strict";
import { until } from "@pay/lib/bus/testing";
import { readSettlementConfig, type SweepConfig } from "@pay/lib/config";
import {
  type Db,
  markOutboxPublished,
  openStorage,
  readLedgerEntries,
  tryAcquireSchedulerLease,
  verifyLedger,
  voidRequestId,
} from "@pay/lib/db";
import { topics } from "@pay/lib/domain";
import { createRegistry, type Registry } from "@pay/lib/metrics";
import { fixtureRows, fixtureWrite } from "@pay/lib/testing";
import { ledgerHandler } from "../ledger/consumer.ts";
import { silentWorkerLog } from "../settlement/log.ts";
import {
  authorizedPayment,
  cancelPayment,
  deliveredOf,
  outboxEventsOf,
  requestCapture,
  requestRefund,
  requestRow,
} from "../settlement/testing/fixtures.ts";
import { type SettlementHarness, settlementHarness } from "../settlement/testing/harness.ts";
import { expireAuthorizations } from "./expire_authorizations.ts";
import { leasedPass } from "./lease.ts";
import { sweepLedger } from "./ledger_sweeper.ts";
import { retryDueRequests } from "./settlement_retry.ts";
import type { SweepDeps } from "./sweep_pass.ts";
import { sweepVoids } from "./void_sweeper.ts";

const minuteMs = 60_000;
const sweep: SweepConfig = readSettlementConfig({}).schedulers.sweep;

function sweepDeps(pool: Db, registry: Registry): SweepDeps {
  return { pool, config: sweep, registry, log: silentWorkerLog };
}

/** A sweeper clock past the grace period of everything the test wrote. */
function later(): Date {
  return new Date(Date.now() + sweep.graceMs + minuteMs);
}

/** The relay published every NEW outbox row, and the bus lost them all. */
async function publishAndLose(pool: Db): Promise<number> {
  const rows = await fixtureRows(pool, "SELECT id FROM outbox_event WHERE status = 'NEW'");
  return await markOutboxPublished(pool, rows.map((r) => Number(r.id)));
}

/** A payment captured (and partly refunded) at the fake PG, its money events never consumed. */
async function settledPayment(h: SettlementHarness, refund: number) {
  const payment = await authorizedPayment(h.db.pool, h.fakePg, { amount: 10_000 });
  await h.handler((await requestCapture(h.db.pool, payment)).message);
  if (refund > 0) await h.handler((await requestRefund(h.db.pool, payment.id, refund)).message);
  const events = await outboxEventsOf(h.db.pool, payment.id);
  return events.filter((e) => e.topic === topics.captured || e.topic === topics.refunded);
}

function counter(metrics: string, name: string, sweeper: string): number {
  const match = new RegExp(`${name}\\{[^}]*sweeper="${sweeper}"[^}]*\\} (\\d+)`).exec(metrics);
  return Number(match?.[1] ?? 0);
}

Deno.test("the ledger sweeper posts captures and refunds whose events were lost, once", async () => {
  const h = await settlementHarness("sw_ledger");
  const registry = createRegistry("workers");
  try {
    const lost = [
      ...await settledPayment(h, 2_500),
      ...await settledPayment(h, 0),
    ];
    assert.equal(lost.length, 3);
    await publishAndLose(h.db.pool);
    const deps = sweepDeps(h.db.pool, registry);

    // Within the grace period the consumer may still be on its way: nothing is touched.
    assert.deepEqual(await sweepLedger(deps, new Date()), { items: 0, more: false });
    assert.deepEqual(await readLedgerEntries(h.db.pool), []);

    assert.deepEqual(await sweepLedger(deps, later()), { items: 3, more: false });
    const entries = await readLedgerEntries(h.db.pool);
    assert.deepEqual(
      entries.map((e) => e.sourceEventId).sort(),
      lost.map((e) => e.envelope.eventId).sort(),
    );
    assert.deepEqual(entries.map((e) => e.entryType).sort(), ["capture", "capture", "refund"]);
    assert.ok((await verifyLedger(h.db.pool)).ok, "the books balance and match the payments");

    assert.deepEqual(await sweepLedger(deps, later()), { items: 0, more: false });
    assert.equal((await readLedgerEntries(h.db.pool)).length, 3);
    const metrics = await registry.metrics();
    assert.equal(counter(metrics, "sweeper_found_total", "ledger"), 3);
    assert.equal(counter(metrics, "sweeper_repaired_total", "ledger"), 3);

    // A redelivery of a repaired event reaches the consumer later: it is a duplicate.
    await ledgerHandler(h.db.pool)(deliveredOf(lost[0]!.envelope, 2));
    assert.equal((await readLedgerEntries(h.db.pool)).length, 3);
  } finally {
    await h.close();
  }
});

Deno.test("the ledger sweeper waits for events still in the outbox, and checks them once they left", async () => {
  const h = await settlementHarness("sw_ledger_new");
  const registry = createRegistry("workers");
  try {
    const events = await settledPayment(h, 1_000);
    const deps = sweepDeps(h.db.pool, registry);
    assert.deepEqual(await sweepLedger(deps, later()), { items: 0, more: false });
    assert.equal(counter(await registry.metrics(), "sweeper_found_total", "ledger"), 0);

    // Settled long ago; the relay publishes the events only now, and the bus loses them.
    const longAgo = new Date(Date.now() - 10 * minuteMs);
    for (const table of ["settlement_request", "refund_request"]) {
      await fixtureWrite(
        h.db.pool,
        `UPDATE ${table} SET completed_at = ? WHERE completed_at IS NOT NULL`,
        longAgo,
      );
    }
    await publishAndLose(h.db.pool);
    assert.deepEqual(await sweepLedger(deps, new Date()), { items: 0, more: false }, "in grace");
    assert.deepEqual(await sweepLedger(deps, later()), { items: 2, more: false });
    assert.deepEqual(
      (await readLedgerEntries(h.db.pool)).map((e) => e.sourceEventId).sort(),
      events.map((e) => e.envelope.eventId).sort(),
    );
  } finally {
    await h.close();
  }
});

Deno.test("a pass checks at most a batch per source and goes on from its cursor", async () => {
  const h = await settlementHarness("sw_ledger_batches");
  const registry = createRegistry("workers");
  try {
    for (let i = 0; i < 5; i++) await settledPayment(h, 0);
    await publishAndLose(h.db.pool);
    const deps = { ...sweepDeps(h.db.pool, registry), config: { ...sweep, batchSize: 2 } };
    const now = later();
    const passes = [];
    for (let i = 0; i < 4; i++) passes.push(await sweepLedger(deps, now));
    assert.deepEqual(passes.map((p) => p.items), [2, 2, 1, 0]);
    assert.deepEqual(passes.map((p) => p.more), [true, true, false, false]);
    assert.equal((await readLedgerEntries(h.db.pool)).length, 5);
  } finally {
    await h.close();
  }
});

Deno.test("a sweeper pass racing the ledger consumer on the same events leaves one posting each", async () => {
  const h = await settlementHarness("sw_ledger_race");
  // Another process's pool: on SQLite, the process's one connection to the file.
  const otherPool = await openStorage(h.db.storage);
  try {
    const lost = [];
    for (let i = 0; i < 12; i++) lost.push(...await settledPayment(h, i % 3 === 0 ? 4_000 : 0));
    await publishAndLose(h.db.pool);
    const registry = createRegistry("workers");
    const consumer = ledgerHandler(otherPool);
    // The bus delivers late, exactly while the sweeper repairs.
    const [swept] = await Promise.all([
      sweepLedger(sweepDeps(h.db.pool, registry), later()),
      ...lost.map((e) => consumer(deliveredOf(e.envelope))),
    ]);
    const entries = await readLedgerEntries(h.db.pool);
    assert.equal(entries.length, lost.length);
    assert.equal(new Set(entries.map((e) => e.sourceEventId)).size, lost.length);
    assert.ok((await verifyLedger(h.db.pool)).ok);
    assert.equal(
      counter(await registry.metrics(), "sweeper_repaired_total", "ledger"),
      swept.items,
      "only the sweeper's own postings count as repairs",
    );
    assert.deepEqual(await sweepLedger(sweepDeps(h.db.pool, registry), later()), {
      items: 0,
      more: false,
    });
  } finally {
    await otherPool.close();
    await h.close();
  }
});

Deno.test("the void sweeper creates the lost void of a cancelled and an expired payment, and the retry scheduler voids them at the PG", async () => {
  const h = await settlementHarness("sw_void");
  const registry = createRegistry("workers");
  try {
    const cancelled = await authorizedPayment(h.db.pool, h.fakePg);
    await cancelPayment(h.db.pool, cancelled.id);
    const expiring = await authorizedPayment(h.db.pool, h.fakePg, {
      authExpiresAt: new Date(Date.now() - minuteMs),
    });
    await expireAuthorizations(h.db.pool, { now: new Date(), batchSize: 10 }, registry);
    const voidedInTime = await authorizedPayment(h.db.pool, h.fakePg);
    await h.handler(await cancelPayment(h.db.pool, voidedInTime.id));
    await publishAndLose(h.db.pool);
    const stillInOutbox = await authorizedPayment(h.db.pool, h.fakePg);
    await cancelPayment(h.db.pool, stillInOutbox.id);
    const deps = sweepDeps(h.db.pool, registry);

    assert.deepEqual(await sweepVoids(deps, new Date()), { items: 0, more: false });
    const now = later();
    assert.deepEqual(await sweepVoids(deps, now), { items: 2, more: false });
    assert.deepEqual(await sweepVoids(deps, now), { items: 0, more: false });
    const metrics = await registry.metrics();
    assert.equal(counter(metrics, "sweeper_found_total", "void"), 2);
    assert.equal(counter(metrics, "sweeper_repaired_total", "void"), 2);
    for (const p of [cancelled, expiring]) {
      assert.equal((await requestRow(h.db.pool, "void", voidRequestId(p.id))).status, "PENDING");
    }
    await assert.rejects(requestRow(h.db.pool, "void", voidRequestId(stillInOutbox.id)));

    const retried = await retryDueRequests(
      { pool: h.db.pool, settler: h.settler, config: h.config, log: silentWorkerLog },
      now,
    );
    assert.equal(retried.items, 2);
    const pgVoids = h.fakePg.operations().filter((o) => o.type === "cancel");
    assert.deepEqual(
      pgVoids.map((o) => o.idempotencyKey).sort(),
      [cancelled, expiring, voidedInTime].map((p) => voidRequestId(p.id)).sort(),
    );
    for (const p of [cancelled, expiring]) {
      assert.equal((await requestRow(h.db.pool, "void", voidRequestId(p.id))).status, "SUCCESS");
    }
  } finally {
    await h.close();
  }
});

Deno.test("a void sweeper racing the settlement consumer leaves one void per payment", async () => {
  const h = await settlementHarness("sw_void_race");
  try {
    const messages = [];
    for (let i = 0; i < 10; i++) {
      const payment = await authorizedPayment(h.db.pool, h.fakePg);
      messages.push(await cancelPayment(h.db.pool, payment.id));
    }
    await publishAndLose(h.db.pool);
    const registry = createRegistry("workers");
    const consumer = h.another().handler;
    const [swept] = await Promise.all([
      sweepVoids(sweepDeps(h.db.pool, registry), later()),
      ...messages.map((m) => consumer(m)),
    ]);
    const [count] = await fixtureRows(
      h.db.pool,
      "SELECT COUNT(*) AS n, COUNT(DISTINCT payment_id) AS payments FROM void_request",
    );
    assert.deepEqual([Number(count!.n), Number(count!.payments)], [10, 10]);
    assert.equal(counter(await registry.metrics(), "sweeper_repaired_total", "void"), swept.items);
  } finally {
    await h.close();
  }
});

Deno.test("of two worker processes only the lease holder sweeps, and a lapsed lease moves on", async () => {
  const h = await settlementHarness("sw_lease");
  try {
    let passes = 0;
    const pass = (owner: string) =>
      leasedPass({
        pool: h.db.pool,
        name: "test-sweeper",
        owner,
        intervalMs: 200,
        pass: () => {
          passes++;
          return Promise.resolve({ items: 1, more: false });
        },
      });
    assert.equal((await pass("a")()).items, 1);
    assert.equal((await pass("b")()).items, 0, "b runs while a holds the lease");
    assert.equal((await pass("a")()).items, 1, "the holder renews");
    const lease = { name: "test-sweeper", durationMs: 200 };
    // Leases run out on the database's clock: b takes the lease once a's has.
    await until(
      () => tryAcquireSchedulerLease(h.db.pool, { ...lease, owner: "b" }),
      "a's lease lapsing to b",
    );
    assert.equal(await tryAcquireSchedulerLease(h.db.pool, { ...lease, owner: "a" }), false);
    assert.equal(passes, 2);
  } finally {
    await h.close();
  }
});
