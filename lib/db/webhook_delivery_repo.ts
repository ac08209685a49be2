import { affectedRows, rowsOf, runBatch, sql, type Statement } from "./batch.ts";
import { nowPlusMs, secondsSince } from "./dialect.ts";
import type { Db, Dialect, Row } from "./port.ts";
import { inTransaction } from "./transaction.ts";
import { failPendingWebhookDeliveriesStatement } from "./webhook_endpoint_repo.ts";

/**
 * The dispatcher's side of `webhook_delivery` (DESIGN §10, §11).
 *
 * A claim is a lease, not a held lock: one short READ COMMITTED transaction
 * selects due rows `FOR UPDATE SKIP LOCKED` (several dispatchers never pick
 * one row together; on SQLite the file's write lock serialises the claims),
 * counts the attempt, stamps a fresh claim token and pushes `next_attempt_at`
 * one lease ahead; the HTTP call then runs with no transaction open. A
 * dispatcher that dies mid-attempt leaves the row due again when the lease
 * ends; one that answers after its lease ended finds its token replaced and
 * changes nothing.
 */
export interface ClaimedWebhookDelivery {
  readonly id: number;
  readonly claimToken: string;
  readonly eventId: string;
  readonly endpointId: string;
  readonly merchantId: string;
  /** Attempts including this one. */
  readonly attempts: number;
  readonly url: string;
  /** Secrets that sign this attempt: the current one, and a rotated-out one still in its overlap. */
  readonly secrets: readonly string[];
  readonly payload: string;
  readonly eventCreatedAt: Date;
}

