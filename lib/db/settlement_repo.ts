import type { Currency, MerchantId, PaymentId } from "../domain/mod.ts";
import { affectedRows, rowsOf, runBatch, sql, type Statement } from "./batch.ts";
import { paymentFromRow, type PaymentRecord } from "./payment_repo.ts";
import { jsonValue, onDuplicateKeepExisting } from "./dialect.ts";
import type { Db, Row } from "./port.ts";
import { inTransaction } from "./transaction.ts";
import type { PlannedTransition } from "./transition.ts";

/**
 * PG call tracking for the settlement worker (DESIGN §5, §6): claiming a
 * capture, refund or void request before calling the PG, scheduling its
 * retry, and recording its outcome (with the payment's state change for
 * captures and refunds; a void changes no state).
 *
 * A claim is a lease kept in `next_attempt_at`: claiming sets it to now +
 * lease and counts the attempt, and only a request whose `next_attempt_at`
 * has passed (or that was never attempted) can be claimed. So of several
 * workers holding duplicate deliveries exactly one calls the PG, and a
 * crashed worker's claim returns when its lease runs out.
 */
export type PgRequestKind = "capture" | "refund" | "void";

export type PgRequestStatus = "PENDING" | "SUCCESS" | "FAILED";

/** Length of the `last_error` column: longer messages are cut, never refused. */
export const lastErrorCharsMax = 500;

const tableOf = {
  capture: "settlement_request",
  refund: "refund_request",
  void: "void_request",
} as const;
const pgIdColumnOf = {
  capture: "pg_transaction_id",
  refund: "pg_refund_id",
  void: "pg_cancel_id",
} as const;

export function pgRequestTable(kind: PgRequestKind): string {
  return tableOf[kind];
}

/** A request this worker holds the lease of: it may call the PG for it. */
export interface ClaimedPgRequest {
  readonly kind: PgRequestKind;
  readonly id: string;
  readonly paymentId: PaymentId;
  readonly merchantId: MerchantId;
  readonly amount: number;
  readonly currency: Currency;
  /** PG calls counted so far, this one included. */
  readonly attempts: number;
  readonly pgAuthorizationId: string | null;
  readonly createdAt: Date;
}

export type ClaimOutcome =
  | { readonly state: "claimed"; readonly request: ClaimedPgRequest }
  /** Already SUCCESS or FAILED: nothing to do. */
  | { readonly state: "completed"; readonly status: PgRequestStatus }
  /** Another worker holds it, or it waits for its retry time: its owner or the scheduler settles it. */
  | { readonly state: "leased" }
  | { readonly state: "missing" };

/** Requests of `kind` with their payment's PG authorization; the caller adds the WHERE. */
function selectRequests(kind: PgRequestKind): string {
  return `SELECT r.id, r.payment_id, r.merchant_id, r.amount, r.currency, r.status, r.attempts,
    r.created_at, p.pg_authorization_id
    FROM ${tableOf[kind]} r JOIN payment p ON p.id = r.payment_id`;
}

function claimedFromRow(kind: PgRequestKind, row: Row): ClaimedPgRequest {
  return {
    kind,
    id: row.id,
    paymentId: row.payment_id,
    merchantId: row.merchant_id,
    amount: Number(row.amount),
    currency: row.currency,
    attempts: Number(row.attempts),
    pgAuthorizationId: row.pg_authorization_id,
    createdAt: row.created_at,
  };
}

/**
 * Claims one request for a PG call (the bus message path): succeeds when it
 * is PENDING and was never attempted or its `next_attempt_at` passed. One
 * round trip.
 */
