/**
 * Reads one scenario's state: its merchants' rows in the private database,
 * and the PG's records through pgsim's own SQLite adapter (its HTTP
 * /admin/operations lists at most 1,000 operations and cannot filter by
 * time, too little for a run of thousands of payments).
 */
import type { RowDataPacket } from "mysql2/promise";
import { type Db, mariadbDriver } from "@pay/lib/db";
import { createSqliteSimDb } from "../../pgsim/db/sqlite_db.ts";
import { pgsimRecordsMax } from "./settings.ts";
import {
  finalStatuses,
  type PgAuthorizationRow,
  type PgOperationRow,
  type RequestRow,
  type ScenarioState,
} from "./state.ts";

const requestTables = {
  capture: "settlement_request",
  refund: "refund_request",
  void: "void_request",
} as const;

export async function readScenarioState(
  pool: Db,
  pgsimDataFile: string,
  merchantIds: readonly string[],
): Promise<ScenarioState> {
  const readAtMs = Date.now();
  const q = async (sql: string, params: unknown[]) =>
    (await mariadbDriver(pool).query<RowDataPacket[]>(sql, params))[0];
  const m = [merchantIds];
  const [payments, events, requests, ledger, unbalanced, payables, outbox, dlq] = await Promise.all(
    [
      q(
        `SELECT id, merchant_id, idempotency_key, status, amount, captured_amount, refunded_amount,
              pg_authorization_id, auth_expires_at
       FROM payment WHERE merchant_id IN (?)`,
        m,
      ),
      q(
        `SELECT e.payment_id, e.to_status, e.created_at FROM payment_event e
       JOIN payment p ON p.id = e.payment_id
       WHERE p.merchant_id IN (?) AND e.to_status IN (?)`,
        [merchantIds, finalStatuses],
      ),
      readRequests(q, merchantIds),
      q(
        `SELECT e.payment_id,
              SUM(CASE l.direction WHEN 'CREDIT' THEN l.amount ELSE -l.amount END) AS payable
       FROM ledger_entry e JOIN ledger_line l ON l.entry_id = e.id
       WHERE e.merchant_id IN (?) AND l.account LIKE 'merchant\\_payable:%'
       GROUP BY e.payment_id`,
        m,
      ),
      q(
        `SELECT e.id, e.payment_id,
              COALESCE(SUM(CASE l.direction WHEN 'DEBIT' THEN l.amount ELSE -l.amount END), 0) AS net,
              COUNT(l.id) AS line_count
       FROM ledger_entry e LEFT JOIN ledger_line l ON l.entry_id = e.id
       WHERE e.merchant_id IN (?) GROUP BY e.id, e.payment_id
       HAVING net <> 0 OR line_count < 2`,
        m,
      ),
      q(
        `SELECT SUBSTRING(account, ${"merchant_payable:".length + 1}) AS merchant_id,
              SUM(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS balance
       FROM ledger_line WHERE account IN (?) GROUP BY account`,
        [merchantIds.map((id) => `merchant_payable:${id}`)],
      ),
      q(
        `SELECT o.id, o.aggregate_id, o.topic, o.status, o.attempts FROM outbox_event o
       JOIN payment p ON p.id = o.aggregate_id
       WHERE o.status IN ('NEW', 'DEAD') AND p.merchant_id IN (?)`,
        m,
      ),
      q(
        `SELECT d.id, d.message_key, d.original_topic, d.error_type, d.error_message
       FROM dlq_message d JOIN payment p ON p.id = d.message_key WHERE p.merchant_id IN (?)`,
        m,
      ),
    ],
  );
  const pg = readPg(pgsimDataFile, new Set(merchantIds));
  return {
    merchantIds,
    payments: payments.map((r) => ({
      id: r.id,
      merchantId: r.merchant_id,
      idempotencyKey: r.idempotency_key,
      status: r.status,
      amount: Number(r.amount),
      capturedAmount: Number(r.captured_amount),
      refundedAmount: Number(r.refunded_amount),
      pgAuthorizationId: r.pg_authorization_id ?? null,
      authExpiresAtMs: r.auth_expires_at ? (r.auth_expires_at as Date).getTime() : null,
    })),
    finalEvents: events.map((r) => ({
      paymentId: r.payment_id,
      toStatus: r.to_status,
      atMs: (r.created_at as Date).getTime(),
    })),
    requests,
    ledgerByPayment: ledger.map((r) => ({ paymentId: r.payment_id, payable: Number(r.payable) })),
    unbalancedEntries: unbalanced.map((r) => ({
      entryId: Number(r.id),
      paymentId: r.payment_id,
      net: Number(r.net),
      lineCount: Number(r.line_count),
    })),
    merchantPayables: payables.map((r) => ({
      merchantId: r.merchant_id,
      balance: Number(r.balance),
    })),
    outboxPending: outbox.map((r) => ({
      id: Number(r.id),
      paymentId: r.aggregate_id,
      topic: r.topic,
      status: r.status,
      attempts: Number(r.attempts),
    })),
    deadLetters: dlq.map((r) => ({
      id: Number(r.id),
      paymentId: r.message_key,
      originalTopic: r.original_topic,
      errorType: r.error_type,
      errorMessage: r.error_message,
    })),
    ...pg,
    readAtMs,
  };
}

async function readRequests(
  q: (sql: string, params: unknown[]) => Promise<RowDataPacket[]>,
  merchantIds: readonly string[],
): Promise<RequestRow[]> {
  const rows: RequestRow[] = [];
  for (const kind of ["capture", "refund", "void"] as const) {
    for (
      const r of await q(
        `SELECT id, payment_id, merchant_id, status, amount, pg_code FROM ${requestTables[kind]}
         WHERE merchant_id IN (?)`,
        [merchantIds],
      )
    ) {
      rows.push({
        kind,
        id: r.id,
        paymentId: r.payment_id,
        merchantId: r.merchant_id,
        status: r.status,
        amount: Number(r.amount),
        pgCode: r.pg_code ?? null,
      });
    }
  }
  return rows;
}

/** The PG's authorizations of `merchants` and every capture, refund and cancel done on them. */
function readPg(
  dataFile: string,
  merchants: ReadonlySet<string>,
): { pgAuthorizations: PgAuthorizationRow[]; pgOperations: PgOperationRow[] } {
  const db = createSqliteSimDb(dataFile, pgsimRecordsMax);
  try {
    const operations = db.listOperations({ limit: pgsimRecordsMax });
    const pgAuthorizations: PgAuthorizationRow[] = [];
    for (const op of operations) {
      if (op.type !== "authorize" || op.status !== "APPROVED") continue;
      const authorization = db.findAuthorization(op.authorizationId);
      if (!authorization || !merchants.has(authorization.merchantId)) continue;
      pgAuthorizations.push({
        id: authorization.id,
        merchantId: authorization.merchantId,
        reference: authorization.reference,
        status: authorization.status,
        amount: authorization.amount,
      });
    }
    const ours = new Set(pgAuthorizations.map((a) => a.id));
    const pgOperations = operations
      .filter((op) => op.type !== "authorize" && op.status === "SUCCEEDED")
      .filter((op) => ours.has(op.authorizationId))
      .map((op) => ({
        type: op.type as PgOperationRow["type"],
        pgId: op.pgId,
        authorizationId: op.authorizationId,
        amount: op.amount,
        atMs: op.atMs,
      }));
    return { pgAuthorizations, pgOperations };
  } finally {
    db.close();
  }
}