export async function claimDueWebhookDeliveries(
  pool: Db,
  claim: { readonly limit: number; readonly leaseMs: number },
): Promise<ClaimedWebhookDelivery[]> {
  const claimToken = crypto.randomUUID();
  return await inTransaction(pool, async (tx) => {
    const [selected] = await tx.run([
      sql(
        `SELECT id FROM webhook_delivery WHERE status = 'PENDING' AND next_attempt_at <= NOW(3)
         ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        claim.limit,
      ),
    ]);
    const ids = rowsOf(selected).map((r) => Number(r.id));
    if (ids.length === 0) return [];
    const [, rows] = await tx.commit([
      sql(
        `UPDATE webhook_delivery SET attempts = attempts + 1, claim_token = ?,
           next_attempt_at = ${nowPlusMs(pool.dialect)},
           first_attempt_at = COALESCE(first_attempt_at, NOW(3)), last_attempt_at = NOW(3)
         WHERE id IN (?)`,
        claimToken,
        claim.leaseMs,
        ids,
      ),
      sql(
        `SELECT d.id, d.event_id, d.endpoint_id, d.merchant_id, d.attempts, e.url, e.secret,
           CASE WHEN e.previous_secret_expires_at > NOW(3) THEN e.previous_secret END
             AS previous_secret,
           v.payload, v.created_at AS event_created_at
         FROM webhook_delivery d
         JOIN webhook_endpoint e ON e.id = d.endpoint_id
         JOIN webhook_event v ON v.id = d.event_id
         WHERE d.id IN (?)`,
        ids,
      ),
    ]);
    return rowsOf(rows).map((r) => ({
      id: Number(r.id),
      claimToken,
      eventId: r.event_id,
      endpointId: r.endpoint_id,
      merchantId: r.merchant_id,
      attempts: Number(r.attempts),
      url: r.url,
      secrets: r.previous_secret ? [r.secret, r.previous_secret] : [r.secret],
      payload: r.payload,
      eventCreatedAt: r.event_created_at,
    }));
  }, { isolation: "READ COMMITTED" });
}

/** What one attempt came to. */
export interface WebhookAttemptOutcome {
  /** delivered: a 2xx. retry: failed, again after `retryDelayMs`. failed: failed, no attempts left. */
  readonly result: "delivered" | "retry" | "failed";
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly latencyMs: number;
  /** Required when result is `retry`. */
  readonly retryDelayMs?: number;
}

/** When a failing endpoint is disabled: both bounds must be passed. */
export interface WebhookDisablePolicy {
  readonly consecutiveFailures: number;
  readonly failingForMs: number;
}

export type WebhookAttemptRecord = "recorded" | "recorded_endpoint_disabled" | "stale";

/** Error text stored per attempt at most (the column's width). */
const lastErrorCharsMax = 500;

/**
 * Records an attempt of a claimed delivery and the endpoint's failure run in
 * one transaction. A failure that makes the run long enough (by count and
 * by time) disables the endpoint and gives up its pending deliveries. A
 * claim whose lease ran out and was taken again records nothing (`stale`).
 */
export async function recordWebhookAttempt(
  pool: Db,
  claimed: Pick<ClaimedWebhookDelivery, "id" | "claimToken" | "endpointId">,
  outcome: WebhookAttemptOutcome,
  policy: WebhookDisablePolicy,
): Promise<WebhookAttemptRecord> {
  return await inTransaction(pool, async (tx) => {
    const [updated] = await tx.run([deliveryUpdate(pool.dialect, claimed, outcome)]);
    if (affectedRows(updated) === 0) {
      await tx.rollback();
      return "stale";
    }
    if (outcome.result === "delivered") {
      await tx.commit([
        sql(
          `UPDATE webhook_endpoint SET consecutive_failures = 0, failing_since = NULL
           WHERE id = ? AND consecutive_failures <> 0`,
          claimed.endpointId,
        ),
      ]);
      return "recorded";
    }
    const [, disabled] = await tx.run([
      sql(
        `UPDATE webhook_endpoint SET consecutive_failures = consecutive_failures + 1,
           failing_since = COALESCE(failing_since, NOW(3))
         WHERE id = ?`,
        claimed.endpointId,
      ),
      sql(
        `UPDATE webhook_endpoint SET status = 'disabled', disabled_reason = 'failures',
           disabled_at = NOW(3), updated_at = NOW(3)
         WHERE id = ? AND status = 'enabled' AND consecutive_failures >= ?
           AND failing_since <= ${nowPlusMs(pool.dialect)}`,
        claimed.endpointId,
        policy.consecutiveFailures,
        -policy.failingForMs, // the run began at least failingForMs ago
      ),
    ]);
    if (affectedRows(disabled) === 0) return "recorded";
    await tx.commit([
      failPendingWebhookDeliveriesStatement(
        claimed.endpointId,
        "Endpoint disabled after consecutive failures",
      ),
    ]);
    return "recorded_endpoint_disabled";
  });
}

/** The claimed delivery's new state: only while its claim token is still the row's. */
function deliveryUpdate(
  dialect: Dialect,
  claimed: Pick<ClaimedWebhookDelivery, "id" | "claimToken">,
  outcome: WebhookAttemptOutcome,
): Statement {
  const retry = outcome.result === "retry";
  const status = retry ? "PENDING" : outcome.result === "delivered" ? "DELIVERED" : "FAILED";
  const next = retry
    ? sql(`next_attempt_at = ${nowPlusMs(dialect)}, completed_at = NULL`, outcome.retryDelayMs ?? 0)
    : sql("completed_at = NOW(3)");
  return sql(
    `UPDATE webhook_delivery SET status = ?, last_status_code = ?, last_error = ?,
       last_latency_ms = ?, claim_token = NULL, ${next.sql}
     WHERE id = ? AND claim_token = ? AND status = 'PENDING'`,
    status,
    outcome.statusCode,
    outcome.error?.slice(0, lastErrorCharsMax) ?? null,
    Math.round(outcome.latencyMs),
    ...next.params,
    claimed.id,
    claimed.claimToken,
  );
}

/** The delivery backlog: PENDING rows and the age of the oldest (seconds; 0 when none). */
export async function readWebhookBacklog(
  pool: Db,
): Promise<{ readonly pending: number; readonly oldestAgeSeconds: number }> {
  const [rows] = await runBatch(pool, [
    sql(
      `SELECT COUNT(*) AS n, COALESCE(${secondsSince(pool.dialect, "MIN(created_at)")}, 0) AS age
       FROM webhook_delivery WHERE status = 'PENDING'`,
    ),
  ]);
  const row = rowsOf(rows)[0];
  return { pending: Number(row?.n ?? 0), oldestAgeSeconds: Math.max(0, Number(row?.age ?? 0)) };
}

/** One delivery as merchants' tools and operators see it. */
export interface WebhookDeliveryView {
  readonly id: number;
  readonly eventId: string;
  readonly endpointId: string;
  readonly status: string;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly lastLatencyMs: number | null;
  readonly nextAttemptAt: Date;
  readonly firstAttemptAt: Date | null;
  readonly completedAt: Date | null;
}

/** The deliveries of one event, by endpoint. */
export async function listWebhookDeliveriesOfEvent(
  pool: Db,
  eventId: string,
): Promise<WebhookDeliveryView[]> {
  const rows = await pool.query(sql(
    `SELECT id, event_id, endpoint_id, status, attempts, last_status_code, last_error,
       last_latency_ms, next_attempt_at, first_attempt_at, completed_at
     FROM webhook_delivery WHERE event_id = ? ORDER BY endpoint_id`,
    eventId,
  ));
  return rows.map(deliveryViewOf);
}

/** A `webhook_delivery` row as a view; operators' listings add their columns to it. */
export function deliveryViewOf(r: Row): WebhookDeliveryView {
  return {
    id: Number(r.id),
    eventId: r.event_id,
    endpointId: r.endpoint_id,
    status: r.status,
    attempts: Number(r.attempts),
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
    lastError: r.last_error,
    lastLatencyMs: r.last_latency_ms === null ? null : Number(r.last_latency_ms),
    nextAttemptAt: r.next_attempt_at,
    firstAttemptAt: r.first_attempt_at,
    completedAt: r.completed_at,
  };
}

/**
 * Milliseconds from each event's commit to its delivery's first attempt,
 * for deliveries first attempted since `since` (the latency bench).
 */
export async function readWebhookFirstAttemptDelaysMs(
  pool: Db,
  since: Date,
): Promise<number[]> {
  const rows = await pool.query(sql(
    `SELECT v.created_at AS event_created_at, d.first_attempt_at
     FROM webhook_delivery d JOIN webhook_event v ON v.id = d.event_id
     WHERE d.first_attempt_at >= ?`,
    since,
  ));
  return rows.map((r) => r.first_attempt_at.getTime() - r.event_created_at.getTime());
}