export async function claimPgRequest(
  pool: Db,
  kind: PgRequestKind,
  id: string,
  now: Date,
  leaseMs: number,
): Promise<ClaimOutcome> {
  const table = tableOf[kind];
  const [update, select] = await runBatch(pool, [
    sql(
      `UPDATE ${table} SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ?
       WHERE id = ? AND status = 'PENDING' AND (attempts = 0 OR next_attempt_at <= ?)`,
      new Date(now.getTime() + leaseMs),
      now,
      id,
      now,
    ),
    sql(`${selectRequests(kind)} WHERE r.id = ?`, id),
  ]);
  const row = rowsOf<Row>(select)[0];
  if (!row) return { state: "missing" };
  if (affectedRows(update) === 1) return { state: "claimed", request: claimedFromRow(kind, row) };
  if (row.status !== "PENDING") return { state: "completed", status: row.status };
  return { state: "leased" };
}

export interface DueClaim {
  readonly now: Date;
  /** A never-attempted request is left to its bus message until it is this old. */
  readonly graceMs: number;
  readonly leaseMs: number;
  readonly limit: number;
}

/**
 * Claims up to `limit` due requests (the retry scheduler path): PENDING,
 * `next_attempt_at` passed, and attempted before or older than the grace
 * period. Rows another worker is claiming are skipped (SKIP LOCKED), so
 * several schedulers never claim one request twice.
 */
