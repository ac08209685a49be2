import { sql } from "./batch.ts";
import { msBetween } from "./dialect.ts";
import type { Db } from "./port.ts";

/** Capture requests no longer PENDING (SUCCESS or FAILED). */
export async function countCompletedCaptureRequests(pool: Db): Promise<number> {
  const rows = await pool.query(
    sql("SELECT COUNT(*) AS n FROM settlement_request WHERE status <> 'PENDING'"),
  );
  return Number(rows[0]?.n ?? 0);
}

/** One capture request's outcome and how long it took from accepted to completed. */
export interface CaptureRequestTiming {
  readonly status: string;
  /** created_at → completed_at, both written by this machine's clock; NaN while PENDING. */
  readonly completionMs: number;
}

/** Every capture request with its completion time (benchmarks: the table is theirs alone). */
export async function captureRequestTimings(pool: Db): Promise<CaptureRequestTiming[]> {
  const rows = await pool.query(sql(
    `SELECT status, ${msBetween(pool.dialect, "created_at", "completed_at")} AS ms
     FROM settlement_request`,
  ));
  return rows.map((r) => ({
    status: r.status,
    completionMs: r.ms === null ? Number.NaN : Number(r.ms),
  }));
}
