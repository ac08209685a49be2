/**
 * `webhooks:listen` against the platform's own delivery path: the endpoint it
 * registers is stored, the real dispatcher signs and sends to it, and an
 * operator's replay reaches it again. The gateway is faked only as far as
 * registering and deleting go.
 */
import assert from "node:assert/strict";
import { type Db, deleteWebhookEndpoint, listWebhookDeliveriesOfEvent } from "@pay/lib/db";
import { createRegistry } from "@pay/lib/metrics";
import { freshTestDatabase } from "@pay/lib/testing";
import { resolveHost } from "@pay/lib/webhooks";
import { silentWorkerLog } from "../../workers/settlement/log.ts";
import { webhookEventHandler } from "../../workers/webhooks/consumer.ts";
import { startWebhookDispatcher } from "../../workers/webhooks/dispatcher.ts";
import { webhookMetrics } from "../../workers/webhooks/metrics.ts";
import { authorizedPayment, registerEndpoint } from "../../workers/webhooks/testing.ts";
import { webhookReplayEvent } from "../operations/webhooks.ts";
import { until } from "../supervisor/testing.ts";
import { startListener } from "./listen.ts";

const merchantId = "M123";
/** The dispatcher records an answer within milliseconds; this only bounds the wait. */
const recordedDeadlineMs = 10_000;

/** Registration and deletion as the gateway answers them, stored in `pool`. */
function endpointsApi(pool: Db) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (r) => {
    const path = new URL(r.url).pathname;
    if (r.method === "POST" && path === "/api/webhook-endpoints") {
      const { url } = await r.json();
      return Response.json(await registerEndpoint(pool, merchantId, url), { status: 201 });
    }
    const id = /^\/api\/webhook-endpoints\/(we_\w+)$/.exec(path)?.[1];
    if (r.method === "DELETE" && id) {
      const deleted = await deleteWebhookEndpoint(pool, merchantId, id);
      return new Response(null, { status: deleted ? 204 : 404 });
    }
    return new Response(null, { status: 404 });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

/** Resolves when a line matching `pattern` has been printed. */
function printed(lines: string[], pattern: RegExp, from = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = () => {
      const hit = lines.slice(from).find((l) => pattern.test(l));
      if (hit) return resolve(hit);
      if (Date.now() > deadline) return reject(new Error(`not printed: ${pattern}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

Deno.test("a delivery from the dispatcher reaches webhooks:listen verified, and so does an operator's replay", async () => {
  const db = await freshTestDatabase("ops_listen_dispatch");
  const api = endpointsApi(db.pool);
  const metrics = webhookMetrics(db.pool, createRegistry("workers"));
  const dispatcher = startWebhookDispatcher({
    pool: db.pool,
    metrics,
    resolve: resolveHost,
    log: silentWorkerLog,
    config: {
      concurrency: 4,
      pollMs: 20,
      leaseMs: 11_000,
      retryDelaysMs: [50],
      disable: { consecutiveFailures: 1_000, failingForMs: 0 },
      allowPrivate: true,
    },
  });
  const handle = webhookEventHandler({
    pool: db.pool,
    bus: { consume: () => Promise.reject(new Error("unused")) },
    metrics,
    concurrency: 1,
    onDeliveries: dispatcher.wake,
  });
  const lines: string[] = [];
  const listener = await startListener({
    apiUrl: api.url,
    apiKey: "pk_dev_x",
    events: ["*"],
    out: (line) => lines.push(line),
  });
  try {
    const { message, envelope } = await authorizedPayment(db.pool, merchantId);
    await handle(message);
    const first = await printed(lines, /payment\.authorized/);
    assert.match(first, new RegExp(`${envelope.eventId} {2}signature verified$`));

    // The listener prints before the dispatcher records its answer: replay a delivered one.
    await until(
      "the first delivery recorded as DELIVERED",
      recordedDeadlineMs,
      async () =>
        (await listWebhookDeliveriesOfEvent(db.pool, envelope.eventId))[0]?.status === "DELIVERED"
          ? true
          : undefined,
    );
    const before = lines.length;
    const replay = await webhookReplayEvent(
      { pool: db.pool, now: () => new Date() },
      envelope.eventId,
      listener.endpointId,
      "test",
    );
    assert.equal(replay.outcome, "reset");
    dispatcher.wake();
    const again = await printed(lines, /payment\.authorized/, before);
    assert.match(again, new RegExp(`${envelope.eventId} {2}signature verified$`));
  } finally {
    await dispatcher.stop();
    await listener.close();
    await api.close();
    await db.close();
  }
  assert.equal(lines.at(-1), `Deleted endpoint ${listener.endpointId}`);
});
