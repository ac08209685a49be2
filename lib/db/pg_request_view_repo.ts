import { sql } from "./batch.ts";
import type { Db } from "./port.ts";
import { type PgRequestKind, pgRequestTable } from "./settlement_repo.ts";

/** One capture or refund request of a payment, as operators see it. */
export interface PgRequestView {
  readonly kind: "capture" | "refund";
  readonly id: string;
  readonly amount: number;
  readonly status: string;
  readonly attempts: number;
  readonly pgId: string | null;
  readonly pgCode: string | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

/**
 * A payment's capture and refund requests, oldest first (of one instant,
 * captures before refunds, then by id), at most `limit`.
 */
export async function listPgRequestsOfPayment(
  pool: Db,
  paymentId: string,
  limit: number,
): Promise<PgRequestView[]> {
  const rows = await pool.query(sql(
    `SELECT 'capture' AS kind, id, amount, status, attempts, pg_transaction_id AS pg_id, pg_code,
            last_error, created_at, completed_at FROM settlement_request WHERE payment_id = ?
     UNION ALL
     SELECT 'refund' AS kind, id, amount, status, attempts, pg_refund_id AS pg_id, pg_code,
            last_error, created_at, completed_at FROM refund_request WHERE payment_id = ?
     ORDER BY created_at, kind, id LIMIT ?`,
    paymentId,
    paymentId,
    limit,
  ));
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    amount: Number(r.amount),
    status: r.status,
    attempts: Number(r.attempts),
    pgId: r.pg_id,
    pgCode: r.pg_code,
    lastError: r.last_error,
    createdAt: r.created_at,
    completedAt: r.completed_at,
  }));
}

/** Where one PG request (capture, refund or void) stands. */
export interface PgRequestState {
  readonly status: string;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly pgId: string | null;
  readonly pgCode: string | null;
  readonly lastError: string | null;
}

const pgIdColumnOf = {
  capture: "pg_transaction_id",
  refund: "pg_refund_id",
  void: "pg_cancel_id",
} as const;

/** One request's state; undefined when there is no such request. */
export async function readPgRequestState(
  pool: Db,
  kind: PgRequestKind,
  id: string,
): Promise<PgRequestState | undefined> {
  const rows = await pool.query(sql(
    `SELECT status, attempts, next_attempt_at, ${pgIdColumnOf[kind]} AS pg_id, pg_code, last_error
     FROM ${pgRequestTable(kind)} WHERE id = ?`,
    id,
  ));
  const row = rows[0];
  if (!row) return undefined;
  return {
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    pgId: row.pg_id,
    pgCode: row.pg_code,
    lastError: row.last_error,
  };
}
