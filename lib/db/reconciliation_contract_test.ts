/**
 * Reconciliation contracts (what it compares, its stored runs, the settlement
 * bench's timings), on both adapters (harness: repository_contract.ts).
 */
import assert from "node:assert/strict";
import {
  type Currency,
  idPrefixes,
  type MerchantId,
  type PaymentId,
  type PaymentStatus,
  sortableId,
} from "../domain/mod.ts";
import { openAuthorizationAttempt } from "./authorization_attempt_repo.ts";
import { sql } from "./batch.ts";
import { insertPaymentStatement } from "./payment_repo.ts";
import type { Db } from "./port.ts";
import {
  attemptsWithPaymentsByPgKeys,
  authorizedPaymentsBetween,
  idsPerQueryMax,
  ledgerTotalsOfPayments,
  paymentsWithLedgerEntriesBetween,
  requestsByIds,
  settledRequestsBetween,
  settledTotalsOfPayments,
  unbalancedLedgerEntriesBetween,
} from "./reconciliation_repo.ts";
import {
  insertReconciliationRun,
  latestReconciliationRuns,
  mismatchesStoredMax,
  reconciliationMismatchesOf,
  type ReconciliationMismatchRecord,
  reconciliationRunById,
  type ReconciliationRunRecord,
  reconciliationTextCharsMax,
} from "./reconciliation_run_repo.ts";
import { both, contract, nextId } from "./repository_contract.ts";
import { type PgRequestKind, pgRequestTable } from "./settlement_repo.ts";
import { captureRequestTimings, countCompletedCaptureRequests } from "./settlement_timing_repo.ts";
import { runTransactionBatch } from "./transaction.ts";

const dayMs = 86_400_000;
const from = new Date(Date.UTC(2026, 0, 2));
const to = new Date(from.getTime() + dayMs);
const at = (ms: number) => new Date(from.getTime() + ms);
/** Past 2^32, so an amount read back as a 32-bit or float value would show. */
const bigAmount = 9_007_199_254_740;

async function pgRequest(
  db: Db,
  kind: PgRequestKind,
  r: { id: string; paymentId: string; amount: number; status: string; completedAt: Date | null },
): Promise<void> {
  await db.execute(sql(
    `INSERT INTO ${pgRequestTable(kind)} (id, payment_id, merchant_id, amount, currency, status,
       attempts, next_attempt_at, created_at, updated_at, completed_at)
     VALUES (?, ?, 'm_recon', ?, 'KRW', ?, 1, ?, ?, ?, ?)`,
    r.id,
    r.paymentId,
    r.amount,
    r.status,
    from,
    from,
    from,
    r.completedAt,
  ));
}

/** A journal entry written at `createdAt` with `lines` ([direction, amount]); returns its id. */
async function ledgerEntry(
  db: Db,
  e: {
    paymentId: string;
    entryType: string;
    createdAt: Date;
    lines: ReadonlyArray<readonly ["DEBIT" | "CREDIT", number]>;
  },
): Promise<number> {
  const { insertId } = await db.execute(sql(
    `INSERT INTO ledger_entry (source_event_id, payment_id, merchant_id, entry_type, currency, created_at)
     VALUES (?, ?, 'm_recon', ?, 'KRW', ?)`,
    nextId("evt"),
    e.paymentId,
    e.entryType,
    e.createdAt,
  ));
  for (const [direction, amount] of e.lines) {
    await db.execute(sql(
      `INSERT INTO ledger_line (entry_id, account, direction, amount, currency)
       VALUES (?, 'acct', ?, ?, 'KRW')`,
      insertId,
      direction,
      amount,
    ));
  }
  return Number(insertId);
}

const balanced = (amount: number) => [["DEBIT", amount], ["CREDIT", amount]] as const;

/** A payment whose id carries `idAt` as its time (ids sort by creation time). */
async function payment(
  db: Db,
  p: {
    status: PaymentStatus;
    createdAt: Date;
    idAt?: Date;
    merchantId?: string;
    idempotencyKey?: string;
  },
): Promise<string> {
  const id = idPrefixes.payment + sortableId((p.idAt ?? p.createdAt).getTime());
  await runTransactionBatch(db, [insertPaymentStatement({
    id: id as PaymentId,
    merchantId: (p.merchantId ?? "m_recon") as MerchantId,
    idempotencyKey: p.idempotencyKey ?? nextId("key"),
    status: p.status,
    amount: bigAmount,
    currency: "KRW" as Currency,
    capturedAmount: 0,
    refundedAmount: 0,
    orderId: null,
    description: null,
    pgAuthorizationId: p.status === "AUTH_FAILED" ? null : `pg_${id}`,
    declineCode: null,
    authExpiresAt: null,
    createdAt: p.createdAt,
    updatedAt: p.createdAt,
  })]);
  return id;
}

