import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import {
  claimDueWebhookDeliveries,
  listWebhookDeliveriesOfEvent,
  recordWebhookAttempt,
} from "@pay/lib/db";
import { createRegistry } from "@pay/lib/metrics";
import { fixtureRows, freshTestDatabase, type TestDatabase } from "@pay/lib/testing";
import { type HostResolver, resolveHost } from "@pay/lib/webhooks";
import { silentWorkerLog } from "../settlement/log.ts";
import { webhookEventHandler } from "./consumer.ts";
import { type DispatcherConfig, startWebhookDispatcher } from "./dispatcher.ts";
import { webhookMetrics } from "./metrics.ts";
import { authorizedPayment, eventually, registerEndpoint, startReceiver } from "./testing.ts";

const fast: DispatcherConfig = {
  concurrency: 10,
  pollMs: 20,
  leaseMs: 11_000,
  retryDelaysMs: [50, 50, 50, 50],
  disable: { consecutiveFailures: 1_000, failingForMs: 0 },
  allowPrivate: true,
};

function setup(
  db: TestDatabase,
  config: Partial<DispatcherConfig> = {},
  resolve: HostResolver = resolveHost,
) {
  const registry = createRegistry("workers");
  const metrics = webhookMetrics(db.pool, registry);
  const dispatcher = startWebhookDispatcher({
    pool: db.pool,
    metrics,
    resolve,
    log: silentWorkerLog,
    config: { ...fast, ...config },
  });
  const handle = webhookEventHandler({
    pool: db.pool,
    bus: { consume: () => Promise.reject(new Error("unused")) },
    metrics,
    concurrency: 1,
    onDeliveries: dispatcher.wake,
  });
  return { registry, dispatcher, handle };
}

async function deliveriesOf(db: TestDatabase, eventId: string) {
  return await listWebhookDeliveriesOfEvent(db.pool, eventId);
}

