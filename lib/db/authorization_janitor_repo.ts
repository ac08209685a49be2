import { problem } from "../http/problem.ts";
import {
  attemptColumns,
  attemptFromRow,
  type AuthorizationAttempt,
} from "./authorization_attempt_repo.ts";
import { affectedRows, rowsOf, sql } from "./batch.ts";
import { boundedDelete } from "./dialect.ts";
import { insertIdempotencyRecordStatement } from "./idempotency_repo.ts";
import type { Db } from "./port.ts";
import { inTransaction } from "./transaction.ts";

/**
 * The authorization janitor's side of authorization attempts
 * (authorization_attempt_repo.ts): claim the attempts whose request never
 * resolved them, resolve them with what the PG says, or void the hold.
 */

/** A janitor's claim on an attempt: it acts only while the row still has this version. */
export type ClaimedAttempt = AuthorizationAttempt;

export interface AttemptClaim {
  readonly now: Date;
  /** A PENDING attempt is left to its request until it was presented this long ago. */
  readonly resolveAfterMs: number;
  /** How long the claimed rows are the claimant's; a crashed janitor's rows return after it. */
  readonly leaseMs: number;
  readonly limit: number;
}

/**
 * Claims up to `limit` PENDING attempts presented more than `resolveAfterMs`
 * ago, and VOIDING ones whose void was interrupted, unless another janitor's
 * lease on them runs: sets the lease and bumps `version`. Rows another janitor is claiming are skipped (SKIP
 * LOCKED), so several worker processes never work on one attempt at once.
 */
