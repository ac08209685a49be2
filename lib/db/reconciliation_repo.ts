import { idPrefixes, sortableId } from "../domain/mod.ts";
import { sql } from "./batch.ts";
import type { Db, Row } from "./port.ts";
import { type PgRequestKind, type PgRequestStatus, pgRequestTable } from "./settlement_repo.ts";

/**
 * Reads and writes of reconciliation (DESIGN §6): one UTC day of settled
 * requests, the ledger's totals, and the stored runs with their mismatches.
 */

/** A capture or refund request as reconciliation compares it. */
export interface SettledRequest {
  readonly kind: PgRequestKind;
  readonly id: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
  readonly status: PgRequestStatus;
}

/**
 * Ids passed in one `IN (...)` list. Keeps each statement small while a day
 * of a busy platform is read in a few hundred queries.
 */
export const idsPerQueryMax = 1_000;

/** Rows of one kind reconciled per day: past it the run fails loudly rather than exhaust memory. */
export const settledRowsPerDayMax = 2_000_000;

function requestFromRow(kind: PgRequestKind, row: Row): SettledRequest {
  return {
    kind,
    id: row.id,
    paymentId: row.payment_id,
    amount: Number(row.amount),
    currency: row.currency,
    status: row.status,
  };
}

/** Requests of `kind` that reached SUCCESS in [from, to). */
export async function settledRequestsBetween(
  pool: Db,
  kind: PgRequestKind,
  from: Date,
  to: Date,
): Promise<SettledRequest[]> {
  const rows = await pool.query(sql(
    `SELECT id, payment_id, amount, currency, status FROM ${pgRequestTable(kind)}
     WHERE status = 'SUCCESS' AND completed_at >= ? AND completed_at < ? LIMIT ?`,
    from,
    to,
    settledRowsPerDayMax + 1,
  ));
  assertOneDayBound(rows, `settled ${kind} requests`);
  return rows.map((row) => requestFromRow(kind, row));
}

/** Requests of `kind` with these ids, whatever their date and status. */
export async function requestsByIds(
  pool: Db,
  kind: PgRequestKind,
  ids: readonly string[],
): Promise<SettledRequest[]> {
  const found: SettledRequest[] = [];
  for (const chunk of chunks(ids)) {
    const rows = await pool.query(sql(
      `SELECT id, payment_id, amount, currency, status FROM ${
        pgRequestTable(kind)
      } WHERE id IN (?)`,
      chunk,
    ));
    found.push(...rows.map((row) => requestFromRow(kind, row)));
  }
  return found;
}

/** Per payment: the sum of its SUCCESS captures and of its SUCCESS refunds (all days). */
export async function settledTotalsOfPayments(
  pool: Db,
  paymentIds: readonly string[],
): Promise<Map<string, { capture: number; refund: number }>> {
  const totals = new Map<string, { capture: number; refund: number }>();
  for (const chunk of chunks(paymentIds)) {
    const rows = await pool.query(sql(
      `SELECT 'capture' AS kind, payment_id, SUM(amount) AS total FROM settlement_request
         WHERE status = 'SUCCESS' AND payment_id IN (?) GROUP BY payment_id
       UNION ALL
       SELECT 'refund' AS kind, payment_id, SUM(amount) AS total FROM refund_request
         WHERE status = 'SUCCESS' AND payment_id IN (?) GROUP BY payment_id`,
      chunk,
      chunk,
    ));
    addTotals(totals, rows);
  }
  return totals;
}

/**
 * Per payment: the amounts its ledger entries moved, by entry type (`capture`,
 * `refund`): the sum of each entry's debit lines, all days.
 */
export async function ledgerTotalsOfPayments(
  pool: Db,
  paymentIds: readonly string[],
): Promise<Map<string, { capture: number; refund: number }>> {
  const totals = new Map<string, { capture: number; refund: number }>();
  for (const chunk of chunks(paymentIds)) {
    const rows = await pool.query(sql(
      `SELECT e.entry_type AS kind, e.payment_id, SUM(l.amount) AS total
       FROM ledger_entry e JOIN ledger_line l ON l.entry_id = e.id AND l.direction = 'DEBIT'
       WHERE e.payment_id IN (?) GROUP BY e.payment_id, e.entry_type`,
      chunk,
    ));
    addTotals(totals, rows);
  }
  return totals;
}

function addTotals(
  totals: Map<string, { capture: number; refund: number }>,
  rows: Row[],
): void {
  for (const row of rows) {
    const entry = totals.get(row.payment_id) ?? { capture: 0, refund: 0 };
    if (row.kind === "capture" || row.kind === "refund") {
      entry[row.kind as "capture" | "refund"] += Number(row.total);
    }
    totals.set(row.payment_id, entry);
  }
}

/** Payments with a ledger entry written in [from, to). */
export async function paymentsWithLedgerEntriesBetween(
  pool: Db,
  from: Date,
  to: Date,
): Promise<string[]> {
  const rows = await pool.query(sql(
    `SELECT DISTINCT payment_id FROM ledger_entry WHERE created_at >= ? AND created_at < ? LIMIT ?`,
    from,
    to,
    settledRowsPerDayMax + 1,
  ));
  assertOneDayBound(rows, "payments with ledger entries");
  return rows.map((row) => row.payment_id);
}

