import assert from "node:assert/strict";
import { type Db, openAuthorizationAttempt } from "@pay/lib/db";
import { createRegistry } from "@pay/lib/metrics";
import type { FakePgClient, PgSettlementReport } from "@pay/lib/pg";
import { fixtureWrite } from "@pay/lib/testing";
import { authorizedPayment } from "../settlement/testing/fixtures.ts";
import { settlementHarness } from "../settlement/testing/harness.ts";
import { formatReport } from "./format.ts";
import { utcDateOf } from "./reconcile.ts";
import { runReconciliation } from "./run.ts";

const dayMs = 86_400_000;

/** The fake PG's approved authorizations of one UTC day, as pgsim's report lists them. */
function reportOf(pg: FakePgClient, date: string): PgSettlementReport {
  const operations = pg.operations();
  const authorizations = operations
    .filter((o) =>
      o.type === "authorize" && o.status === "APPROVED" &&
      new Date(o.atMs).toISOString().startsWith(date)
    )
    .map((o) => ({
      pgId: o.pgId,
      idempotencyKey: o.idempotencyKey,
      authorizationId: o.authorizationId,
      reference: o.reference,
      amount: o.amount,
      currency: o.currency,
      at: new Date(o.atMs).toISOString(),
      status: operations.some((c) => c.type === "cancel" && c.authorizationId === o.authorizationId)
        ? "CANCELLED" as const
        : "APPROVED" as const,
    }));
  return { date, captures: [], refunds: [], authorizations };
}

function hold(pg: FakePgClient, pgKey: string, amount = 7_000) {
  return pg.authorize({
    idempotencyKey: pgKey,
    merchantId: "M123",
    amount,
    currency: "KRW",
    paymentMethod: "tok_visa",
    reference: pgKey,
  });
}

function pendingAttempt(pool: Db, pgKey: string, idempotencyKey: string, amount = 7_000) {
  const now = new Date();
  return openAuthorizationAttempt(pool, {
    pgKey,
    merchantId: "M123",
    idempotencyKey,
    amount,
    currency: "KRW",
    paymentMethod: "tok_visa",
    fingerprint: "f".repeat(64),
    requestPath: "/api/payments/authorize",
    createdAt: now,
  });
}

Deno.test("reconciliation reports a PG hold without a payment and a payment the PG does not know; voided holds and next-day payments match", async () => {
  const h = await settlementHarness("rc_authorizations");
  const { pool } = h.db;
  const pg = h.fakePg;
  try {
    const date = utcDateOf(new Date());
    const matched = await authorizedPayment(pool, pg, { amount: 10_000 });
    const unknown = await authorizedPayment(pool, pg, { amount: 20_000 });
    // An orphan hold whose attempt is still PENDING, and one with no trace here at all.
    await pendingAttempt(pool, "az_orphan_pending", "k-orphan");
    await hold(pg, "az_orphan_pending");
    await hold(pg, "az_orphan_untraced", 8_000);
    // A hold the janitor voided: no payment, nothing to report.
    const voided = await hold(pg, "az_voided");
    await pg.cancel({
      idempotencyKey: "void_az_voided",
      authorizationId: voided.authorizationId,
      reference: "az_voided",
    });
    // A payment created the next day for today's approval: found through its attempt.
    const nextDay = await authorizedPayment(pool, pg, { amount: 30_000 });
    await pendingAttempt(pool, `auth_${nextDay.id}`, nextDay.idempotencyKey, 30_000);
    await fixtureWrite(
      pool,
      "UPDATE payment SET created_at = ? WHERE id = ?",
      new Date(nextDay.createdAt.getTime() + dayMs),
      nextDay.id,
    );

    const registry = createRegistry("workers");
    const fetchReport = (day: string) => {
      const report = reportOf(pg, day);
      if (day !== date) return Promise.resolve(report);
      const authorizations = report.authorizations!.filter((a) =>
        a.authorizationId !== unknown.pgAuthorizationId
      );
      return Promise.resolve({ ...report, authorizations });
    };
    const { runId, report } = await runReconciliation({ pool, fetchReport, registry }, date);

    assert.equal(report.clean, false);
    assert.equal(report.counts.authorizations_matched, 3, "matched, voided, next day");
    assert.equal(report.counts.hold_without_payment, 2);
    assert.equal(report.counts.payment_unknown_at_pg, 1);
    const holds = report.mismatches.filter((m) => m.kind === "hold_without_payment");
    assert.deepEqual(holds.map((m) => [m.requestId, m.operation, m.otherAmount]), [
      ["az_orphan_pending", "authorize", 7_000],
      ["az_orphan_untraced", "authorize", 8_000],
    ]);
    assert.match(holds[0]!.detail, /attempt is PENDING/);
    assert.match(holds[1]!.detail, /no attempt or payment here/);
    const [unknownHere] = report.mismatches.filter((m) => m.kind === "payment_unknown_at_pg");
    assert.deepEqual([unknownHere!.paymentId, unknownHere!.ourAmount], [unknown.id, 20_000]);
    assert.ok(!report.mismatches.some((m) => m.paymentId === matched.id));

    const metrics = await registry.metrics();
    assert.match(metrics, /reconciliation_mismatches\{[^}]*kind="hold_without_payment"[^}]*\} 2/);
    assert.match(metrics, /reconciliation_mismatches\{[^}]*kind="payment_unknown_at_pg"[^}]*\} 1/);
    assert.match(metrics, /reconciliation_authorizations_matched\{[^}]*\} 3/);
    const printed = formatReport(runId, report);
    assert.match(printed, /hold_without_payment\s+2/);
    assert.match(printed, /hold_without_payment authorize az_orphan_untraced/);
  } finally {
    await h.close();
  }
});

Deno.test("a PG report without authorizations reconciles captures and refunds only", async () => {
  const h = await settlementHarness("rc_no_authorizations");
  try {
    await authorizedPayment(h.db.pool, h.fakePg);
    const { report } = await runReconciliation({
      pool: h.db.pool,
      fetchReport: (day) => Promise.resolve({ date: day, captures: [], refunds: [] }),
    }, utcDateOf(new Date()));
    assert.equal(report.clean, true);
    assert.equal(report.counts.authorizations_matched, 0);
  } finally {
    await h.close();
  }
});