export async function claimDuePgRequests(
  pool: Db,
  kind: PgRequestKind,
  due: DueClaim,
): Promise<ClaimedPgRequest[]> {
  const table = tableOf[kind];
  return await inTransaction(pool, async (tx) => {
    const [selected] = await tx.run([
      sql(
        `SELECT id FROM ${table}
         WHERE status = 'PENDING' AND next_attempt_at <= ? AND (attempts > 0 OR created_at <= ?)
         ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        due.now,
        new Date(due.now.getTime() - due.graceMs),
        due.limit,
      ),
    ]);
    const ids = rowsOf<Row>(selected).map((row) => row.id as string);
    if (ids.length === 0) return [];
    const [, claimed] = await tx.commit([
      sql(
        `UPDATE ${table} SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ?
         WHERE id IN (?) AND status = 'PENDING'`,
        new Date(due.now.getTime() + due.leaseMs),
        due.now,
        ids,
      ),
      sql(`${selectRequests(kind)} WHERE r.id IN (?)`, ids),
    ]);
    return rowsOf<Row>(claimed).map((row) => claimedFromRow(kind, row));
  });
}

/** The PG could not answer: the request waits until `nextAttemptAt` (the lease is given up). */
export async function schedulePgRequestRetry(
  pool: Db,
  kind: PgRequestKind,
  id: string,
  retry: { readonly nextAttemptAt: Date; readonly error: string; readonly now: Date },
): Promise<boolean> {
  const [result] = await runBatch(pool, [
    sql(
      `UPDATE ${tableOf[kind]} SET next_attempt_at = ?, last_error = ?, updated_at = ?
       WHERE id = ? AND status = 'PENDING'`,
      retry.nextAttemptAt,
      retry.error.slice(0, lastErrorCharsMax),
      retry.now,
      id,
    ),
  ]);
  return affectedRows(result) === 1;
}

export interface PgRequestOutcome {
  readonly status: "SUCCESS" | "FAILED";
  /** The PG's id of the capture or refund (SUCCESS). */
  readonly pgId?: string;
  /** The PG's refusal code, or why the request failed (FAILED). */
  readonly pgCode?: string;
  readonly error?: string;
  readonly at: Date;
}

/** Records the outcome of a PENDING request (the update matches only while it is PENDING). */
export function completePgRequestStatement(
  kind: PgRequestKind,
  id: string,
  outcome: PgRequestOutcome,
): Statement {
  return sql(
    `UPDATE ${tableOf[kind]} SET status = ?, ${pgIdColumnOf[kind]} = ?, pg_code = ?,
       last_error = ?, completed_at = ?, updated_at = ?
     WHERE id = ? AND status = 'PENDING'`,
    outcome.status,
    outcome.pgId ?? null,
    outcome.pgCode ?? null,
    outcome.error?.slice(0, lastErrorCharsMax) ?? null,
    outcome.at,
    outcome.at,
    id,
  );
}

/** Records a void's outcome (no state change goes with it); false when it was not PENDING. */
export async function completeVoidRequest(
  pool: Db,
  id: string,
  outcome: PgRequestOutcome,
): Promise<boolean> {
  const [result] = await runBatch(pool, [completePgRequestStatement("void", id, outcome)]);
  return affectedRows(result) === 1;
}

/** The void request id of a payment: one per payment, also the PG idempotency key of the void. */
export function voidRequestId(paymentId: string): string {
  return `void_${paymentId}`;
}

/**
 * Records that a cancelled payment's authorization must be voided at the PG
 * (PENDING, due now). A repeat for the same payment changes nothing.
 */
export async function insertVoidRequest(
  pool: Db,
  r: {
    readonly paymentId: string;
    readonly merchantId: string;
    readonly amount: number;
    readonly currency: string;
    readonly at: Date;
  },
): Promise<string> {
  const id = voidRequestId(r.paymentId);
  await runBatch(pool, [
    sql(
      `INSERT INTO void_request (id, payment_id, merchant_id, amount, currency, status,
         attempts, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)
       ${onDuplicateKeepExisting(pool.dialect)}`,
      id,
      r.paymentId,
      r.merchantId,
      r.amount,
      r.currency,
      r.at,
      r.at,
      r.at,
    ),
  ]);
  return id;
}

/** The payment and the request as locked by `completeLockedPgRequest`. */
export interface LockedSettlement {
  readonly payment: PaymentRecord;
  readonly requestStatus: PgRequestStatus;
}

/** What to write for a locked request: its outcome and the payment's transition. */
export interface SettlementWrite {
  readonly outcome: PgRequestOutcome;
  readonly transition: PlannedTransition;
}

/**
 * Locks the payment, then the request (the order ingest locks them in), lets
 * `decide` plan the outcome, and commits it with the state change in one
 * transaction. `decide` returns undefined when there is nothing to write (the
 * request is no longer PENDING); then nothing is written and undefined is
 * returned. Both conditional updates must change exactly one row, or nothing
 * commits.
 */
export async function completeLockedPgRequest(
  pool: Db,
  kind: "capture" | "refund",
  request: { readonly id: string; readonly paymentId: string },
  decide: (locked: LockedSettlement) => SettlementWrite | undefined,
): Promise<SettlementWrite | undefined> {
  return await inTransaction(pool, async (tx) => {
    const [payments, requests] = await tx.run([
      sql("SELECT * FROM payment WHERE id = ? FOR UPDATE", request.paymentId),
      sql(`SELECT status FROM ${tableOf[kind]} WHERE id = ? FOR UPDATE`, request.id),
    ]);
    const paymentRow = rowsOf<Row>(payments)[0];
    const requestRow = rowsOf<Row>(requests)[0];
    if (!paymentRow || !requestRow) {
      throw new Error(`Request or payment vanished: ${request.id} of ${request.paymentId}`);
    }
    const write = decide({ payment: paymentFromRow(paymentRow), requestStatus: requestRow.status });
    if (!write) return undefined;
    const [requestUpdate, paymentUpdate] = await tx.run([
      completePgRequestStatement(kind, request.id, write.outcome),
      ...write.transition.statements,
    ]);
    if (affectedRows(requestUpdate) !== 1 || affectedRows(paymentUpdate) !== 1) {
      throw new Error(`Conditional update changed no row under lock: ${request.id}`);
    }
    return write;
  });
}

/** The envelope of the event that asked for `requestId` (from the outbox), for DLQ records. */
export async function findRequestEventPayload(
  pool: Db,
  paymentId: string,
  topic: string,
  requestId: string,
): Promise<string | undefined> {
  const rows = await pool.query(sql(
    `SELECT payload FROM outbox_event
     WHERE aggregate_id = ? AND topic = ? AND ${
      jsonValue(pool.dialect, "payload", "$.data.requestId")
    } = ?
     ORDER BY id LIMIT 1`,
    paymentId,
    topic,
    requestId,
  ));
  return rows[0]?.payload;
}
