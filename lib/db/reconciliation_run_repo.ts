import { mariadbDriver } from "./mariadb_db.ts";
import type { ResultSetHeader, RowDataPacket } from "mysql2/promise";
import type { Db } from "./port.ts";

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

/** Stores a run and its first `mismatchesStoredMax` mismatches; returns the run id. */
export async function insertReconciliationRun(
  pool: Db,
  run: ReconciliationRunRecord,
  mismatches: readonly ReconciliationMismatchRecord[],
): Promise<number> {
  const [result] = await mariadbDriver(pool).query<ResultSetHeader>(
    `INSERT INTO reconciliation_run (settlement_date, status, ${reconciliationCountKeys.join(", ")},
       error, started_at, finished_at) VALUES (?, ?, ${
      reconciliationCountKeys.map(() => "?").join(", ")
    }, ?, ?, ?)`,
    [
      run.date,
      run.status,
      ...reconciliationCountKeys.map((key) => run.counts[key]),
      run.error?.slice(0, reconciliationTextCharsMax) ?? null,
      run.startedAt,
      run.finishedAt,
    ],
  );
  const runId = result.insertId;
  const kept = mismatches.slice(0, mismatchesStoredMax);
  if (kept.length > 0) {
    await mariadbDriver(pool).query(
      `INSERT INTO reconciliation_mismatch (run_id, kind, operation, request_id, payment_id,
         our_amount, other_amount, detail) VALUES ?`,
      [kept.map((m) => [
        runId,
        m.kind,
        m.operation,
        m.requestId,
        m.paymentId,
        m.ourAmount,
        m.otherAmount,
        m.detail.slice(0, reconciliationTextCharsMax),
      ])],
    );
  }
  return runId;
}

const runColumns = `id, DATE_FORMAT(settlement_date, '%Y-%m-%d') AS date, status,
       ${reconciliationCountKeys.join(", ")}, error, started_at, finished_at`;

/** The latest runs, newest first. */
export async function latestReconciliationRuns(
  pool: Db,
  limit: number,
): Promise<ReconciliationRunRecord[]> {
  const [rows] = await mariadbDriver(pool).query<RowDataPacket[]>(
    `SELECT ${runColumns} FROM reconciliation_run ORDER BY id DESC LIMIT ?`,
    [limit],
  );
  return rows.map(runFromRow);
}

/** One stored run, or null when there is none with this id. */
export async function reconciliationRunById(
  pool: Db,
  runId: number,
): Promise<ReconciliationRunRecord | null> {
  const [rows] = await mariadbDriver(pool).query<RowDataPacket[]>(
    `SELECT ${runColumns} FROM reconciliation_run WHERE id = ?`,
    [runId],
  );
  return rows[0] ? runFromRow(rows[0]) : null;
}

function runFromRow(row: RowDataPacket): ReconciliationRunRecord {
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
  const [rows] = await mariadbDriver(pool).query<RowDataPacket[]>(
    `SELECT kind, operation, request_id, payment_id, our_amount, other_amount, detail
     FROM reconciliation_mismatch WHERE run_id = ? ORDER BY id LIMIT ?`,
    [runId, limit],
  );
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