/** A payment the PG authorized (any status but AUTH_FAILED), as authorization reconciliation compares it. */
export interface AuthorizedPaymentRow {
  readonly id: string;
  readonly amount: number;
  readonly currency: string;
  readonly status: string;
  readonly pgAuthorizationId: string | null;
}

/**
 * How far a payment's id time may stray from its `created_at` (both are
 * taken moments apart in ingest): the id range read around a day is this
 * much wider, and `created_at` decides.
 */
const idTimeSlackMs = 3_600_000;

/** Crockford base32 characters of time at the start of an id body (lib/domain/ids.ts). */
const paymentIdTimeChars = 10;

/** The smallest payment id minted at `ms` (ids sort by their millisecond time). */
function paymentIdFloor(ms: number): string {
  return idPrefixes.payment + sortableId(ms).slice(0, paymentIdTimeChars);
}

/**
 * Payments created in [from, to) whose authorization the PG approved. Read
 * by primary-key range (ids sort by creation time), so no index on
 * `created_at` is needed on the payment table's hot path.
 */
export async function authorizedPaymentsBetween(
  pool: Db,
  from: Date,
  to: Date,
): Promise<AuthorizedPaymentRow[]> {
  const rows = await pool.query(sql(
    `SELECT id, amount, currency, status, pg_authorization_id FROM payment
     WHERE id >= ? AND id < ? AND created_at >= ? AND created_at < ? AND status <> 'AUTH_FAILED'
     LIMIT ?`,
    paymentIdFloor(Math.max(0, from.getTime() - idTimeSlackMs)),
    paymentIdFloor(to.getTime() + idTimeSlackMs),
    from,
    to,
    settledRowsPerDayMax + 1,
  ));
  assertOneDayBound(rows, "authorized payments");
  return rows.map((row) => ({
    id: row.id,
    amount: Number(row.amount),
    currency: row.currency,
    status: row.status,
    pgAuthorizationId: row.pg_authorization_id,
  }));
}

/** An authorization attempt with the payment (if any) of its merchant and key. */
export interface AttemptWithPayment {
  readonly pgKey: string;
  readonly status: string;
  readonly outcome: string | null;
  readonly paymentId: string | null;
  readonly paymentAmount: number | null;
  readonly paymentCurrency: string | null;
}

/** Attempts by PG idempotency key, each with its payment when one exists. */
export async function attemptsWithPaymentsByPgKeys(
  pool: Db,
  pgKeys: readonly string[],
): Promise<AttemptWithPayment[]> {
  const found: AttemptWithPayment[] = [];
  for (const chunk of chunks(pgKeys)) {
    const rows = await pool.query(sql(
      `SELECT a.pg_key, a.status, a.outcome, p.id AS payment_id, p.amount, p.currency
       FROM authorization_attempt a
       LEFT JOIN payment p ON p.merchant_id = a.merchant_id AND p.idempotency_key = a.idempotency_key
       WHERE a.pg_key IN (?)`,
      chunk,
    ));
    found.push(...rows.map((row) => ({
      pgKey: row.pg_key,
      status: row.status,
      outcome: row.outcome,
      paymentId: row.payment_id,
      paymentAmount: row.amount === null ? null : Number(row.amount),
      paymentCurrency: row.currency,
    })));
  }
  return found;
}

/** A journal entry whose lines do not balance (debits ≠ credits, or fewer than two lines). */
export interface UnbalancedLedgerEntry {
  readonly entryId: number;
  readonly paymentId: string;
  readonly entryType: string;
  readonly debits: number;
  readonly credits: number;
}

/** Journal entries written in [from, to) that do not balance. */
export async function unbalancedLedgerEntriesBetween(
  pool: Db,
  from: Date,
  to: Date,
): Promise<UnbalancedLedgerEntry[]> {
  const rows = await pool.query(sql(
    `SELECT e.id, e.payment_id, e.entry_type,
       COALESCE(SUM(CASE WHEN l.direction = 'DEBIT' THEN l.amount END), 0) AS debits,
       COALESCE(SUM(CASE WHEN l.direction = 'CREDIT' THEN l.amount END), 0) AS credits,
       COUNT(l.id) AS line_count
     FROM ledger_entry e LEFT JOIN ledger_line l ON l.entry_id = e.id
     WHERE e.created_at >= ? AND e.created_at < ?
     GROUP BY e.id, e.payment_id, e.entry_type
     HAVING debits <> credits OR line_count < 2`,
    from,
    to,
  ));
  return rows.map((row) => ({
    entryId: Number(row.id),
    paymentId: row.payment_id,
    entryType: row.entry_type,
    debits: Number(row.debits),
    credits: Number(row.credits),
  }));
}

/** A day read with `LIMIT settledRowsPerDayMax + 1` that hit the bound fails loudly. */
function assertOneDayBound(rows: readonly Row[], what: string): void {
  if (rows.length > settledRowsPerDayMax) {
    throw new Error(`More than ${settledRowsPerDayMax} ${what} in one day`);
  }
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += idsPerQueryMax) {
    yield items.slice(i, i + idsPerQueryMax);
  }
}
