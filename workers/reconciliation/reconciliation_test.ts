import assert from "node:assert/strict";
import { parsePaymentEvent } from "@pay/lib/bus";
import {
  applyLedgerEvent,
  type Db,
  latestReconciliationRuns,
  reconciliationMismatchesOf,
  withNamedLock,
} from "@pay/lib/db";
import { journalEntryFor, PgUnavailableError, topics } from "@pay/lib/domain";
import { createRegistry } from "@pay/lib/metrics";
import type { FakePgClient, PgSettlementEntry, PgSettlementReport } from "@pay/lib/pg";
import { fixtureRows, fixtureWrite } from "@pay/lib/testing";
import {
  authorizedPayment,
  busMessageOf,
  requestCapture,
  requestRefund,
} from "../settlement/testing/fixtures.ts";
import { type SettlementHarness, settlementHarness } from "../settlement/testing/harness.ts";
import type { Mismatch } from "./compare.ts";
import { reconcileDay, utcDateOf } from "./reconcile.ts";
import { runReconciliation } from "./run.ts";
import { reconciliationLockName, startReconciliationScheduler } from "./scheduler.ts";
import { silentWorkerLog } from "../settlement/log.ts";

const dayMs = 86_400_000;

/** The fake PG's captures, refunds and approvals of one UTC day, as pgsim's /v1/settlements reports them. */
function reportOf(pg: FakePgClient, date: string): PgSettlementReport {
  const operations = pg.operations();
  const statusOf = (authorizationId: string) => {
    const types = operations.filter((o) => o.authorizationId === authorizationId).map((o) =>
      o.type
    );
    if (types.includes("cancel")) return "CANCELLED" as const;
    return types.includes("capture") ? "CAPTURED" as const : "APPROVED" as const;
  };
  const entries = (type: "authorize" | "capture" | "refund"): PgSettlementEntry[] =>
    operations
      .filter((o) => o.type === type && new Date(o.atMs).toISOString().startsWith(date))
      .map((o) => ({
        pgId: o.pgId,
        idempotencyKey: o.idempotencyKey,
        authorizationId: o.authorizationId,
        reference: o.reference,
        amount: o.amount,
        currency: o.currency,
        at: new Date(o.atMs).toISOString(),
      }));
  const authorizations = entries("authorize")
    .filter((e) => operations.some((o) => o.pgId === e.pgId && o.status === "APPROVED"))
    .map((e) => ({ ...e, status: statusOf(e.authorizationId) }));
  return { date, captures: entries("capture"), refunds: entries("refund"), authorizations };
}

/** What the ledger consumer does: post every captured/refunded event of the outbox. */
async function postLedger(pool: Db): Promise<void> {
  const rows = await fixtureRows(
    pool,
    "SELECT topic, payload FROM outbox_event WHERE topic IN (?, ?) ORDER BY id",
    topics.captured,
    topics.refunded,
  );
  for (const row of rows) {
    const payload = JSON.parse(String(row.payload));
    const { topic, envelope } = parsePaymentEvent(busMessageOf(payload));
    await applyLedgerEvent(pool, "ledger", envelope.eventId, journalEntryFor(topic, envelope));
  }
}

interface Day {
  readonly h: SettlementHarness;
  readonly date: string;
  /** Capture request ids, then the refund request id. */
  readonly captures: string[];
  readonly refund: string;
  readonly paymentIds: string[];
}

/** Three captured payments, one of them partially refunded, with the ledger posted. */
async function settledDay(name: string): Promise<Day> {
  const h = await settlementHarness(name);
  const payments = await Promise.all(
    [10_000, 20_000, 30_000].map((amount) => authorizedPayment(h.db.pool, h.fakePg, { amount })),
  );
  const captures: string[] = [];
  for (const payment of payments) {
    const { requestId, message } = await requestCapture(h.db.pool, payment);
    await h.handler(message);
    captures.push(requestId);
  }
  const refund = await requestRefund(h.db.pool, payments[0]!.id, 4_000);
  await h.handler(refund.message);
  await postLedger(h.db.pool);
  return {
    h,
    date: utcDateOf(new Date()),
    captures,
    refund: refund.requestId,
    paymentIds: payments.map((p) => p.id),
  };
}

function only(mismatches: readonly Mismatch[], kind: Mismatch["kind"]): Mismatch {
  const found = mismatches.filter((m) => m.kind === kind);
  assert.equal(found.length, 1, `${kind}: ${JSON.stringify(mismatches)}`);
  return found[0]!;
}