const byId = <T extends { id: string }>(items: readonly T[]) =>
  [...items].sort((a, b) => a.id.localeCompare(b.id));

contract(
  "reconciliation: a day's settled requests are the SUCCESS ones completed in [from, to)",
  both,
  async (db) => {
    const capture = (id: string, status: string, completedAt: Date | null) =>
      pgRequest(db, "capture", {
        id,
        paymentId: `pay_${id}`,
        amount: bigAmount,
        status,
        completedAt,
      });
    await capture("c0", "SUCCESS", at(-1));
    await capture("c1", "SUCCESS", from);
    await capture("c2", "SUCCESS", at(dayMs - 1));
    await capture("c3", "SUCCESS", to);
    await capture("c4", "FAILED", at(5));
    await capture("c5", "PENDING", null);
    await pgRequest(db, "refund", {
      id: "r1",
      paymentId: "pay_c1",
      amount: 300,
      status: "SUCCESS",
      completedAt: at(7),
    });

    assert.deepEqual(byId(await settledRequestsBetween(db, "capture", from, to)), [
      {
        kind: "capture",
        id: "c1",
        paymentId: "pay_c1",
        amount: bigAmount,
        currency: "KRW",
        status: "SUCCESS",
      },
      {
        kind: "capture",
        id: "c2",
        paymentId: "pay_c2",
        amount: bigAmount,
        currency: "KRW",
        status: "SUCCESS",
      },
    ]);
    assert.deepEqual(await settledRequestsBetween(db, "refund", from, to), [
      {
        kind: "refund",
        id: "r1",
        paymentId: "pay_c1",
        amount: 300,
        currency: "KRW",
        status: "SUCCESS",
      },
    ]);
  },
);

contract(
  "reconciliation: requests are found by id whatever their date and status, past one query's ids",
  both,
  async (db) => {
    await pgRequest(db, "capture", {
      id: "c0",
      paymentId: "p0",
      amount: 1,
      status: "SUCCESS",
      completedAt: at(-dayMs),
    });
    await pgRequest(db, "capture", {
      id: "c4",
      paymentId: "p4",
      amount: 4,
      status: "FAILED",
      completedAt: at(1),
    });
    await pgRequest(db, "capture", {
      id: "c5",
      paymentId: "p5",
      amount: 5,
      status: "PENDING",
      completedAt: null,
    });
    await pgRequest(db, "refund", {
      id: "r1",
      paymentId: "p0",
      amount: 1,
      status: "SUCCESS",
      completedAt: at(1),
    });
    const unknown = Array.from({ length: idsPerQueryMax }, (_, i) => `unknown_${i}`);

    const found = await requestsByIds(db, "capture", ["c4", "c5", ...unknown, "c0", "r1"]);
    assert.deepEqual(byId(found).map((r) => [r.id, r.status, r.amount]), [
      ["c0", "SUCCESS", 1],
      ["c4", "FAILED", 4],
      ["c5", "PENDING", 5],
    ]);
    assert.deepEqual(await requestsByIds(db, "refund", ["r1"]).then((r) => r.map((x) => x.kind)), [
      "refund",
    ]);
    assert.deepEqual(await requestsByIds(db, "capture", []), []);
  },
);

contract(
  "reconciliation: settled totals per payment sum its SUCCESS captures and refunds",
  both,
  async (db) => {
    const add = (kind: PgRequestKind, paymentId: string, amount: number, status: string) =>
      pgRequest(db, kind, { id: nextId(kind), paymentId, amount, status, completedAt: at(1) });
    await add("capture", "p1", 600, "SUCCESS");
    await add("capture", "p1", bigAmount, "SUCCESS");
    await add("capture", "p1", 50, "FAILED");
    await add("refund", "p1", 300, "SUCCESS");
    await add("refund", "p1", 10, "PENDING");
    await add("capture", "p2", 700, "SUCCESS");
    await add("capture", "p3", 70, "SUCCESS");

    const totals = await settledTotalsOfPayments(db, ["p1", "p2", "p9"]);
    assert.deepEqual(
      new Map([...totals].sort()),
      new Map([["p1", { capture: 600 + bigAmount, refund: 300 }], ["p2", {
        capture: 700,
        refund: 0,
      }]]),
    );
    assert.equal((await settledTotalsOfPayments(db, [])).size, 0);
  },
);

