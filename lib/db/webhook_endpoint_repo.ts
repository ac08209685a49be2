import type { WebhookEndpointStatus } from "../domain/mod.ts";
import { affectedRows, rowsOf, runBatch, sql, type Statement } from "./batch.ts";
import type { Db, Row } from "./port.ts";
import { timestampOrNull } from "./sqlite_statement.ts";
import { inTransaction } from "./transaction.ts";

/**
 * Merchant webhook endpoints (`webhook_endpoint`, DESIGN §11). Every read and
 * write names the merchant: another merchant's endpoint does not exist.
 */
export interface WebhookEndpointRecord {
  readonly id: string;
  readonly merchantId: string;
  readonly url: string;
  readonly description: string | null;
  readonly events: readonly string[];
  readonly status: WebhookEndpointStatus;
  /** Why it is disabled: `merchant` (PATCH) or `failures` (a run of failed attempts). */
  readonly disabledReason: string | null;
  readonly secret: string;
  readonly previousSecret: string | null;
  readonly previousSecretExpiresAt: Date | null;
  readonly consecutiveFailures: number;
  readonly failingSince: Date | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const columns = `id, merchant_id, url, description, events, status, disabled_reason, secret,
  previous_secret, previous_secret_expires_at, consecutive_failures, failing_since, disabled_at,
  created_at, updated_at`;

function endpointOf(row: Row): WebhookEndpointRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events),
    status: row.status,
    disabledReason: row.disabled_reason,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    consecutiveFailures: Number(row.consecutive_failures),
    failingSince: timestampOrNull(row.failing_since),
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Inserts an endpoint as `e` describes it, every column (the API's are new
 * and enabled), for the caller's transaction (with its idempotency record).
 */