Deno.test("webhook delivery", async (t) => {
  const db = await freshTestDatabase("wh_delivery");
  try {
    await t.step(
      "signed deliveries verify; a failing receiver sees retries with one webhook-id",
      async () => {
        const receiver = startReceiver({ failFirst: 2 });
        const { dispatcher, handle, registry } = setup(db);
        try {
          const endpoint = await registerEndpoint(db.pool, "M1", receiver.url);
          const { message, envelope, payment } = await authorizedPayment(db.pool, "M1");
          await handle(message);
          await handle(message); // a redelivered bus message is absorbed
          await receiver.waitFor(3);
          await eventually(
            "delivered",
            async () => (await deliveriesOf(db, envelope.eventId))[0]?.status === "DELIVERED",
          );
          const ids = new Set(receiver.received.map((r) => r.headers["webhook-id"]));
          assert.deepEqual([...ids], [envelope.eventId]);
          const bodies = new Set(receiver.received.map((r) => r.body));
          assert.equal(bodies.size, 1, "every retry sends the same bytes");
          for (const r of receiver.received) {
            const verified = new Webhook(endpoint.secret).verify(r.body, r.headers) as {
              id: string;
              type: string;
              data: { payment: { paymentId: string; status: string; amount: number } };
            };
            assert.equal(verified.id, envelope.eventId);
            assert.equal(verified.type, "payment.authorized");
            assert.equal(verified.data.payment.paymentId, payment.id);
            assert.equal(verified.data.payment.status, "AUTHORIZED");
            assert.equal(verified.data.payment.amount, 5000);
          }
          const [delivery] = await deliveriesOf(db, envelope.eventId);
          assert.equal(delivery!.attempts, 3);
          assert.equal(delivery!.lastStatusCode, 204);
          const text = await registry.metrics();
          assert.match(text, /webhook_delivery_attempts_total\{result="http_error"[^}]*\} 2/);
          assert.match(text, /webhook_delivery_attempts_total\{result="delivered"[^}]*\} 1/);
          assert.match(text, /webhook_deliveries_total\{result="delivered"[^}]*\} 1/);
          assert.match(text, /webhook_delivery_backlog\{[^}]*\} 0/);
        } finally {
          await dispatcher.stop();
          await receiver.close();
        }
      },
    );

    await t.step(
      "an endpoint failing past the policy is disabled and gets nothing more",
      async () => {
        const receiver = startReceiver({ failFirst: Infinity });
        const { dispatcher, handle, registry } = setup(db, {
          retryDelaysMs: [20, 20],
          disable: { consecutiveFailures: 3, failingForMs: 0 },
        });
        try {
          const endpoint = await registerEndpoint(db.pool, "M2", receiver.url);
          const first = await authorizedPayment(db.pool, "M2");
          await handle(first.message);
          await eventually(
            "failed",
            async () => (await deliveriesOf(db, first.envelope.eventId))[0]?.status === "FAILED",
          );
          const [delivery] = await deliveriesOf(db, first.envelope.eventId);
          assert.equal(delivery!.attempts, 3, "the schedule's attempts, then FAILED");
          const rows = await fixtureRows(
            db.pool,
            "SELECT status, disabled_reason FROM webhook_endpoint WHERE id = ?",
            endpoint.id,
          );
          assert.deepEqual({ ...rows[0] }, { status: "disabled", disabled_reason: "failures" });
          assert.match(await registry.metrics(), /webhook_endpoints_disabled_total\{[^}]*\} 1/);
          assert.match(
            await registry.metrics(),
            /webhook_endpoints\{state="disabled_by_failures"[^}]*\} 1/,
          );

          const later = await authorizedPayment(db.pool, "M2");
          await handle(later.message);
          assert.deepEqual(await deliveriesOf(db, later.envelope.eventId), []);
          assert.equal(receiver.received.length, 3);
        } finally {
          await dispatcher.stop();
          await receiver.close();
        }
      },
    );

    await t.step("only the merchant's enabled, subscribed endpoints get an event", async () => {
      const receiver = startReceiver();
      const { dispatcher, handle } = setup(db);
      try {
        const own = await registerEndpoint(db.pool, "M3", receiver.url);
        await registerEndpoint(db.pool, "M3", receiver.url, { status: "disabled" });
        await registerEndpoint(db.pool, "M3", receiver.url, { events: ["payment.captured"] });
        await registerEndpoint(db.pool, "M4", receiver.url);
        const { message, envelope } = await authorizedPayment(db.pool, "M3");
        await handle(message);
        const deliveries = await deliveriesOf(db, envelope.eventId);
        assert.deepEqual(deliveries.map((d) => d.endpointId), [own.id]);
        await receiver.waitFor(1);
        await eventually(
          "delivered",
          async () => (await deliveriesOf(db, envelope.eventId))[0]?.status === "DELIVERED",
        );
        assert.equal(receiver.received.length, 1);
      } finally {
        await dispatcher.stop();
        await receiver.close();
      }
    });

    await t.step(
      "a dispatcher dying mid-delivery loses nothing: another sends after the lease",
      async () => {
        const receiver = startReceiver();
        try {
          await registerEndpoint(db.pool, "M5", receiver.url);
          const { message, envelope } = await authorizedPayment(db.pool, "M5");
          const quiet = setup(db);
          await quiet.dispatcher.stop(); // only its handler is used: nothing sends yet
          await quiet.handle(message);
          // The dying dispatcher: claims, never sends, never records.
          const [dead] = await claimDueWebhookDeliveries(db.pool, { limit: 10, leaseMs: 300 });
          assert.equal(dead!.eventId, envelope.eventId);
          assert.deepEqual(
            await claimDueWebhookDeliveries(db.pool, { limit: 10, leaseMs: 300 }),
            [],
            "a claimed delivery is invisible to other dispatchers during the lease",
          );
          const { dispatcher } = setup(db);
          try {
            await receiver.waitFor(1);
            await eventually(
              "delivered",
              async () => (await deliveriesOf(db, envelope.eventId))[0]?.status === "DELIVERED",
            );
            const [delivery] = await deliveriesOf(db, envelope.eventId);
            assert.equal(delivery!.attempts, 2);
            // The dead dispatcher's late answer changes nothing.
            const late = await recordWebhookAttempt(db.pool, dead!, {
              result: "retry",
              statusCode: 500,
              error: "late",
              latencyMs: 1,
              retryDelayMs: 10,
            }, fast.disable);
            assert.equal(late, "stale");
            assert.equal((await deliveriesOf(db, envelope.eventId))[0]!.status, "DELIVERED");
          } finally {
            await dispatcher.stop();
          }
        } finally {
          await receiver.close();
        }
      },
    );

    await t.step("two dispatchers never send one delivery twice at once", async () => {
      const receiver = startReceiver({ delayMs: 20 });
      const a = setup(db);
      const b = setup(db);
      try {
        await registerEndpoint(db.pool, "M6", receiver.url);
        const events: string[] = [];
        for (let i = 0; i < 40; i++) {
          const { message, envelope } = await authorizedPayment(db.pool, "M6");
          events.push(envelope.eventId);
          await (i % 2 ? a : b).handle(message);
        }
        await receiver.waitFor(40);
        await eventually("all delivered", async () => {
          const [row] = await fixtureRows(
            db.pool,
            "SELECT COUNT(*) AS n FROM webhook_delivery WHERE merchant_id = 'M6' AND status = 'DELIVERED'",
          );
          return Number(row!.n) === 40;
        });
        const ids = receiver.received.map((r) => r.headers["webhook-id"]);
        assert.equal(ids.length, 40);
        assert.deepEqual([...new Set(ids)].sort(), [...events].sort());
      } finally {
        await a.dispatcher.stop();
        await b.dispatcher.stop();
        await receiver.close();
      }
    });

    await t.step(
      "an endpoint whose name resolves to an internal address is refused at send time",
      async () => {
        const receiver = startReceiver();
        const port = new URL(receiver.url).port;
        // The name resolves to loopback (a DNS rebinding of a once-public name).
        const { dispatcher, handle, registry } = setup(
          db,
          { allowPrivate: false, retryDelaysMs: [] },
          () => Promise.resolve(["127.0.0.1"]),
        );
        try {
          await registerEndpoint(db.pool, "M7", `http://rebound.example:${port}/hook`);
          const { message, envelope } = await authorizedPayment(db.pool, "M7");
          await handle(message);
          await eventually(
            "failed",
            async () => (await deliveriesOf(db, envelope.eventId))[0]?.status === "FAILED",
          );
          const [delivery] = await deliveriesOf(db, envelope.eventId);
          assert.match(delivery!.lastError ?? "", /non-public address/);
          assert.equal(receiver.received.length, 0);
          assert.match(
            await registry.metrics(),
            /webhook_delivery_attempts_total\{result="refused"[^}]*\} 1/,
          );
        } finally {
          await dispatcher.stop();
          await receiver.close();
        }
      },
    );
  } finally {
    await db.close();
  }
});