Deno.test("a day settled alike here, at the PG and in the ledger reconciles clean", async () => {
  const day = await settledDay("rc_clean");
  try {
    const report = await reconcileDay({
      pool: day.h.db.pool,
      fetchReport: (date) => Promise.resolve(reportOf(day.h.fakePg, date)),
    }, day.date);
    assert.deepEqual(report.mismatches, []);
    assert.equal(report.clean, true);
    assert.equal(report.counts.matched, 4);
    assert.equal(report.counts.authorizations_matched, 3);
  } finally {
    await day.h.close();
  }
});

Deno.test("reconciliation reports each planted kind of mismatch, stores the run and exports it", async () => {
  const day = await settledDay("rc_planted");
  const { pool } = day.h.db;
  try {
    // missing here: the PG captured under a key we never issued.
    const ghost = await authorizedPayment(pool, day.h.fakePg, { amount: 5_000 });
    await day.h.fakePg.capture({
      idempotencyKey: "cap_ghost",
      authorizationId: ghost.pgAuthorizationId!,
      amount: 5_000,
      currency: "KRW",
      reference: ghost.id,
    });
    // ledger mismatch: the second capture posted twice (a second balanced entry).
    await fixtureWrite(
      pool,
      `INSERT INTO ledger_entry (source_event_id, payment_id, merchant_id, entry_type, currency, created_at)
       VALUES ('evt_planted_twice', ?, 'M123', 'capture', 'KRW', NOW(3))`,
      day.paymentIds[1],
    );
    await fixtureWrite(
      pool,
      `INSERT INTO ledger_line (entry_id, account, direction, amount, currency)
       SELECT id, 'pg_clearing', 'DEBIT', 20000, 'KRW' FROM ledger_entry WHERE source_event_id = 'evt_planted_twice'
       UNION ALL
       SELECT id, 'merchant_payable:M123', 'CREDIT', 20000, 'KRW' FROM ledger_entry WHERE source_event_id = 'evt_planted_twice'`,
    );
    // ledger unbalanced: an entry whose credit misses 10.
    await fixtureWrite(
      pool,
      `INSERT INTO ledger_entry (source_event_id, payment_id, merchant_id, entry_type, currency, created_at)
       VALUES ('evt_planted_unbalanced', ?, 'M123', 'adjustment', 'KRW', NOW(3))`,
      day.paymentIds[2],
    );
    await fixtureWrite(
      pool,
      `INSERT INTO ledger_line (entry_id, account, direction, amount, currency)
       SELECT id, 'pg_clearing', 'DEBIT', 100, 'KRW' FROM ledger_entry WHERE source_event_id = 'evt_planted_unbalanced'
       UNION ALL
       SELECT id, 'merchant_payable:M123', 'CREDIT', 90, 'KRW' FROM ledger_entry WHERE source_event_id = 'evt_planted_unbalanced'`,
    );
    const [lost, misreported] = [day.captures[0]!, day.captures[2]!];
    const fetchReport = (date: string) => {
      const report = reportOf(day.h.fakePg, date);
      return Promise.resolve({
        ...report,
        // missing at the PG: the PG has no record of our first capture.
        captures: report.captures
          .filter((e) => e.idempotencyKey !== lost)
          // amount mismatch: the PG settled our third capture for 1 less.
          .map((e) => e.idempotencyKey === misreported ? { ...e, amount: e.amount - 1 } : e),
      });
    };
    const registry = createRegistry("workers");
    const { runId, report } = await runReconciliation({ pool, fetchReport, registry }, day.date);

    assert.equal(report.clean, false);
    assert.deepEqual(report.counts, {
      matched: 2,
      missing_at_pg: 1,
      missing_here: 1,
      amount_mismatch: 1,
      ledger_mismatch: 1,
      ledger_unbalanced: 1,
      authorizations_matched: 4,
      hold_without_payment: 0,
      payment_unknown_at_pg: 0,
    });
    const m = report.mismatches;
    assert.equal(only(m, "missing_at_pg").requestId, lost);
    assert.deepEqual(
      [only(m, "missing_here").requestId, only(m, "missing_here").paymentId],
      ["cap_ghost", ghost.id],
    );
    const amount = only(m, "amount_mismatch");
    assert.deepEqual([amount.requestId, amount.ourAmount, amount.otherAmount], [
      misreported,
      30_000,
      29_999,
    ]);
    const ledger = only(m, "ledger_mismatch");
    assert.deepEqual([ledger.paymentId, ledger.operation, ledger.ourAmount, ledger.otherAmount], [
      day.paymentIds[1],
      "capture",
      20_000,
      40_000,
    ]);
    const unbalanced = only(m, "ledger_unbalanced");
    assert.deepEqual([unbalanced.paymentId, unbalanced.ourAmount, unbalanced.otherAmount], [
      day.paymentIds[2],
      100,
      90,
    ]);

    const [stored] = await latestReconciliationRuns(pool, 1);
    assert.equal(stored!.id, runId);
    assert.equal(stored!.status, "MISMATCHED");
    assert.equal(stored!.date, day.date);
    assert.deepEqual(stored!.counts, report.counts);
    const storedMismatches = await reconciliationMismatchesOf(pool, runId);
    assert.deepEqual(storedMismatches.map((s) => s.kind).sort(), m.map((x) => x.kind).sort());
    const metrics = await registry.metrics();
    for (const kind of report.mismatches.map((x) => x.kind)) {
      assert.match(
        metrics,
        new RegExp(`reconciliation_mismatches\\{[^}]*kind="${kind}"[^}]*\\} 1`),
      );
    }
    assert.match(metrics, /reconciliation_runs_total\{[^}]*result="mismatched"[^}]*\} 1/);
  } finally {
    await day.h.close();
  }
});

