import assert from "node:assert/strict";
import { countRows, listWebhookDeliveriesOfEvent } from "@pay/lib/db";
import { createRegistry } from "@pay/lib/metrics";
import { fixtureWrite, freshTestDatabase } from "@pay/lib/testing";
import { silentWorkerLog } from "../settlement/log.ts";
import { webhookMetrics } from "./metrics.ts";
import { sweepWebhookEvents, type WebhookSweepDeps } from "./sweeper.ts";
import { authorizedPayment, registerEndpoint } from "./testing.ts";

const minuteMs = 60_000;
const dayMs = 86_400_000;

Deno.test("the webhook-event sweeper derives the events of lost bus messages, once", async () => {
  const db = await freshTestDatabase("wh_sweeper");
  try {
    const registry = createRegistry("workers");
    let woken = 0;
    const deps: WebhookSweepDeps = {
      pool: db.pool,
      registry,
      metrics: webhookMetrics(db.pool, registry),
      log: silentWorkerLog,
      graceMs: 60_000,
      retentionMs: 30 * dayMs,
      onDeliveries: () => woken++,
    };
    const endpoint = await registerEndpoint(db.pool, "M1", "https://hooks.example.com/x");
    const lost = await authorizedPayment(db.pool, "M1");
    const fresh = await authorizedPayment(db.pool, "M1");
    // The relay published `lost` two minutes ago; its message never reached the consumer.
    const published = (eventId: string, at: Date) =>
      fixtureWrite(
        db.pool,
        "UPDATE outbox_event SET status = 'PUBLISHED', published_at = ? WHERE event_id = ?",
        at,
        eventId,
      );
    await published(lost.envelope.eventId, new Date(Date.now() - 2 * minuteMs));
    await published(fresh.envelope.eventId, new Date());

    const pass = await sweepWebhookEvents(deps, new Date());
    assert.equal(pass.items, 1);
    const deliveries = await listWebhookDeliveriesOfEvent(db.pool, lost.envelope.eventId);
    assert.deepEqual(deliveries.map((d) => [d.endpointId, d.status]), [[endpoint.id, "PENDING"]]);
    assert.equal(woken, 1);
    assert.deepEqual(
      await listWebhookDeliveriesOfEvent(db.pool, fresh.envelope.eventId),
      [],
      "an event within the grace may still be on its way: left for a later pass",
    );
    assert.match(
      await registry.metrics(),
      /sweeper_repaired_total\{sweeper="webhook-events"[^}]*\} 1/,
    );

    const again = await sweepWebhookEvents(deps, new Date());
    assert.equal(again.items, 0, "a second pass repairs nothing");
    const later = await sweepWebhookEvents(deps, new Date(Date.now() + 120_000));
    assert.equal(later.items, 1, "the fresh event, once past the grace");

    // Retention: events older than 30 days go with their deliveries.
    const purged = await sweepWebhookEvents(deps, new Date(Date.now() + 31 * dayMs));
    assert.equal(purged.items, 2);
    assert.equal(await countRows(db.pool, "webhook_delivery"), 0);
  } finally {
    await db.close();
  }
});
