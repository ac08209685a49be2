import { rowsOf, sql } from "./batch.ts";
import type { Db, Row } from "./port.ts";
import { timestampOrNull } from "./sqlite_statement.ts";
import { inTransaction } from "./transaction.ts";
import { deliveryViewOf, type WebhookDeliveryView } from "./webhook_delivery_repo.ts";

/**
 * The operators' side of webhooks (ops API, CLI, MCP): endpoints across
 * merchants, recent deliveries, and replays. A replay is a state of the
 * (event, endpoint) delivery row, so replaying twice is the same as once.
 */

/** An endpoint as operators see it: never its secrets. */
export interface WebhookEndpointOpsView {
  readonly id: string;
  readonly merchantId: string;
  readonly url: string;
  readonly description: string | null;
  readonly events: readonly string[];
  readonly status: string;
  readonly disabledReason: string | null;
  readonly consecutiveFailures: number;
  readonly failingSince: Date | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  /** Deliveries waiting for an attempt. */
  readonly pending: number;
  readonly lastAttemptAt: Date | null;
}

export interface WebhookEndpointOpsFilter {
  readonly merchantId?: string;
  readonly status?: "enabled" | "disabled";
  /** Only endpoints failing now (a failure run) or disabled after failures. */
  readonly failing?: boolean;
  readonly limit: number;
}

function endpointViewOf(r: Row): WebhookEndpointOpsView {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events),
    status: r.status,
    disabledReason: r.disabled_reason,
    consecutiveFailures: Number(r.consecutive_failures),
    failingSince: timestampOrNull(r.failing_since),
    disabledAt: r.disabled_at,
    createdAt: r.created_at,
    pending: Number(r.pending ?? 0),
    lastAttemptAt: r.last_attempt_at ?? null,
  };
}

/** Endpoints of any merchant, the failing ones first (longest run first), then newest. */
export async function listWebhookEndpointsForOps(
  pool: Db,
  f: WebhookEndpointOpsFilter,
): Promise<WebhookEndpointOpsView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.merchantId !== undefined) {
    where.push("e.merchant_id = ?");
    params.push(f.merchantId);
  }
  if (f.status !== undefined) {
    where.push("e.status = ?");
    params.push(f.status);
  }
  if (f.failing) {
    where.push("(e.consecutive_failures > 0 OR e.disabled_reason = 'failures')");
  }
  const rows = await pool.query(sql(
    `SELECT e.id, e.merchant_id, e.url, e.description, e.events, e.status, e.disabled_reason,
       e.consecutive_failures, e.failing_since, e.disabled_at, e.created_at,
       (SELECT COUNT(*) FROM webhook_delivery d
         WHERE d.endpoint_id = e.id AND d.status = 'PENDING') AS pending,
       (SELECT MAX(d.last_attempt_at) FROM webhook_delivery d
         WHERE d.endpoint_id = e.id) AS last_attempt_at
     FROM webhook_endpoint e ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY e.consecutive_failures DESC, e.created_at DESC, e.id DESC LIMIT ?`,
    ...params,
    f.limit,
  ));
  return rows.map(endpointViewOf);
}

/** A delivery with what it carries, for the operators' recent-deliveries list. */
export interface WebhookDeliveryOpsView extends WebhookDeliveryView {
  readonly merchantId: string;
  readonly eventType: string;
  readonly eventCreatedAt: Date;
  readonly lastAttemptAt: Date | null;
}

/** The most recent deliveries of an endpoint and/or an event, newest first. */
export async function listRecentWebhookDeliveries(
  pool: Db,
  q: { readonly endpointId?: string; readonly eventId?: string; readonly limit: number },
): Promise<WebhookDeliveryOpsView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.endpointId !== undefined) {
    where.push("d.endpoint_id = ?");
    params.push(q.endpointId);
  }
  if (q.eventId !== undefined) {
    where.push("d.event_id = ?");
    params.push(q.eventId);
  }
  const rows = await pool.query(sql(
    `SELECT d.id, d.event_id, d.endpoint_id, d.merchant_id, d.status, d.attempts,
       d.last_status_code, d.last_error, d.last_latency_ms, d.next_attempt_at,
       d.first_attempt_at, d.last_attempt_at, d.completed_at,
       v.type, v.created_at AS event_created_at
     FROM webhook_delivery d JOIN webhook_event v ON v.id = d.event_id
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY d.id DESC LIMIT ?`,
    ...params,
    q.limit,
  ));
  return rows.map((r) => ({
    ...deliveryViewOf(r),
    merchantId: r.merchant_id,
    eventType: r.type,
    eventCreatedAt: r.event_created_at,
    lastAttemptAt: r.last_attempt_at,
  }));
}

/**
 * What a replay did to the (event, endpoint) delivery: `created` a new
 * PENDING one, `reset` a DELIVERED or FAILED one to PENDING (due now), or
 * found it `already_pending` (left as it is: an attempt may be in flight).
 */
