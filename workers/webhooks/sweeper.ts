import { parsePaymentEvent } from "@pay/lib/bus";
import {
  type Db,
  purgeWebhookEvents,
  readSweepCursor,
  saveSweepCursor,
  scanOutboxForWebhookEvents,
  type WebhookOutboxRow,
} from "@pay/lib/db";
import { isWebhookEventType, webhookEventTypes } from "@pay/lib/domain";
import type { Registry } from "@pay/lib/metrics";
import type { WorkerLog } from "../settlement/log.ts";
import { leasedPass, processLeaseOwner } from "../schedulers/lease.ts";
import { type PassResult, type RunningLoop, startIntervalLoop } from "../schedulers/loop.ts";
import { loggedIdsMax } from "../schedulers/sweep_pass.ts";
import { sweeperMetrics } from "../schedulers/sweeper_metrics.ts";
import { deriveWebhookEvent } from "./derive.ts";
import type { WebhookMetrics } from "./metrics.ts";

/** The sweeper's name: its lease, its cursor and its `sweeper` label. */
export const webhookSweeperName = "webhook-events";

/** Outbox rows one pass reads; events one pass purges. */
export const webhookSweepBatchSize = 500;

export interface WebhookSweepDeps {
  readonly pool: Db;
  readonly registry: Registry;
  readonly metrics: WebhookMetrics;
  readonly log: WorkerLog;
  readonly graceMs: number;
  readonly retentionMs: number;
  /** Told when a repair created deliveries. */
  readonly onDeliveries: () => void;
}

/**
 * The webhook consumer's backstop (DESIGN §10): walks the outbox in id order
 * from its cursor and derives the webhook event (with its deliveries) of
 * every row of a webhook type that has none once it left the outbox more
 * than `graceMs` ago: its bus message was lost (or the row went DEAD).
 * Stops at a row still NEW or within the grace and reads it again next pass,
 * so a backlog is never mistaken for a loss. Also purges events past
 * retention. Each repair counts in `sweeper_repaired_total{sweeper="webhook-events"}`.
 */
export async function sweepWebhookEvents(deps: WebhookSweepDeps, now: Date): Promise<PassResult> {
  const until = now.getTime() - deps.graceMs;
  const cursor = await readSweepCursor(deps.pool, webhookSweeperName);
  const rows = await scanOutboxForWebhookEvents(
    deps.pool,
    cursor ? Number(cursor.id) : 0,
    webhookEventTypes,
    webhookSweepBatchSize,
  );
  let position: number | undefined;
  let waiting = false;
  let found = 0;
  const repaired: string[] = [];
  for (const row of rows) {
    if (row.leftAt === null || row.leftAt.getTime() > until) {
      waiting = true;
      break;
    }
    if (isWebhookEventType(row.topic) && !row.recorded) {
      found++;
      if (await repair(deps, row, now)) repaired.push(row.eventId);
    }
    position = row.outboxId;
  }
  if (position !== undefined) {
    await saveSweepCursor(deps.pool, webhookSweeperName, { at: now, id: String(position) });
  }
  const purged = await purgeWebhookEvents(
    deps.pool,
    new Date(now.getTime() - deps.retentionMs),
    webhookSweepBatchSize,
  );
  count(deps, found, repaired);
  return {
    items: repaired.length + purged,
    more: (!waiting && rows.length === webhookSweepBatchSize) || purged === webhookSweepBatchSize,
  };
}

async function repair(deps: WebhookSweepDeps, row: WebhookOutboxRow, now: Date): Promise<boolean> {
  try {
    const event = parsePaymentEvent({
      topic: row.topic,
      key: "",
      value: row.payload ?? "",
      headers: {},
    });
    const derived = await deriveWebhookEvent(deps.pool, event, now);
    deps.metrics.events.inc({ source: "sweeper", result: derived.result });
    if (derived.deliveries > 0) deps.onDeliveries();
    return derived.result === "created";
  } catch (error) {
    // The consumer dead-letters such an event too; there is no webhook event to derive.
    deps.log("webhook_sweeper_unreadable_event", { eventId: row.eventId, error: String(error) });
    return false;
  }
}

function count(deps: WebhookSweepDeps, found: number, repaired: readonly string[]): void {
  const metrics = sweeperMetrics(deps.registry);
  if (found > 0) metrics.found.inc({ sweeper: webhookSweeperName }, found);
  if (repaired.length === 0) return;
  metrics.repaired.inc({ sweeper: webhookSweeperName }, repaired.length);
  deps.log("sweeper_repaired", {
    sweeper: webhookSweeperName,
    found,
    repaired: repaired.length,
    ids: repaired.slice(0, loggedIdsMax),
  });
}

/** Runs the sweep every `intervalMs` in the process holding the `webhook-events` lease. */
export function startWebhookSweeper(
  deps: WebhookSweepDeps & { readonly intervalMs: number; readonly now?: () => Date },
): RunningLoop {
  const now = deps.now ?? (() => new Date());
  sweeperMetrics(deps.registry);
  return startIntervalLoop({
    name: "webhook-sweeper",
    intervalMs: deps.intervalMs,
    registry: deps.registry,
    log: deps.log,
    pass: leasedPass({
      pool: deps.pool,
      name: webhookSweeperName,
      owner: processLeaseOwner,
      intervalMs: deps.intervalMs,
      pass: () => sweepWebhookEvents(deps, now()),
    }),
  });
}
