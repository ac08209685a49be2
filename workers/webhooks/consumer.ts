import { type MessageHandler, parsePaymentEvent, type PipelineBus } from "@pay/lib/bus";
import type { Db } from "@pay/lib/db";
import { webhookEventTypes } from "@pay/lib/domain";
import type { Worker } from "../worker.ts";
import { deriveWebhookEvent } from "./derive.ts";
import type { WebhookMetrics } from "./metrics.ts";

/** The webhook consumer's group. */
export const webhooksGroup = "webhooks";

export interface WebhookConsumerDeps {
  readonly pool: Db;
  readonly bus: Pick<PipelineBus, "consume">;
  readonly metrics: WebhookMetrics;
  readonly concurrency: number;
  /** Told when new deliveries are due, so the dispatcher claims them at once. */
  readonly onDeliveries: () => void;
  readonly now?: () => Date;
}

/**
 * Turns each payment event of a webhook type into a webhook event and its
 * deliveries. Redelivered messages are duplicates by the event id; malformed
 * ones and unknown payments go to the DLQ; a database outage is transient
 * (the bus retries).
 */
export function webhookEventHandler(deps: WebhookConsumerDeps): MessageHandler {
  const now = deps.now ?? (() => new Date());
  return async (message) => {
    const derived = await deriveWebhookEvent(deps.pool, parsePaymentEvent(message), now());
    deps.metrics.events.inc({ source: "consumer", result: derived.result });
    if (derived.deliveries > 0) deps.onDeliveries();
  };
}

export async function startWebhookConsumer(deps: WebhookConsumerDeps): Promise<Worker> {
  const consumer = await deps.bus.consume({
    group: webhooksGroup,
    topics: webhookEventTypes,
    concurrency: deps.concurrency,
    handler: webhookEventHandler(deps),
  });
  return { stop: () => consumer.stop() };
}