contract(
  "reconciliation: ledger totals per payment sum the debit lines of its entries by type",
  both,
  async (db) => {
    await ledgerEntry(db, {
      paymentId: "p1",
      entryType: "capture",
      createdAt: at(1),
      lines: balanced(bigAmount),
    });
    await ledgerEntry(db, {
      paymentId: "p1",
      entryType: "refund",
      createdAt: at(2),
      lines: balanced(300),
    });
    await ledgerEntry(db, {
      paymentId: "p1",
      entryType: "refund",
      createdAt: at(-dayMs),
      lines: balanced(20),
    });
    await ledgerEntry(db, {
      paymentId: "p2",
      entryType: "capture",
      createdAt: at(3),
      lines: [["DEBIT", 650], ["DEBIT", 50], ["CREDIT", 700]],
    });
    await ledgerEntry(db, {
      paymentId: "p3",
      entryType: "capture",
      createdAt: at(3),
      lines: balanced(9),
    });

    const totals = await ledgerTotalsOfPayments(db, ["p1", "p2", "p9"]);
    assert.deepEqual(
      new Map([...totals].sort()),
      new Map([["p1", { capture: bigAmount, refund: 320 }], ["p2", { capture: 700, refund: 0 }]]),
    );
  },
);

contract("reconciliation: payments with ledger entries of a day, each once", both, async (db) => {
  await ledgerEntry(db, {
    paymentId: "p1",
    entryType: "capture",
    createdAt: at(1),
    lines: balanced(1),
  });
  await ledgerEntry(db, {
    paymentId: "p1",
    entryType: "refund",
    createdAt: at(2),
    lines: balanced(1),
  });
  await ledgerEntry(db, {
    paymentId: "p2",
    entryType: "capture",
    createdAt: to,
    lines: balanced(1),
  });
  await ledgerEntry(db, {
    paymentId: "p3",
    entryType: "capture",
    createdAt: from,
    lines: balanced(1),
  });
  await ledgerEntry(db, {
    paymentId: "p4",
    entryType: "capture",
    createdAt: at(-1),
    lines: balanced(1),
  });

  assert.deepEqual((await paymentsWithLedgerEntriesBetween(db, from, to)).sort(), ["p1", "p3"]);
});

contract(
  "reconciliation: a day's unbalanced ledger entries are those whose debits and credits differ or with fewer than two lines",
  both,
  async (db) => {
    await ledgerEntry(db, {
      paymentId: "p1",
      entryType: "capture",
      createdAt: at(1),
      lines: balanced(bigAmount),
    });
    const uneven = await ledgerEntry(db, {
      paymentId: "p2",
      entryType: "capture",
      createdAt: at(2),
      lines: [["DEBIT", 100], ["CREDIT", 90]],
    });
    const oneLine = await ledgerEntry(db, {
      paymentId: "p3",
      entryType: "refund",
      createdAt: at(3),
      lines: [["DEBIT", 100]],
    });
    const noLines = await ledgerEntry(db, {
      paymentId: "p4",
      entryType: "capture",
      createdAt: at(4),
      lines: [],
    });
    await ledgerEntry(db, {
      paymentId: "p5",
      entryType: "capture",
      createdAt: to,
      lines: [["DEBIT", 1]],
    });

    const found = await unbalancedLedgerEntriesBetween(db, from, to);
    assert.deepEqual([...found].sort((a, b) => a.entryId - b.entryId), [
      { entryId: uneven, paymentId: "p2", entryType: "capture", debits: 100, credits: 90 },
      { entryId: oneLine, paymentId: "p3", entryType: "refund", debits: 100, credits: 0 },
      { entryId: noLines, paymentId: "p4", entryType: "capture", debits: 0, credits: 0 },
    ]);
  },
);

