import { sql, type Statement } from "./batch.ts";
import { insertedValue, onDuplicateUpdate } from "./dialect.ts";
import type { Db, Row } from "./port.ts";

/**
 * Authorization attempts (DESIGN §10): the row ingest writes before it asks
 * the PG to authorize, keyed by the PG idempotency key, so an authorization
 * whose outcome never reached the database is found and resolved by the
 * authorization janitor (workers/schedulers/authorization_janitor.ts).
 *
 * PENDING ──ingest commits the payment──> RESOLVED (AUTHORIZED | DECLINED)
 *    │ └──janitor: the PG has no approval──> RESOLVED (NOT_AT_PG | DECLINED_AT_PG)
 *    └──janitor: approved, no payment──> VOIDING ──PG void──> RESOLVED (VOIDED)
 *
 * The payment insert and the janitor's decision to void both take the
 * attempt's row lock first, and both insert the key's idempotency record: of
 * the two, exactly one commits, so a hold is never both voided and used.
 */

export type AttemptStatus = "PENDING" | "VOIDING" | "RESOLVED";

export type AttemptOutcome =
  /** The payment is stored AUTHORIZED (ingest, with the payment). */
  | "AUTHORIZED"
  /** The payment is stored AUTH_FAILED (ingest, with the payment). */
  | "DECLINED"
  /** The PG approved, no payment was stored: the janitor voided the hold. */
  | "VOIDED"
  /** The PG never authorized it (the call never arrived or was abandoned). */
  | "NOT_AT_PG"
  /** The PG declined it and no payment was stored: nothing to undo. */
  | "DECLINED_AT_PG"
  /** Captured at the PG with no payment here: cannot be voided, an operator must look. */
  | "CAPTURED_AT_PG";

export interface AuthorizationAttempt {
  readonly pgKey: string;
  readonly merchantId: string;
  readonly idempotencyKey: string;
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethod: string;
  readonly fingerprint: string;
  readonly requestPath: string;
  readonly status: AttemptStatus;
  readonly outcome: AttemptOutcome | null;
  readonly requests: number;
  readonly version: number;
  /** The last time a merchant request presented the attempt. */
  readonly presentedAt: Date;
  /** A janitor's claim, until then. */
  readonly leaseUntil: Date | null;
  readonly pgAuthorizationId: string | null;
  readonly pgVoidId: string | null;
  readonly createdAt: Date;
  readonly resolvedAt: Date | null;
}

export type NewAuthorizationAttempt = Pick<
  AuthorizationAttempt,
  | "pgKey"
  | "merchantId"
  | "idempotencyKey"
  | "amount"
  | "currency"
  | "paymentMethod"
  | "fingerprint"
  | "requestPath"
  | "createdAt"
>;

export const attemptColumns =
  `pg_key, merchant_id, idempotency_key, amount, currency, payment_method,
  fingerprint, request_path, status, outcome, requests, version, presented_at, lease_until,
  pg_authorization_id, pg_void_id, created_at, resolved_at`;

export function attemptFromRow(row: Row): AuthorizationAttempt {
  return {
    pgKey: row.pg_key,
    merchantId: row.merchant_id,
    idempotencyKey: row.idempotency_key,
    amount: Number(row.amount),
    currency: row.currency,
    paymentMethod: row.payment_method,
    fingerprint: row.fingerprint,
    requestPath: row.request_path,
    status: row.status,
    outcome: row.outcome,
    requests: Number(row.requests),
    version: Number(row.version),
    presentedAt: row.presented_at,
    // Not an `*_at` column: SQLite reads it back as epoch milliseconds.
    leaseUntil: row.lease_until == null ? null : new Date(row.lease_until),
    pgAuthorizationId: row.pg_authorization_id,
    pgVoidId: row.pg_void_id,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
  };
}

/** What recording an attempt found: a new attempt, or the one an earlier request with the key left. */
export type AttemptOpening =
  | { readonly kind: "new" }
  | { readonly kind: "existing"; readonly attempt: AuthorizationAttempt };