export function insertWebhookEndpointStatement(e: WebhookEndpointRecord): Statement {
  return sql(
    `INSERT INTO webhook_endpoint (${columns})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    e.id,
    e.merchantId,
    e.url,
    e.description,
    JSON.stringify(e.events),
    e.status,
    e.disabledReason,
    e.secret,
    e.previousSecret,
    e.previousSecretExpiresAt,
    e.consecutiveFailures,
    e.failingSince,
    e.disabledAt,
    e.createdAt,
    e.updatedAt,
  );
}

export async function findWebhookEndpoint(
  pool: Db,
  merchantId: string,
  id: string,
): Promise<WebhookEndpointRecord | undefined> {
  const rows = await pool.query(
    sql(`SELECT ${columns} FROM webhook_endpoint WHERE id = ? AND merchant_id = ?`, id, merchantId),
  );
  return rows[0] ? endpointOf(rows[0]) : undefined;
}

/** A merchant's endpoints, oldest first (a merchant has few). */
export async function listWebhookEndpoints(
  pool: Db,
  merchantId: string,
  limit: number,
): Promise<WebhookEndpointRecord[]> {
  const rows = await pool.query(sql(
    `SELECT ${columns} FROM webhook_endpoint WHERE merchant_id = ? ORDER BY created_at, id LIMIT ?`,
    merchantId,
    limit,
  ));
  return rows.map(endpointOf);
}

export async function countWebhookEndpoints(pool: Db, merchantId: string): Promise<number> {
  const rows = await pool.query(
    sql("SELECT COUNT(*) AS n FROM webhook_endpoint WHERE merchant_id = ?", merchantId),
  );
  return Number(rows[0]?.n ?? 0);
}

export interface WebhookEndpointChange {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly description?: string | null;
  readonly status?: WebhookEndpointStatus;
}

/** Statements that give up an endpoint's pending deliveries: it was disabled. */
export function failPendingWebhookDeliveriesStatement(
  endpointId: string,
  reason: string,
): Statement {
  return sql(
    `UPDATE webhook_delivery SET status = 'FAILED', last_error = ?, completed_at = NOW(3),
       claim_token = NULL
     WHERE endpoint_id = ? AND status = 'PENDING'`,
    reason,
    endpointId,
  );
}

/**
 * Applies `change` to a merchant's endpoint and returns it; undefined when
 * the merchant has no such endpoint. Disabling gives up its pending
 * deliveries; enabling clears the failure run, so the next failure starts a
 * new one.
 */
export async function updateWebhookEndpoint(
  pool: Db,
  merchantId: string,
  id: string,
  change: WebhookEndpointChange,
  now: Date,
): Promise<WebhookEndpointRecord | undefined> {
  return await inTransaction(pool, async (tx) => {
    const [locked] = await tx.run([
      sql(
        `SELECT ${columns} FROM webhook_endpoint WHERE id = ? AND merchant_id = ? FOR UPDATE`,
        id,
        merchantId,
      ),
    ]);
    const row = rowsOf(locked)[0];
    if (!row) return undefined;
    const before = endpointOf(row);
    const disabling = change.status === "disabled" && before.status === "enabled";
    const enabling = change.status === "enabled" && before.status === "disabled";
    const statements: Statement[] = [
      sql(
        `UPDATE webhook_endpoint SET url = ?, events = ?, description = ?, status = ?,
           disabled_reason = ?, disabled_at = ?, consecutive_failures = ?, failing_since = ?,
           updated_at = ?
         WHERE id = ?`,
        change.url ?? before.url,
        JSON.stringify(change.events ?? before.events),
        change.description === undefined ? before.description : change.description,
        change.status ?? before.status,
        disabling ? "merchant" : enabling ? null : before.disabledReason,
        disabling ? now : enabling ? null : before.disabledAt,
        enabling ? 0 : before.consecutiveFailures,
        enabling ? null : before.failingSince,
        now,
        id,
      ),
    ];
    if (disabling) {
      statements.push(
        failPendingWebhookDeliveriesStatement(id, "Endpoint disabled by the merchant"),
      );
    }
    statements.push(sql(`SELECT ${columns} FROM webhook_endpoint WHERE id = ?`, id));
    const results = await tx.commit(statements);
    return endpointOf(rowsOf(results.at(-1))[0]!);
  });
}

/** Times a delete runs when it loses a deadlock to the dispatcher claiming the endpoint's deliveries. */
const deleteDeadlockAttemptsMax = 3;

/** Deletes a merchant's endpoint with its deliveries; false when there is none. */
export async function deleteWebhookEndpoint(
  pool: Db,
  merchantId: string,
  id: string,
): Promise<boolean> {
  return await inTransaction(pool, async (tx) => {
    const [deleted] = await tx.run([
      sql("DELETE FROM webhook_endpoint WHERE id = ? AND merchant_id = ?", id, merchantId),
    ]);
    if (affectedRows(deleted) === 0) {
      await tx.rollback();
      return false;
    }
    await tx.commit([sql("DELETE FROM webhook_delivery WHERE endpoint_id = ?", id)]);
    return true;
  }, { deadlockAttemptsMax: deleteDeadlockAttemptsMax });
}

/**
 * Rotates an endpoint's secret: the current one keeps signing next to
 * `secret` until `overlapUntil`. `extra` (the idempotency record) commits
 * with it. False when the merchant has no such endpoint (nothing committed).
 */
export async function rotateWebhookEndpointSecret(
  pool: Db,
  rotation: {
    readonly merchantId: string;
    readonly id: string;
    readonly secret: string;
    readonly overlapUntil: Date;
    readonly now: Date;
  },
  extra: readonly Statement[],
): Promise<boolean> {
  return await inTransaction(pool, async (tx) => {
    const [updated] = await tx.run([
      sql(
        `UPDATE webhook_endpoint SET previous_secret = secret, previous_secret_expires_at = ?,
           secret = ?, updated_at = ?
         WHERE id = ? AND merchant_id = ?`,
        rotation.overlapUntil,
        rotation.secret,
        rotation.now,
        rotation.id,
        rotation.merchantId,
      ),
    ]);
    if (affectedRows(updated) === 0) {
      await tx.rollback();
      return false;
    }
    await tx.commit(extra);
    return true;
  });
}

/** Endpoints by status and disable reason, across merchants (metrics). */
export async function countWebhookEndpointsByState(
  pool: Db,
): Promise<Array<{ status: string; reason: string | null; count: number }>> {
  const [rows] = await runBatch(pool, [
    sql(
      `SELECT status, disabled_reason, COUNT(*) AS n FROM webhook_endpoint
       GROUP BY status, disabled_reason`,
    ),
  ]);
  return rowsOf(rows).map((r) => ({
    status: r.status,
    reason: r.disabled_reason,
    count: Number(r.n),
  }));
}
