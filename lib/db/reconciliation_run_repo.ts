import { insertRows, sql } from "./batch.ts";
import { isoDate } from "./dialect.ts";
import type { Db, Dialect, Row, WriteResult } from "./port.ts";
import { inTransaction } from "./transaction.ts";

/** One difference a reconciliation run found. */
export interface ReconciliationMismatchRecord {
  readonly kind: string;
  readonly operation: string;
  readonly requestId: string | null;
  readonly paymentId: string | null;
  readonly ourAmount: number | null;
  readonly otherAmount: number | null;
  readonly detail: string;
}

export interface ReconciliationRunRecord {
  readonly id?: number;
  /** `YYYY-MM-DD` (UTC). */
  readonly date: string;
  /** CLEAN, MISMATCHED, or FAILED (the run could not complete). */
  readonly status: "CLEAN" | "MISMATCHED" | "FAILED";
  readonly counts: Readonly<Record<ReconciliationCountKey, number>>;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

export const reconciliationCountKeys = [
  "matched",
  "missing_at_pg",
  "missing_here",
  "amount_mismatch",
  "ledger_mismatch",
  "ledger_unbalanced",
  /** Approved authorizations of the PG matched with our payments. */
  "authorizations_matched",
  "hold_without_payment",
  "payment_unknown_at_pg",
] as const;

export type ReconciliationCountKey = typeof reconciliationCountKeys[number];

/** Length of the `error` and `detail` columns: longer texts are cut, never refused. */
export const reconciliationTextCharsMax = 500;

/** Mismatch rows kept per run: enough to investigate; the counts stay exact beyond it. */
export const mismatchesStoredMax = 1_000;

const runInsertColumns = [
  "settlement_date",
  "status",
  ...reconciliationCountKeys,
  "error",
  "started_at",
  "finished_at",
];

const mismatchInsertColumns = [
  "run_id",
  "kind",
  "operation",
  "request_id",
  "payment_id",
  "our_amount",
  "other_amount",
  "detail",
];

/**
 * Stores a run with its first `mismatchesStoredMax` mismatches, in one
 * transaction: a run is never stored without its mismatches. Returns the run id.
 */
export async function insertReconciliationRun(
  pool: Db,
  run: ReconciliationRunRecord,
  mismatches: readonly ReconciliationMismatchRecord[],
): Promise<number> {
  const kept = mismatches.slice(0, mismatchesStoredMax);
  return await inTransaction(pool, async (tx) => {
    const [inserted] = await tx.run([insertRows("reconciliation_run", runInsertColumns, [[
      run.date,
      run.status,
      ...reconciliationCountKeys.map((key) => run.counts[key]),
      run.error?.slice(0, reconciliationTextCharsMax) ?? null,
      run.startedAt,
      run.finishedAt,
    ]])]);
    const runId = Number((inserted as WriteResult).insertId);
    if (kept.length > 0) {
      await tx.commit([
        insertRows(
          "reconciliation_mismatch",
          mismatchInsertColumns,
          kept.map((m) => [
            runId,
            m.kind,
            m.operation,
            m.requestId,
            m.paymentId,
            m.ourAmount,
            m.otherAmount,
            m.detail.slice(0, reconciliationTextCharsMax),
          ]),
        ),
      ]);
    }
    return runId;
  });
}

function runColumns(dialect: Dialect): string {
  return `id, ${isoDate(dialect, "settlement_date")} AS date, status,
       ${reconciliationCountKeys.join(", ")}, error, started_at, finished_at`;
}

/** The latest runs, newest first. */
export async function latestReconciliationRuns(
  pool: Db,
  limit: number,
): Promise<ReconciliationRunRecord[]> {
  const rows = await pool.query(sql(
    `SELECT ${runColumns(pool.dialect)} FROM reconciliation_run ORDER BY id DESC LIMIT ?`,
    limit,
  ));
  return rows.map(runFromRow);
}

/** One stored run, or null when there is none with this id. */
export async function reconciliationRunById(
  pool: Db,
  runId: number,
): Promise<ReconciliationRunRecord | null> {
  const rows = await pool.query(sql(
    `SELECT ${runColumns(pool.dialect)} FROM reconciliation_run WHERE id = ?`,
    runId,
  ));
  return rows[0] ? runFromRow(rows[0]) : null;
}

function runFromRow(row: Row): ReconciliationRunRecord {
  return {
    id: Number(row.id),
    date: row.date,
    status: row.status,
    counts: Object.fromEntries(
      reconciliationCountKeys.map((key) => [key, Number(row[key])]),
    ) as Record<ReconciliationCountKey, number>,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** The stored mismatches of a run, in the order found. */
export async function reconciliationMismatchesOf(
  pool: Db,
  runId: number,
  limit: number = mismatchesStoredMax,
): Promise<ReconciliationMismatchRecord[]> {
  const rows = await pool.query(sql(
    `SELECT kind, operation, request_id, payment_id, our_amount, other_amount, detail
     FROM reconciliation_mismatch WHERE run_id = ? ORDER BY id LIMIT ?`,
    runId,
    limit,
  ));
  return rows.map((row) => ({
    kind: row.kind,
    operation: row.operation,
    requestId: row.request_id,
    paymentId: row.payment_id,
    ourAmount: row.our_amount === null ? null : Number(row.our_amount),
    otherAmount: row.other_amount === null ? null : Number(row.other_amount),
    detail: row.detail ?? "",
  }));
}