Deno.test("requests settled across midnight match the neighbouring day's report", async () => {
  const day = await settledDay("rc_midnight");
  const { pool } = day.h.db;
  try {
    const [early, late] = [day.captures[0]!, day.captures[1]!];
    // We recorded `late` on the next day; the PG recorded `early` on the previous day.
    const [settled] = await fixtureRows(
      pool,
      "SELECT completed_at FROM settlement_request WHERE id = ?",
      late,
    );
    await fixtureWrite(
      pool,
      "UPDATE settlement_request SET completed_at = ? WHERE id = ?",
      new Date((settled!.completed_at as Date).getTime() + dayMs),
      late,
    );
    const previousDate = utcDateOf(new Date(Date.parse(day.date) - dayMs));
    const fetchReport = (date: string) => {
      const today = reportOf(day.h.fakePg, day.date);
      const moved = today.captures.filter((e) => e.idempotencyKey === early);
      if (date === previousDate) return Promise.resolve({ date, captures: moved, refunds: [] });
      if (date !== day.date) return Promise.resolve({ date, captures: [], refunds: [] });
      const captures = today.captures.filter((e) => e.idempotencyKey !== early);
      return Promise.resolve({ ...today, captures });
    };
    const report = await reconcileDay({ pool, fetchReport }, day.date);
    assert.deepEqual(report.mismatches, []);
    assert.equal(report.counts.matched, 4);
  } finally {
    await day.h.close();
  }
});

Deno.test("a run the PG cannot answer is stored as FAILED and counted", async () => {
  const day = await settledDay("rc_failed");
  try {
    const registry = createRegistry("workers");
    await assert.rejects(
      () =>
        runReconciliation({
          pool: day.h.db.pool,
          fetchReport: () =>
            Promise.reject(new PgUnavailableError("PG answered 503 to settlements")),
          registry,
        }, day.date),
      PgUnavailableError,
    );
    const [stored] = await latestReconciliationRuns(day.h.db.pool, 1);
    assert.equal(stored!.status, "FAILED");
    assert.match(stored!.error ?? "", /503/);
    assert.match(
      await registry.metrics(),
      /reconciliation_runs_total\{[^}]*result="failed"[^}]*\} 1/,
    );
  } finally {
    await day.h.close();
  }
});

Deno.test("the scheduled run reconciles the previous UTC day, and skips a tick while another process holds the lock", async () => {
  const day = await settledDay("rc_scheduled");
  const { pool } = day.h.db;
  const registry = createRegistry("workers");
  const loop = startReconciliationScheduler({
    pool,
    fetchReport: (date) => Promise.resolve(reportOf(day.h.fakePg, date)),
    registry,
    log: silentWorkerLog,
    intervalMs: dayMs,
    now: () => new Date(Date.now() + dayMs),
  });
  try {
    // Another process holds the lock through this tick.
    const held = await withNamedLock(pool, reconciliationLockName, async () => {
      await loop.tickNow();
      assert.deepEqual(await latestReconciliationRuns(pool, 1), []);
    });
    assert.ok(held, "the test held the lock");

    await loop.tickNow();
    const runs = await latestReconciliationRuns(pool, 5);
    assert.deepEqual(runs.map((r) => [r.date, r.status, r.counts.matched]), [
      [day.date, "CLEAN", 4],
    ]);
    const metrics = await registry.metrics();
    assert.match(metrics, /reconciliation_mismatches\{[^}]*kind="missing_at_pg"[^}]*\} 0/);
    assert.match(metrics, /reconciliation_runs_total\{[^}]*result="clean"[^}]*\} 1/);
  } finally {
    await loop.stop();
    await day.h.close();
  }
});

Deno.test("a date that is not a UTC calendar day is refused before anything is read", async () => {
  const unused = {} as Db;
  for (const date of ["2026-02-30", "yesterday", "2026-1-05", ""]) {
    await assert.rejects(
      () => reconcileDay({ pool: unused, fetchReport: () => Promise.reject() }, date),
      /date must be a UTC date YYYY-MM-DD/,
    );
  }
});