export type WebhookReplayOutcome = "created" | "reset" | "already_pending";

/** Why nothing was replayed; a disabled endpoint gets nothing (the dispatcher does not re-check). */
export type WebhookReplayRefusal =
  | "no_event"
  | "no_endpoint"
  | "other_merchant"
  | "endpoint_disabled";

export interface WebhookReplayResult {
  readonly eventId: string;
  readonly endpointId: string;
  readonly outcome: WebhookReplayOutcome | WebhookReplayRefusal;
  readonly deliveryId: number | null;
}

/**
 * Times a replay runs when MariaDB picks it as a deadlock victim: it locks the
 * endpoint and the delivery row the dispatcher may be claiming at that moment.
 */
const replayDeadlockAttemptsMax = 3;

/**
 * Makes one event due again at one endpoint of its merchant, in one
 * transaction. The attempt count keeps counting (so the history shows the
 * replay), the last error records who replayed it until the next attempt.
 */
export async function replayWebhookDelivery(
  pool: Db,
  eventId: string,
  endpointId: string,
  note: string,
): Promise<WebhookReplayResult> {
  return await inTransaction(pool, async (tx) => {
    const [events, endpoints, deliveries] = await tx.run([
      sql("SELECT merchant_id FROM webhook_event WHERE id = ?", eventId),
      sql("SELECT merchant_id, status FROM webhook_endpoint WHERE id = ? FOR UPDATE", endpointId),
      sql(
        "SELECT id, status FROM webhook_delivery WHERE event_id = ? AND endpoint_id = ? FOR UPDATE",
        eventId,
        endpointId,
      ),
    ]);
    const event = rowsOf(events)[0];
    const endpoint = rowsOf(endpoints)[0];
    const delivery = rowsOf(deliveries)[0];
    const refused = (outcome: WebhookReplayRefusal) => ({
      eventId,
      endpointId,
      outcome,
      deliveryId: null,
    });
    if (!event) return refused("no_event");
    if (!endpoint) return refused("no_endpoint");
    if (event.merchant_id !== endpoint.merchant_id) return refused("other_merchant");
    if (endpoint.status !== "enabled") return refused("endpoint_disabled");
    if (delivery?.status === "PENDING") {
      return { eventId, endpointId, outcome: "already_pending", deliveryId: Number(delivery.id) };
    }
    if (delivery) {
      await tx.commit([
        sql(
          `UPDATE webhook_delivery SET status = 'PENDING', next_attempt_at = NOW(3),
             claim_token = NULL, completed_at = NULL, last_error = ?
           WHERE id = ?`,
          note,
          delivery.id,
        ),
      ]);
      return { eventId, endpointId, outcome: "reset", deliveryId: Number(delivery.id) };
    }
    const [, inserted] = await tx.commit([
      sql(
        `INSERT INTO webhook_delivery (event_id, endpoint_id, merchant_id, status, attempts,
           next_attempt_at, last_error, created_at)
         VALUES (?, ?, ?, 'PENDING', 0, NOW(3), ?, NOW(3))`,
        eventId,
        endpointId,
        endpoint.merchant_id,
        note,
      ),
      sql(
        "SELECT id FROM webhook_delivery WHERE event_id = ? AND endpoint_id = ?",
        eventId,
        endpointId,
      ),
    ]);
    const id = Number(rowsOf(inserted)[0]!.id);
    return { eventId, endpointId, outcome: "created", deliveryId: id };
  }, { deadlockAttemptsMax: replayDeadlockAttemptsMax });
}

/** A merchant's events (id, creation time) created in [from, to), oldest first, at most `limit`. */
export async function listWebhookEventIdsInRange(
  pool: Db,
  q: {
    readonly merchantId: string;
    readonly from: Date;
    readonly to: Date;
    readonly limit: number;
  },
): Promise<Array<{ readonly id: string; readonly createdAt: Date }>> {
  const rows = await pool.query(sql(
    `SELECT id, created_at FROM webhook_event
     WHERE merchant_id = ? AND created_at >= ? AND created_at < ?
     ORDER BY created_at, id LIMIT ?`,
    q.merchantId,
    q.from,
    q.to,
    q.limit,
  ));
  return rows.map((r) => ({ id: r.id as string, createdAt: r.created_at as Date }));
}

/** An endpoint's merchant and status, or undefined when there is no such endpoint. */
export async function findWebhookEndpointOwner(
  pool: Db,
  endpointId: string,
): Promise<{ readonly merchantId: string; readonly status: string } | undefined> {
  const rows = await pool.query(
    sql("SELECT merchant_id, status FROM webhook_endpoint WHERE id = ?", endpointId),
  );
  return rows[0] ? { merchantId: rows[0].merchant_id, status: rows[0].status } : undefined;
}