contract(
  "reconciliation: a day's authorized payments are read by id range, created_at deciding, AUTH_FAILED left out",
  both,
  async (db) => {
    const authorized = await payment(db, { status: "AUTHORIZED", createdAt: from });
    const captured = await payment(db, { status: "CAPTURED", createdAt: at(dayMs - 1) });
    // Its id was minted a little before midnight, its row written just after.
    const straddling = await payment(db, {
      status: "EXPIRED",
      createdAt: at(1),
      idAt: at(-60_000),
    });
    await payment(db, { status: "AUTH_FAILED", createdAt: at(2) });
    await payment(db, { status: "AUTHORIZED", createdAt: to });
    await payment(db, { status: "AUTHORIZED", createdAt: at(-1) });
    await payment(db, { status: "AUTHORIZED", createdAt: at(-2), idAt: at(1) });

    const found = await authorizedPaymentsBetween(db, from, to);
    assert.deepEqual(
      byId(found),
      byId([
        {
          id: authorized,
          amount: bigAmount,
          currency: "KRW",
          status: "AUTHORIZED",
          pgAuthorizationId: `pg_${authorized}`,
        },
        {
          id: captured,
          amount: bigAmount,
          currency: "KRW",
          status: "CAPTURED",
          pgAuthorizationId: `pg_${captured}`,
        },
        {
          id: straddling,
          amount: bigAmount,
          currency: "KRW",
          status: "EXPIRED",
          pgAuthorizationId: `pg_${straddling}`,
        },
      ]),
    );
  },
);

contract(
  "reconciliation: attempts by PG key come with the payment of their merchant and key, if any",
  both,
  async (db) => {
    const attempt = async (merchantId: string, idempotencyKey: string) => {
      const pgKey = nextId("pg");
      await openAuthorizationAttempt(db, {
        pgKey,
        merchantId,
        idempotencyKey,
        amount: 500,
        currency: "KRW",
        paymentMethod: "card",
        fingerprint: "fp",
        requestPath: "/v1/payments",
        createdAt: from,
      });
      return pgKey;
    };
    const withPayment = await attempt("m_recon", "k1");
    const paymentId = await payment(db, {
      status: "AUTHORIZED",
      createdAt: from,
      idempotencyKey: "k1",
    });
    const without = await attempt("m_recon", "k2");
    // Same key, another merchant: not this attempt's payment.
    const otherMerchant = await attempt("m_other", "k1");

    const found = await attemptsWithPaymentsByPgKeys(db, [
      withPayment,
      without,
      otherMerchant,
      "pg_unknown",
    ]);
    const expected = [
      { pgKey: withPayment, paymentId, paymentAmount: bigAmount, paymentCurrency: "KRW" },
      { pgKey: without, paymentId: null, paymentAmount: null, paymentCurrency: null },
      { pgKey: otherMerchant, paymentId: null, paymentAmount: null, paymentCurrency: null },
    ].map((e) => ({ ...e, status: "PENDING", outcome: null }));
    const byKey = (a: { pgKey: string }, b: { pgKey: string }) => a.pgKey.localeCompare(b.pgKey);
    assert.deepEqual([...found].sort(byKey), expected.sort(byKey));
    assert.deepEqual(await attemptsWithPaymentsByPgKeys(db, []), []);
  },
);

function run(overrides: Partial<ReconciliationRunRecord> = {}): ReconciliationRunRecord {
  return {
    date: "2026-01-02",
    status: "CLEAN",
    counts: {
      matched: 7,
      missing_at_pg: 1,
      missing_here: 2,
      amount_mismatch: 3,
      ledger_mismatch: 4,
      ledger_unbalanced: 5,
      authorizations_matched: 6,
      hold_without_payment: 8,
      payment_unknown_at_pg: 9,
    },
    error: null,
    startedAt: at(dayMs + 1_000),
    finishedAt: at(dayMs + 2_345),
    ...overrides,
  };
}

function mismatch(detail: string): ReconciliationMismatchRecord {
  return {
    kind: "amount_mismatch",
    operation: "capture",
    requestId: "req_1",
    paymentId: "pay_1",
    ourAmount: bigAmount,
    otherAmount: 1,
    detail,
  };
}

