import {
  findWebhookEndpointOwner,
  listRecentWebhookDeliveries,
  listWebhookEndpointsForOps,
  listWebhookEventIdsInRange,
  replayWebhookDelivery,
  type WebhookDeliveryOpsView,
  type WebhookEndpointOpsView,
  type WebhookReplayResult,
} from "@pay/lib/db";
import { NotFoundError, ValidationError } from "@pay/lib/domain";
import type { OpsContext } from "./context.ts";

/** Endpoints one listing returns at most. */
export const webhookEndpointRowsMax = 500;
/** Deliveries one listing returns at most. */
export const webhookDeliveryRowsMax = 500;
/** Events one range replay makes due at most (a bounded burst at the merchant's receiver). */
export const webhookReplayRangeEventsMax = 1_000;

export interface WebhookEndpointListing {
  readonly endpoints: readonly WebhookEndpointOpsView[];
  /** Of those listed: disabled after a run of failures (the alert's subject). */
  readonly disabledByFailures: number;
  /** Of those listed: enabled but in a failure run now. */
  readonly failing: number;
}

export async function webhookEndpoints(
  ctx: Pick<OpsContext, "pool" | "now">,
  filter: {
    merchantId?: string;
    status?: "enabled" | "disabled";
    failing?: boolean;
    limit: number;
  },
): Promise<WebhookEndpointListing> {
  const endpoints = await listWebhookEndpointsForOps(ctx.pool, filter);
  return {
    endpoints,
    disabledByFailures: endpoints.filter((e) => e.disabledReason === "failures").length,
    failing: endpoints.filter((e) => e.status === "enabled" && e.consecutiveFailures > 0).length,
  };
}

export async function webhookDeliveries(
  ctx: Pick<OpsContext, "pool" | "now">,
  q: { endpointId?: string; eventId?: string; limit: number },
): Promise<{ readonly deliveries: readonly WebhookDeliveryOpsView[] }> {
  if (q.endpointId === undefined && q.eventId === undefined) {
    throw new ValidationError("Give endpointId, eventId or both", "endpointId");
  }
  return { deliveries: await listRecentWebhookDeliveries(ctx.pool, q) };
}

function replayNote(actor: string, at: Date): string {
  return `replayed by ${actor} at ${at.toISOString()}`;
}

/** Makes one event due again at one endpoint (idempotent: a pending delivery is left as it is). */
export async function webhookReplayEvent(
  ctx: Pick<OpsContext, "pool" | "now">,
  eventId: string,
  endpointId: string,
  actor: string,
): Promise<WebhookReplayResult> {
  const result = await replayWebhookDelivery(
    ctx.pool,
    eventId,
    endpointId,
    replayNote(actor, ctx.now()),
  );
  if (result.outcome === "no_event") throw new NotFoundError(`No webhook event ${eventId}`);
  if (result.outcome === "no_endpoint") {
    throw new NotFoundError(`No webhook endpoint ${endpointId}`);
  }
  if (result.outcome === "other_merchant") {
    throw new ValidationError(
      `Event ${eventId} belongs to another merchant than endpoint ${endpointId}`,
      "eventId",
    );
  }
  if (result.outcome === "endpoint_disabled") {
    throw new ValidationError(
      `Endpoint ${endpointId} is disabled: re-enable it (PATCH status enabled) before replaying`,
      "endpointId",
    );
  }
  return result;
}

export interface WebhookRangeReplay {
  readonly endpointId: string;
  readonly merchantId: string;
  readonly from: Date;
  readonly to: Date;
  readonly events: number;
  readonly created: number;
  readonly reset: number;
  readonly alreadyPending: number;
  /** True when the range held more events than `limit`: replay the rest from `nextFrom`. */
  readonly truncated: boolean;
  readonly lastEventId: string | null;
  /**
   * Where the rest starts: the last replayed event's time (inclusive, so
   * events of that same instant are not skipped; the last one is pending and
   * left alone, or, when delivered meanwhile, sent once more: at least once).
   * Null when the range is done.
   */
  readonly nextFrom: Date | null;
}

/**
 * Makes the endpoint's merchant's events created in [from, to) due again at
 * that endpoint, oldest first, at most `limit` of them.
 */
export async function webhookReplayRange(
  ctx: Pick<OpsContext, "pool" | "now">,
  q: { endpointId: string; from: Date; to: Date; limit: number },
  actor: string,
): Promise<WebhookRangeReplay> {
  if (q.from >= q.to) throw new ValidationError("from must be before to", "from");
  const endpoint = await findWebhookEndpointOwner(ctx.pool, q.endpointId);
  if (endpoint === undefined) throw new NotFoundError(`No webhook endpoint ${q.endpointId}`);
  if (endpoint.status !== "enabled") {
    throw new ValidationError(
      `Endpoint ${q.endpointId} is disabled: re-enable it before replaying`,
      "endpointId",
    );
  }
  const merchantId = endpoint.merchantId;
  const ids = await listWebhookEventIdsInRange(ctx.pool, {
    merchantId,
    from: q.from,
    to: q.to,
    limit: q.limit + 1,
  });
  const selected = ids.slice(0, q.limit);
  const truncated = ids.length > q.limit;
  const last = selected.at(-1);
  const note = replayNote(actor, ctx.now());
  const counts = { created: 0, reset: 0, already_pending: 0 };
  for (const { id } of selected) {
    const r = await replayWebhookDelivery(ctx.pool, id, q.endpointId, note);
    if (r.outcome in counts) counts[r.outcome as keyof typeof counts]++;
  }
  return {
    endpointId: q.endpointId,
    merchantId,
    from: q.from,
    to: q.to,
    events: selected.length,
    created: counts.created,
    reset: counts.reset,
    alreadyPending: counts.already_pending,
    truncated,
    lastEventId: last?.id ?? null,
    nextFrom: truncated && last ? last.createdAt : null,
  };
}
