import { boundedDelete } from "./dialect.ts";
import { sql, type Statement } from "./batch.ts";
import type { Db } from "./port.ts";

/** A completed request kept for replay (DESIGN §3). MariaDB is the truth; Redis caches it. */
export interface IdempotencyRecord {
  readonly merchantId: string;
  readonly key: string;
  /** SHA-256 hex of method, path and canonical body. */
  readonly fingerprint: string;
  readonly method: string;
  readonly path: string;
  readonly httpStatus: number;
  /** The response body exactly as first sent, so replays are byte-identical. */
  readonly body: string;
  readonly paymentId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export function insertIdempotencyRecordStatement(r: IdempotencyRecord): Statement {
  return sql(
    `INSERT INTO idempotency_record (merchant_id, idempotency_key, fingerprint, method, path, status,
       http_status, body, payment_id, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, 'COMPLETED', ?, ?, ?, ?, ?)`,
    r.merchantId,
    r.key,
    r.fingerprint,
    r.method,
    r.path,
    r.httpStatus,
    r.body,
    r.paymentId,
    r.createdAt,
    r.expiresAt,
  );
}

/** Who claims a key, for which request, until when. */
export interface IdempotencyClaim {
  readonly merchantId: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly method: string;
  readonly path: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** The answer that completes a claimed record. */
export interface IdempotencyAnswer {
  readonly httpStatus: number;
  readonly body: string;
  readonly paymentId: string | null;
}

/**
 * The first statement of a keyed command's transaction: inserts the key's
 * record as IN_PROGRESS. The row is never visible uncommitted; it is
 * completed (see completeIdempotencyRecordStatement) in the same
 * transaction, or vanishes with a rollback. A concurrent request with the
 * same key blocks on this row's lock until the first commits (its insert
 * then fails with a duplicate key: replay the stored answer) or rolls back
 * (its insert then succeeds: it runs itself). The wait is bounded by
 * `waitSeconds`; beyond it MariaDB answers ER_LOCK_WAIT_TIMEOUT.
 */
export function claimIdempotencyKeyStatement(c: IdempotencyClaim, waitSeconds: number): Statement {
  if (!Number.isInteger(waitSeconds) || waitSeconds < 1) {
    throw new Error(`Claim wait must be a whole number of seconds: ${waitSeconds}`);
  }
  return sql(
    `SET STATEMENT innodb_lock_wait_timeout = ${waitSeconds} FOR
     INSERT INTO idempotency_record (merchant_id, idempotency_key, fingerprint, method, path, status,
       http_status, body, payment_id, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, 'IN_PROGRESS', 0, '', NULL, ?, ?)`,
    c.merchantId,
    c.key,
    c.fingerprint,
    c.method,
    c.path,
    c.createdAt,
    c.expiresAt,
  );
}

/** Stores the answer in the record this transaction claimed; changes exactly one row. */
export function completeIdempotencyRecordStatement(
  merchantId: string,
  key: string,
  answer: IdempotencyAnswer,
): Statement {
  return sql(
    `UPDATE idempotency_record SET status = 'COMPLETED', http_status = ?, body = ?, payment_id = ?
     WHERE merchant_id = ? AND idempotency_key = ? AND status = 'IN_PROGRESS'`,
    answer.httpStatus,
    answer.body,
    answer.paymentId,
    merchantId,
    key,
  );
}

/** The live record for (merchant, key), or undefined when there is none or it expired. */
export async function findIdempotencyRecord(
  db: Db,
  merchantId: string,
  key: string,
  now: Date,
): Promise<IdempotencyRecord | undefined> {
  const rows = await db.query(sql(
    `SELECT merchant_id, idempotency_key, fingerprint, method, path, http_status, body, payment_id,
       created_at, expires_at
     FROM idempotency_record WHERE merchant_id = ? AND idempotency_key = ?`,
    merchantId,
    key,
  ));
  const row = rows[0];
  if (!row) return undefined;
  if (row.expires_at <= now) {
    // An expired record no longer binds the key; remove it so the key can be used afresh.
    await db.execute(sql(
      "DELETE FROM idempotency_record WHERE merchant_id = ? AND idempotency_key = ? AND expires_at <= ?",
      merchantId,
      key,
      now,
    ));
    return undefined;
  }
  return {
    merchantId: row.merchant_id,
    key: row.idempotency_key,
    fingerprint: row.fingerprint,
    method: row.method,
    path: row.path,
    httpStatus: row.http_status,
    body: row.body,
    paymentId: row.payment_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** Deletes expired records in bounded batches; returns how many went. */
export async function purgeExpiredIdempotencyRecords(
  db: Db,
  now: Date,
  batchSizeMax = 1_000,
): Promise<number> {
  const statement = boundedDelete(db.dialect, "idempotency_record", "expires_at <= ?", [
    "merchant_id",
    "idempotency_key",
  ]);
  return (await db.execute(sql(statement, now, batchSizeMax))).affectedRows;
}

/** A record as stored, whatever its state or expiry (operators look at it; nothing changes). */
export interface StoredIdempotencyRecord {
  readonly fingerprint: string;
  readonly method: string;
  readonly path: string;
  /** PENDING while its request runs, COMPLETED once answered. */
  readonly status: string;
  readonly httpStatus: number;
  readonly body: string;
  readonly paymentId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** The record for (merchant, key) as stored, expired or not; undefined when there is none. */
export async function inspectIdempotencyRecord(
  db: Db,
  merchantId: string,
  key: string,
): Promise<StoredIdempotencyRecord | undefined> {
  const rows = await db.query(sql(
    `SELECT fingerprint, method, path, status, http_status, body, payment_id, created_at, expires_at
     FROM idempotency_record WHERE merchant_id = ? AND idempotency_key = ?`,
    merchantId,
    key,
  ));
  const row = rows[0];
  if (!row) return undefined;
  return {
    fingerprint: row.fingerprint,
    method: row.method,
    path: row.path,
    status: row.status,
    httpStatus: Number(row.http_status),
    body: String(row.body),
    paymentId: row.payment_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