export async function claimDueAuthorizationAttempts(
  pool: Db,
  claim: AttemptClaim,
): Promise<ClaimedAttempt[]> {
  return await inTransaction(pool, async (tx) => {
    const [selected] = await tx.run([
      sql(
        `SELECT pg_key FROM authorization_attempt
         WHERE status IN ('PENDING', 'VOIDING') AND presented_at <= ?
           AND (lease_until IS NULL OR lease_until <= ?)
         ORDER BY presented_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        new Date(claim.now.getTime() - claim.resolveAfterMs),
        claim.now,
        claim.limit,
      ),
    ]);
    const keys = rowsOf(selected).map((row) => row.pg_key as string);
    if (keys.length === 0) return [];
    const [, claimed] = await tx.commit([
      sql(
        `UPDATE authorization_attempt SET lease_until = ?, version = version + 1
         WHERE pg_key IN (?)`,
        new Date(claim.now.getTime() + claim.leaseMs),
        keys,
      ),
      sql(`SELECT ${attemptColumns} FROM authorization_attempt WHERE pg_key IN (?)`, keys),
    ]);
    return rowsOf(claimed).map(attemptFromRow);
  });
}

/**
 * Closes a claimed PENDING attempt with what the PG said (no hold to undo).
 * False when the claim was lost (a merchant retry re-presented the attempt).
 */
export async function resolveClaimedAttempt(
  pool: Db,
  attempt: ClaimedAttempt,
  resolution: {
    readonly outcome: "NOT_AT_PG" | "DECLINED_AT_PG" | "CAPTURED_AT_PG";
    readonly pgAuthorizationId: string | null;
    readonly at: Date;
  },
): Promise<boolean> {
  const result = await pool.execute(sql(
    `UPDATE authorization_attempt SET status = 'RESOLVED', outcome = ?, pg_authorization_id = ?,
       resolved_at = ?, lease_until = NULL, version = version + 1
     WHERE pg_key = ? AND version = ? AND status = 'PENDING'`,
    resolution.outcome,
    resolution.pgAuthorizationId,
    resolution.at,
    attempt.pgKey,
    attempt.version,
  ));
  return result.affectedRows === 1;
}

/** The answer a voided attempt's key gives from then on: 409 `authorization_voided`, no payment. */
export function authorizationVoidedAnswer(idempotencyKey: string): {
  readonly httpStatus: number;
  readonly body: string;
} {
  const body = problem(
    "authorization_voided",
    `The authorization of this idempotency key was voided because its outcome was lost; ` +
      `authorize again with a new idempotency key: ${idempotencyKey}`,
  );
  return { httpStatus: body.status, body: JSON.stringify(body) };
}

export type VoidDecision =
  /** The attempt is VOIDING and its key answers 409: void the hold at the PG. */
  | "voiding"
  /** A payment exists after all: the attempt is closed with its outcome, the hold is kept. */
  | "paid"
  /** The claim was lost (a retry re-presented the attempt, or the payment committed first). */
  | "lost";

/**
 * The decision to void a hold the PG approved, in one transaction that first
 * takes the attempt's row lock (as the payment transaction does), then checks
 * that no payment exists, binds the key to the `authorization_voided` answer
 * (an idempotency record kept `answerRetentionMs`) and moves the attempt to
 * VOIDING. A payment transaction racing it either committed first (seen here)
 * or fails on that idempotency record and replays it.
 */
export async function beginAttemptVoid(
  pool: Db,
  attempt: ClaimedAttempt,
  at: {
    readonly now: Date;
    readonly pgAuthorizationId: string;
    /** How long the key's 409 answer is kept (as long as the attempt itself). */
    readonly retentionMs: number;
  },
): Promise<VoidDecision> {
  return await inTransaction(pool, async (tx) => {
    const [locked, payments] = await tx.run([
      sql(
        `SELECT version, status FROM authorization_attempt WHERE pg_key = ? FOR UPDATE`,
        attempt.pgKey,
      ),
      sql(
        "SELECT status FROM payment WHERE merchant_id = ? AND idempotency_key = ?",
        attempt.merchantId,
        attempt.idempotencyKey,
      ),
    ]);
    const row = rowsOf(locked)[0];
    if (!row || Number(row.version) !== attempt.version || row.status !== "PENDING") {
      await tx.rollback();
      return "lost";
    }
    const payment = rowsOf(payments)[0];
    const answer = authorizationVoidedAnswer(attempt.idempotencyKey);

    const results = await tx.commit(
      payment
        ? [
          sql(
            `UPDATE authorization_attempt SET status = 'RESOLVED', outcome = ?,
               pg_authorization_id = ?, resolved_at = ?, lease_until = NULL, version = version + 1
             WHERE pg_key = ?`,
            payment.status === "AUTH_FAILED" ? "DECLINED" : "AUTHORIZED",
            at.pgAuthorizationId,
            at.now,
            attempt.pgKey,
          ),
        ]
        : [
          insertIdempotencyRecordStatement({
            merchantId: attempt.merchantId,
            key: attempt.idempotencyKey,
            fingerprint: attempt.fingerprint,
            method: "POST",
            path: attempt.requestPath,
            httpStatus: answer.httpStatus,
            body: answer.body,
            paymentId: null,
            createdAt: at.now,
            expiresAt: new Date(at.now.getTime() + at.retentionMs),
          }),
          sql(
            `UPDATE authorization_attempt SET status = 'VOIDING', pg_authorization_id = ?,
               version = version + 1 WHERE pg_key = ?`,
            at.pgAuthorizationId,
            attempt.pgKey,
          ),
        ],
    );
    const update = results[payment ? 0 : 1];
    if (affectedRows(update) !== 1) throw new Error("Attempt update under lock changed no row");
    return payment ? "paid" : "voiding";
  });
}

/** The PG voided the hold (or had already): VOIDING → RESOLVED with outcome VOIDED. */
export async function finishAttemptVoid(
  pool: Db,
  pgKey: string,
  done: { readonly pgVoidId: string | null; readonly at: Date },
): Promise<boolean> {
  const result = await pool.execute(sql(
    `UPDATE authorization_attempt SET status = 'RESOLVED', outcome = 'VOIDED', pg_void_id = ?,
       resolved_at = ?, lease_until = NULL, version = version + 1
     WHERE pg_key = ? AND status = 'VOIDING'`,
    done.pgVoidId,
    done.at,
    pgKey,
  ));
  return result.affectedRows === 1;
}

/**
 * Deletes at most `limit` RESOLVED attempts last presented before `before`;
 * returns how many. (The payment's unique (merchant, key) and the key's
 * idempotency record outlive an AUTHORIZED or DECLINED attempt's use.)
 */
export async function purgeResolvedAuthorizationAttempts(
  pool: Db,
  before: Date,
  limit: number,
): Promise<number> {
  const result = await pool.execute(sql(
    // The condition carries the order: oldest first (inside SQLite's key subquery).
    boundedDelete(
      pool.dialect,
      "authorization_attempt",
      "status = 'RESOLVED' AND presented_at < ? ORDER BY presented_at",
      ["pg_key"],
    ),
    before,
    limit,
  ));
  return result.affectedRows;
}