contract(
  "reconciliation runs: a run is stored with its counts, cut texts and mismatches; read by id and newest first",
  both,
  async (db) => {
    const failed = run({ status: "FAILED", error: "x".repeat(reconciliationTextCharsMax + 100) });
    const failedId = await insertReconciliationRun(db, failed, []);
    const partial: ReconciliationMismatchRecord = {
      kind: "missing_here",
      operation: "authorize",
      requestId: null,
      paymentId: null,
      ourAmount: null,
      otherAmount: 42,
      detail: "d".repeat(reconciliationTextCharsMax + 1),
    };
    const mismatched = run({ date: "2026-01-03", status: "MISMATCHED" });
    const mismatchedId = await insertReconciliationRun(db, mismatched, [
      mismatch("first"),
      partial,
    ]);
    assert.ok(mismatchedId > failedId);

    const storedFailed = { ...failed, id: failedId, error: "x".repeat(reconciliationTextCharsMax) };
    assert.deepEqual(await reconciliationRunById(db, failedId), storedFailed);
    assert.deepEqual(await latestReconciliationRuns(db, 1), [{ ...mismatched, id: mismatchedId }]);
    assert.deepEqual(await latestReconciliationRuns(db, 5), [
      { ...mismatched, id: mismatchedId },
      storedFailed,
    ]);
    assert.equal(await reconciliationRunById(db, mismatchedId + 1), null);

    const cut = { ...partial, detail: "d".repeat(reconciliationTextCharsMax) };
    assert.deepEqual(await reconciliationMismatchesOf(db, mismatchedId), [mismatch("first"), cut]);
    assert.deepEqual(await reconciliationMismatchesOf(db, mismatchedId, 1), [mismatch("first")]);
    assert.deepEqual(await reconciliationMismatchesOf(db, failedId), []);
  },
);

contract(
  "reconciliation runs: a run keeps its first mismatchesStoredMax mismatches",
  both,
  async (db) => {
    const mismatches = Array.from({ length: mismatchesStoredMax + 1 }, (_, i) => mismatch(`m${i}`));
    const runId = await insertReconciliationRun(db, run({ status: "MISMATCHED" }), mismatches);
    const stored = await reconciliationMismatchesOf(db, runId, mismatchesStoredMax * 2);
    assert.equal(stored.length, mismatchesStoredMax);
    assert.equal(stored.at(-1)?.detail, `m${mismatchesStoredMax - 1}`);
  },
);

contract(
  "reconciliation runs: a run whose mismatches cannot be stored is not stored at all",
  both,
  async (db) => {
    const broken = { ...mismatch("no kind"), kind: null as unknown as string };
    await assert.rejects(
      insertReconciliationRun(db, run({ status: "MISMATCHED" }), [mismatch("fine"), broken]),
    );
    assert.deepEqual(await latestReconciliationRuns(db, 5), []);
  },
);

contract(
  "reconciliation runs: racing runs are each recorded once, with their own mismatches",
  both,
  async (db) => {
    const racers = [0, 1, 2, 3];
    const ids = await Promise.all(racers.map((i) =>
      insertReconciliationRun(
        db,
        run({ date: `2026-01-1${i}`, status: "MISMATCHED" }),
        Array.from({ length: i + 1 }, () => mismatch(`run ${i}`)),
      )
    ));
    assert.equal(new Set(ids).size, racers.length);
    const runs = await latestReconciliationRuns(db, 10);
    assert.equal(runs.length, racers.length);
    for (const i of racers) {
      assert.equal((await reconciliationRunById(db, ids[i]!))?.date, `2026-01-1${i}`);
      const details = (await reconciliationMismatchesOf(db, ids[i]!)).map((m) => m.detail);
      assert.deepEqual(details, Array(i + 1).fill(`run ${i}`));
    }
  },
);

contract(
  "settlement timing: completed capture requests are counted and timed from acceptance to completion",
  both,
  async (db) => {
    assert.equal(await countCompletedCaptureRequests(db), 0);
    await pgRequest(db, "capture", {
      id: "s",
      paymentId: "p",
      amount: 1,
      status: "SUCCESS",
      completedAt: at(1_234),
    });
    await pgRequest(db, "capture", {
      id: "f",
      paymentId: "p",
      amount: 1,
      status: "FAILED",
      completedAt: at(50),
    });
    await pgRequest(db, "capture", {
      id: "w",
      paymentId: "p",
      amount: 1,
      status: "PENDING",
      completedAt: null,
    });
    await pgRequest(db, "refund", {
      id: "r",
      paymentId: "p",
      amount: 1,
      status: "SUCCESS",
      completedAt: at(9),
    });

    assert.equal(await countCompletedCaptureRequests(db), 2);
    const timings = (await captureRequestTimings(db)).sort((a, b) =>
      a.status.localeCompare(b.status)
    );
    assert.deepEqual(timings, [
      { status: "FAILED", completionMs: 50 },
      { status: "PENDING", completionMs: Number.NaN },
      { status: "SUCCESS", completionMs: 1_234 },
    ]);
  },
);