/**
 * Records the attempt before the PG call: one statement for a new key. A
 * repeat of the key (a merchant retry) counts the request and, while the
 * attempt is PENDING, moves `presented_at` to now so the janitor leaves it to
 * the request in flight; the existing row is then read and returned.
 * (`version` always changes on a repeat, so affectedRows is 1 only for an
 * insert, whatever the client's FOUND_ROWS flag.)
 */
export async function openAuthorizationAttempt(
  pool: Db,
  a: NewAuthorizationAttempt,
): Promise<AttemptOpening> {
  const presentedAt = insertedValue(pool.dialect, "presented_at");
  const upsert = sql(
    `INSERT INTO authorization_attempt (pg_key, merchant_id, idempotency_key, amount, currency,
       payment_method, fingerprint, request_path, presented_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ${
      onDuplicateUpdate(
        pool.dialect,
        ["pg_key"],
        `requests = requests + 1, version = version + 1,
         presented_at = CASE WHEN status = 'PENDING' THEN ${presentedAt} ELSE presented_at END`,
      )
    }`,
    a.pgKey,
    a.merchantId,
    a.idempotencyKey,
    a.amount,
    a.currency,
    a.paymentMethod,
    a.fingerprint,
    a.requestPath,
    a.createdAt,
    a.createdAt,
  );
  // MariaDB counts an insert 1, an update 2; SQLite counts both 1, so there
  // the statement returns `requests` (1 only for a new row).
  const inserted = pool.dialect === "mariadb"
    ? (await pool.execute(upsert)).affectedRows === 1
    : (await pool.query(sql(`${upsert.sql} RETURNING requests`, ...upsert.params)))[0]
      ?.requests === 1;
  if (inserted) return { kind: "new" };
  const attempt = await findAuthorizationAttempt(pool, a.pgKey);
  if (!attempt) throw new Error(`Authorization attempt vanished while re-presented: ${a.pgKey}`);
  return { kind: "existing", attempt };
}

export async function findAuthorizationAttempt(
  pool: Db,
  pgKey: string,
): Promise<AuthorizationAttempt | undefined> {
  const rows = await pool.query(
    sql(`SELECT ${attemptColumns} FROM authorization_attempt WHERE pg_key = ?`, pgKey),
  );
  return rows[0] ? attemptFromRow(rows[0]) : undefined;
}

/**
 * A merchant retry of an attempt the janitor closed without a hold (the PG
 * never authorized it, or declined it): PENDING again, so the retry's PG call
 * is tracked like the first. False when the row changed meanwhile.
 */
export async function reopenAuthorizationAttempt(
  pool: Db,
  attempt: AuthorizationAttempt,
  now: Date,
): Promise<boolean> {
  const result = await pool.execute(sql(
    `UPDATE authorization_attempt SET status = 'PENDING', outcome = NULL, resolved_at = NULL,
       presented_at = ?, lease_until = NULL, version = version + 1
     WHERE pg_key = ? AND version = ? AND status = 'RESOLVED'`,
    now,
    attempt.pgKey,
    attempt.version,
  ));
  return result.affectedRows === 1;
}

/**
 * The statement that closes an attempt in the payment's own transaction. It
 * must come first in that transaction: it takes the attempt's row lock
 * before the payment rows, in the janitor's order. It leaves a VOIDING or
 * VOIDED attempt alone; that transaction then fails on the idempotency
 * record the janitor stored.
 */
export function resolveAuthorizationAttemptStatement(resolution: {
  readonly pgKey: string;
  readonly outcome: "AUTHORIZED" | "DECLINED";
  readonly pgAuthorizationId: string;
  readonly at: Date;
}): Statement {
  return sql(
    `UPDATE authorization_attempt SET status = 'RESOLVED', outcome = ?, pg_authorization_id = ?,
       resolved_at = ?, version = version + 1
     WHERE pg_key = ? AND status <> 'VOIDING' AND (outcome IS NULL OR outcome <> 'VOIDED')`,
    resolution.outcome,
    resolution.pgAuthorizationId,
    resolution.at,
    resolution.pgKey,
  );
}
