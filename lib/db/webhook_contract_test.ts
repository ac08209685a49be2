/**
 * Webhook repository contracts (endpoints, events, deliveries, operators'
 * views and replays), on both adapters (harness: repository_contract.ts).
 *
 * Claims compare `next_attempt_at` with the database's clock, so the
 * fixtures live an hour in the past: what they record is due now, and a lease
 * or a retry an hour long is not.
 */
import assert from "node:assert/strict";
import type { Currency, EventEnvelope, EventId, MerchantId, PaymentId } from "../domain/mod.ts";
import { sql } from "./batch.ts";
import { markOutboxPublished } from "./outbox_relay_repo.ts";
import { insertOutboxEventStatement } from "./outbox_repo.ts";
import type { Db } from "./port.ts";
import { both, contract, nextId } from "./repository_contract.ts";
import { runTransactionBatch } from "./transaction.ts";
import {
  claimDueWebhookDeliveries,
  countWebhookEndpoints,
  countWebhookEndpointsByState,
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  findWebhookEndpointOwner,
  findWebhookEvent,
  insertWebhookEndpointStatement,
  listRecentWebhookDeliveries,
  listWebhookDeliveriesOfEvent,
  listWebhookEndpoints,
  listWebhookEndpointsForOps,
  listWebhookEventIdsInRange,
  listWebhookEvents,
  purgeWebhookEvents,
  readWebhookBacklog,
  readWebhookFirstAttemptDelaysMs,
  recordWebhookAttempt,
  recordWebhookEvent,
  replayWebhookDelivery,
  rotateWebhookEndpointSecret,
  scanOutboxForWebhookEvents,
  updateWebhookEndpoint,
  type WebhookAttemptOutcome,
  type WebhookEndpointRecord,
  type WebhookEventRecord,
} from "./webhook_repos.ts";

const hourMs = 3_600_000;
const t0 = new Date(Math.floor(Date.now() / 1_000) * 1_000 - hourMs);
const at = (ms: number) => new Date(t0.getTime() + ms);
/** Disables on the second failure in a row, however short the run. */
const policy = { consecutiveFailures: 2, failingForMs: 0 };

function endpoint(
  merchantId: string,
  overrides: Partial<WebhookEndpointRecord> = {},
): WebhookEndpointRecord {
  return {
    id: nextId("we"),
    merchantId,
    url: "https://example.test/hook",
    description: null,
    events: ["*"],
    status: "enabled",
    disabledReason: null,
    secret: nextId("whsec"),
    previousSecret: null,
    previousSecretExpiresAt: null,
    consecutiveFailures: 0,
    failingSince: null,
    disabledAt: null,
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  };
}

async function addEndpoints(db: Db, ...endpoints: WebhookEndpointRecord[]) {
  await runTransactionBatch(db, endpoints.map(insertWebhookEndpointStatement));
  return endpoints;
}

function event(merchantId: string, overrides: Partial<WebhookEventRecord> = {}) {
  const id = nextId("evt");
  return {
    id,
    merchantId,
    type: "payment.authorized",
    paymentId: nextId("pay"),
    payload: JSON.stringify({ id, type: "payment.authorized" }),
    createdAt: at(1_000),
    ...overrides,
  } satisfies WebhookEventRecord;
}

async function recorded(db: Db, ...events: WebhookEventRecord[]) {
  for (const e of events) await recordWebhookEvent(db, e, at(2_000));
  return events;
}

const claimAll = (db: Db, leaseMs = hourMs, limit = 100) =>
  claimDueWebhookDeliveries(db, { limit, leaseMs });

function outcome(
  result: WebhookAttemptOutcome["result"],
  retryDelayMs?: number,
): WebhookAttemptOutcome {
  const ok = result === "delivered";
  return {
    result,
    statusCode: ok ? 200 : 500,
    error: ok ? null : "HTTP 500",
    latencyMs: 12.4,
    retryDelayMs,
  };
}

const byNumber = (a: number, b: number) => a - b;

async function deliveryOf(db: Db, eventId: string) {
  const [view] = await listWebhookDeliveriesOfEvent(db, eventId);
  return view!;
}

contract("webhook endpoints: insert, find, list and count name the merchant", both, async (db) => {
  const [first, second, other] = await addEndpoints(
    db,
    endpoint("m_a", { description: "orders", events: ["payment.captured"] }),
    endpoint("m_a", { createdAt: at(1), updatedAt: at(1) }),
    endpoint("m_b"),
  );
  assert.deepEqual(await findWebhookEndpoint(db, "m_a", first!.id), first);
  assert.equal(await findWebhookEndpoint(db, "m_b", first!.id), undefined);
  assert.deepEqual(await listWebhookEndpoints(db, "m_a", 10), [first, second]);
  assert.deepEqual(await listWebhookEndpoints(db, "m_a", 1), [first]);
  assert.equal(await countWebhookEndpoints(db, "m_a"), 2);
  assert.equal(await countWebhookEndpoints(db, "m_c"), 0);
  assert.deepEqual(await findWebhookEndpointOwner(db, other!.id), {
    merchantId: "m_b",
    status: "enabled",
  });
  assert.equal(await findWebhookEndpointOwner(db, "none"), undefined);
});

contract(
  "webhook endpoints: disabling gives up pending deliveries, enabling clears the failure run",
  both,
  async (db) => {
    const [e] = await addEndpoints(db, endpoint("m_a"));
    const [first, second] = await recorded(db, event("m_a"), event("m_a"));
    const [claim] = await claimAll(db, hourMs, 1);
    await recordWebhookAttempt(db, claim!, outcome("retry", 0), {
      ...policy,
      failingForMs: hourMs,
    });
    const run = (await findWebhookEndpoint(db, "m_a", e!.id))!;
    assert.equal(run.consecutiveFailures, 1);
    assert.ok(run.failingSince instanceof Date);

    const renamed = await updateWebhookEndpoint(db, "m_a", e!.id, { url: "https://b.test" }, at(5));
    assert.deepEqual(renamed, { ...run, url: "https://b.test", updatedAt: at(5) });
    const off = await updateWebhookEndpoint(db, "m_a", e!.id, { status: "disabled" }, at(6));
    assert.deepEqual([off?.status, off?.disabledReason, off?.disabledAt], [
      "disabled",
      "merchant",
      at(6),
    ]);
    for (const id of [first!.id, second!.id]) {
      const view = await deliveryOf(db, id);
      assert.deepEqual([view.status, view.lastError], [
        "FAILED",
        "Endpoint disabled by the merchant",
      ]);
      assert.ok(view.completedAt instanceof Date);
    }
    const on = await updateWebhookEndpoint(db, "m_a", e!.id, { status: "enabled" }, at(7));
    assert.deepEqual(on, {
      ...run,
      url: "https://b.test",
      updatedAt: at(7),
      consecutiveFailures: 0,
      failingSince: null,
    });
    assert.equal(await updateWebhookEndpoint(db, "m_b", e!.id, { url: "x" }, at(8)), undefined);
  },
);

contract(
  "webhook endpoints: a rotated-out secret signs next to the new one until its overlap ends",
  both,
  async (db) => {
    const [e] = await addEndpoints(db, endpoint("m_a"));
    const [ev] = await recorded(db, event("m_a"));
    const extra = endpoint("m_a");
    const rotation = { merchantId: "m_a", id: e!.id, now: at(3) };
    const overlapping = {
      ...rotation,
      secret: "whsec_new",
      overlapUntil: new Date(Date.now() + hourMs),
    };
    assert.equal(
      await rotateWebhookEndpointSecret(db, overlapping, [insertWebhookEndpointStatement(extra)]),
      true,
    );
    assert.ok(
      await findWebhookEndpoint(db, "m_a", extra.id),
      "the extra statements commit with it",
    );
    const [claim] = await claimAll(db, 0);
    assert.deepEqual(claim!.secrets, ["whsec_new", e!.secret]);

    const expired = { ...rotation, secret: "whsec_newer", overlapUntil: t0 };
    assert.equal(await rotateWebhookEndpointSecret(db, expired, []), true);
    assert.deepEqual((await claimAll(db, 0))[0]!.secrets, ["whsec_newer"]);
    assert.equal((await findWebhookEndpoint(db, "m_a", e!.id))!.previousSecret, "whsec_new");

    const other = endpoint("m_a");
    const foreign = { ...overlapping, merchantId: "m_b" };
    assert.equal(
      await rotateWebhookEndpointSecret(db, foreign, [insertWebhookEndpointStatement(other)]),
      false,
    );
    assert.equal(await findWebhookEndpoint(db, "m_a", other.id), undefined, "nothing committed");
    assert.equal((await deliveryOf(db, ev!.id)).attempts, 2);
  },
);

contract("webhook endpoints: a delete takes its deliveries; counts by state", both, async (db) => {
  const [gone, kept] = await addEndpoints(
    db,
    endpoint("m_a"),
    endpoint("m_a", { status: "disabled", disabledReason: "failures" }),
    endpoint("m_b", { status: "disabled", disabledReason: "failures" }),
  );
  const [ev] = await recorded(db, event("m_a"));
  assert.equal(await deleteWebhookEndpoint(db, "m_b", gone!.id), false);
  assert.equal(await deleteWebhookEndpoint(db, "m_a", gone!.id), true);
  assert.equal(await deleteWebhookEndpoint(db, "m_a", gone!.id), false);
  assert.deepEqual(await listWebhookDeliveriesOfEvent(db, ev!.id), []);
  assert.ok(await findWebhookEndpoint(db, "m_a", kept!.id));
  const states = await countWebhookEndpointsByState(db);
  assert.deepEqual(states, [{ status: "disabled", reason: "failures", count: 2 }]);
});

contract(
  "webhook events: recording is idempotent and owes one delivery per subscribed endpoint",
  both,
  async (db) => {
    const [all, typed] = await addEndpoints(
      db,
      endpoint("m_a"),
      endpoint("m_a", { events: ["payment.captured", "payment.authorized"] }),
      endpoint("m_a", { events: ["payment.captured"] }),
      endpoint("m_a", { status: "disabled", disabledReason: "merchant" }),
      endpoint("m_a", { createdAt: at(1_001) }),
      endpoint("m_b"),
    );
    const ev = event("m_a");
    assert.deepEqual(await recordWebhookEvent(db, ev, at(2_000)), { created: true, deliveries: 2 });
    assert.deepEqual(await recordWebhookEvent(db, ev, at(3_000)), {
      created: false,
      deliveries: 0,
    });
    const views = await listWebhookDeliveriesOfEvent(db, ev.id);
    assert.deepEqual(views.map((v) => v.endpointId).sort(), [all!.id, typed!.id].sort());
    assert.deepEqual(views[0], {
      id: views[0]!.id,
      eventId: ev.id,
      endpointId: views[0]!.endpointId,
      status: "PENDING",
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      lastLatencyMs: null,
      nextAttemptAt: at(2_000),
      firstAttemptAt: null,
      completedAt: null,
    });
    assert.deepEqual(await findWebhookEvent(db, "m_a", ev.id, t0), ev);
  },
);

contract(
  "webhook events: listed newest first, filtered, in pages, within retention",
  both,
  async (db) => {
    const [a, b, c] = await recorded(
      db,
      event("m_a", { createdAt: at(1) }),
      event("m_a", { createdAt: at(2), type: "payment.captured" }),
      event("m_a", { createdAt: at(3) }),
      event("m_b", { createdAt: at(4) }),
    );
    const list = (q: Partial<Parameters<typeof listWebhookEvents>[1]>) =>
      listWebhookEvents(db, { merchantId: "m_a", since: t0, limit: 10, ...q });
    assert.deepEqual(await list({}), [c, b, a]);
    assert.deepEqual(await list({ type: "payment.authorized" }), [c, a]);
    assert.deepEqual(await list({ paymentId: b!.paymentId }), [b]);
    assert.deepEqual(await list({ limit: 1, before: { at: c!.createdAt, id: c!.id } }), [b]);
    assert.deepEqual(await list({ since: at(2) }), [c, b]);
    assert.equal(await findWebhookEvent(db, "m_a", a!.id, at(2)), undefined);
    assert.equal(await findWebhookEvent(db, "m_b", a!.id, t0), undefined);
    assert.deepEqual(
      await listWebhookEventIdsInRange(db, {
        merchantId: "m_a",
        from: at(1),
        to: at(3),
        limit: 10,
      }),
      [{ id: a!.id, createdAt: at(1) }, { id: b!.id, createdAt: at(2) }],
    );
  },
);

contract(
  "webhook events: a purge takes the oldest events with their deliveries",
  both,
  async (db) => {
    await addEndpoints(db, endpoint("m_a"));
    const [old1, old2, old3, young] = await recorded(
      db,
      ...[1, 2, 3, 10].map((ms) => event("m_a", { createdAt: at(ms) })),
    );
    assert.equal(await purgeWebhookEvents(db, at(10), 2), 2);
    assert.equal(await purgeWebhookEvents(db, at(10), 2), 1);
    assert.equal(await purgeWebhookEvents(db, at(10), 2), 0);
    for (const gone of [old1, old2, old3]) {
      assert.equal(await findWebhookEvent(db, "m_a", gone!.id, t0), undefined);
      assert.deepEqual(await listWebhookDeliveriesOfEvent(db, gone!.id), []);
    }
    assert.equal((await listWebhookDeliveriesOfEvent(db, young!.id)).length, 1);
  },
);

contract("webhook events: the outbox scan tells what still needs an event", both, async (db) => {
  const envelope = (topic: string): EventEnvelope => ({
    eventId: nextId("evt") as EventId,
    type: topic,
    paymentId: nextId("pay") as PaymentId,
    merchantId: "m_a" as MerchantId,
    amount: 100,
    currency: "KRW" as Currency,
    occurredAt: at(1).toISOString(),
    data: {},
  });
  const [done, waiting, other] = [
    envelope("payment.authorized"),
    envelope("payment.authorized"),
    envelope("payment.capture-requested"),
  ];
  await runTransactionBatch(db, [
    insertOutboxEventStatement("payment.authorized", done),
    insertOutboxEventStatement("payment.authorized", waiting),
    insertOutboxEventStatement("payment.capture-requested", other),
  ]);
  await recorded(db, event("m_a", { id: done.eventId }));
  const topics = ["payment.authorized"];
  const first = await scanOutboxForWebhookEvents(db, 0, topics, 10);
  await markOutboxPublished(db, [first[1]!.outboxId]);
  const rows = await scanOutboxForWebhookEvents(db, 0, topics, 10);
  assert.deepEqual(rows.map(({ outboxId: _, leftAt, ...r }) => ({ ...r, left: leftAt !== null })), [
    {
      eventId: done.eventId,
      topic: "payment.authorized",
      status: "NEW",
      left: false,
      recorded: true,
      payload: null,
    },
    {
      eventId: waiting.eventId,
      topic: "payment.authorized",
      status: "PUBLISHED",
      left: true,
      recorded: false,
      payload: JSON.stringify(waiting),
    },
    {
      eventId: other.eventId,
      topic: "payment.capture-requested",
      status: "NEW",
      left: false,
      recorded: false,
      payload: null,
    },
  ]);
  assert.ok(rows[1]!.leftAt instanceof Date);
  const page = await scanOutboxForWebhookEvents(db, rows[0]!.outboxId, topics, 1);
  assert.deepEqual(page.map((r) => r.eventId), [waiting.eventId]);
});

contract(
  "webhook deliveries: a claim carries the attempt and is a lease; a stale claim records nothing",
  both,
  async (db) => {
    const [e] = await addEndpoints(db, endpoint("m_a", { url: "https://a.test/hook" }));
    const [ev] = await recorded(db, event("m_a"));
    const [claim] = await claimAll(db, 0);
    assert.deepEqual({ ...claim, claimToken: typeof claim!.claimToken }, {
      id: claim!.id,
      claimToken: "string",
      eventId: ev!.id,
      endpointId: e!.id,
      merchantId: "m_a",
      attempts: 1,
      url: "https://a.test/hook",
      secrets: [e!.secret],
      payload: ev!.payload,
      eventCreatedAt: ev!.createdAt,
    });
    const [again] = await claimAll(db);
    assert.equal(again!.attempts, 2);
    assert.notEqual(again!.claimToken, claim!.claimToken);
    assert.deepEqual(await claimAll(db), [], "an hour's lease hides it");
    assert.equal(await recordWebhookAttempt(db, claim!, outcome("delivered"), policy), "stale");
    assert.equal((await deliveryOf(db, ev!.id)).status, "PENDING");
  },
);

contract("webhook deliveries: two racing claimers never claim one delivery", both, async (db) => {
  await addEndpoints(db, endpoint("m_a"), endpoint("m_a"));
  await recorded(db, ...Array.from({ length: 6 }, () => event("m_a")));
  const [first, second] = await Promise.all([claimAll(db, hourMs, 8), claimAll(db, hourMs, 8)]);
  // A row the other claimer had locked is skipped, not waited for (MariaDB):
  // the next pass claims what both left, and no delivery is claimed twice.
  const rest = await claimAll(db);
  const ids = [...first, ...second, ...rest].map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, "a delivery was claimed twice");
  assert.equal(ids.length, 12);
  assert.deepEqual(await claimAll(db), []);
});

contract("webhook deliveries: a delivered delivery is not marked again", both, async (db) => {
  const [e] = await addEndpoints(db, endpoint("m_a"));
  const [ev] = await recorded(db, event("m_a"));
  const [claim] = await claimAll(db);
  assert.equal(await recordWebhookAttempt(db, claim!, outcome("delivered"), policy), "recorded");
  assert.equal(await recordWebhookAttempt(db, claim!, outcome("failed"), policy), "stale");
  const view = await deliveryOf(db, ev!.id);
  assert.deepEqual(
    [view.status, view.attempts, view.lastStatusCode, view.lastError, view.lastLatencyMs],
    ["DELIVERED", 1, 200, null, 12],
  );
  assert.ok(view.completedAt instanceof Date && view.firstAttemptAt instanceof Date);
  assert.deepEqual(await claimAll(db, 0), []);
  assert.equal((await findWebhookEndpoint(db, "m_a", e!.id))!.consecutiveFailures, 0);
});

contract(
  "webhook deliveries: a retry is due after its delay; a give-up is final",
  both,
  async (db) => {
    await addEndpoints(db, endpoint("m_a"));
    const [later, soon] = await recorded(db, event("m_a"), event("m_a"));
    const loose = { ...policy, consecutiveFailures: 10 };
    const claims = await claimAll(db);
    const claimOf = (eventId: string) => claims.find((c) => c.eventId === eventId)!;
    await recordWebhookAttempt(db, claimOf(later!.id), outcome("retry", hourMs), loose);
    await recordWebhookAttempt(db, claimOf(soon!.id), outcome("retry", 0), loose);
    const waiting = await deliveryOf(db, later!.id);
    assert.deepEqual([waiting.status, waiting.attempts, waiting.lastError], [
      "PENDING",
      1,
      "HTTP 500",
    ]);
    assert.equal(waiting.completedAt, null);
    assert.ok(waiting.nextAttemptAt.getTime() > Date.now() + hourMs / 2, "due in about an hour");
    const [retried] = await claimAll(db);
    assert.deepEqual([retried?.eventId, retried?.attempts], [soon!.id, 2]);
    assert.equal(await recordWebhookAttempt(db, retried!, outcome("failed"), loose), "recorded");
    const failed = await deliveryOf(db, soon!.id);
    assert.equal(failed.status, "FAILED");
    assert.ok(failed.completedAt instanceof Date);
    assert.deepEqual(await claimAll(db, 0), []);
  },
);

contract(
  "webhook deliveries: a long enough failure run disables the endpoint and gives up the rest",
  both,
  async (db) => {
    const [e, healthy] = await addEndpoints(db, endpoint("m_a"), endpoint("m_b"));
    const [one, two, three] = await recorded(db, event("m_a"), event("m_a"), event("m_a"));
    await recorded(db, event("m_b"));
    const claims = await claimAll(db);
    const of = (eventId: string) => claims.find((c) => c.eventId === eventId)!;
    const slow = { ...policy, failingForMs: 10 * hourMs };
    assert.equal(
      await recordWebhookAttempt(db, of(one!.id), outcome("retry", hourMs), slow),
      "recorded",
    );
    assert.equal(
      await recordWebhookAttempt(db, of(two!.id), outcome("retry", hourMs), slow),
      "recorded",
    );
    assert.equal((await findWebhookEndpoint(db, "m_a", e!.id))!.status, "enabled", "run too short");
    assert.equal(
      await recordWebhookAttempt(db, of(three!.id), outcome("retry", hourMs), policy),
      "recorded_endpoint_disabled",
    );
    const off = (await findWebhookEndpoint(db, "m_a", e!.id))!;
    assert.deepEqual([off.status, off.disabledReason, off.consecutiveFailures], [
      "disabled",
      "failures",
      3,
    ]);
    for (const ev of [one, two, three]) {
      const view = await deliveryOf(db, ev!.id);
      assert.deepEqual([view.status, view.lastError], [
        "FAILED",
        "Endpoint disabled after consecutive failures",
      ]);
    }
    const other = claims.find((c) => c.endpointId === healthy!.id)!;
    assert.equal(await recordWebhookAttempt(db, other, outcome("delivered"), policy), "recorded");
  },
);

contract("webhook deliveries: backlog and first-attempt delays", both, async (db) => {
  assert.deepEqual(await readWebhookBacklog(db), { pending: 0, oldestAgeSeconds: 0 });
  await addEndpoints(db, endpoint("m_a"), endpoint("m_a"));
  const [ev] = await recorded(db, event("m_a"));
  const backlog = await readWebhookBacklog(db);
  assert.equal(backlog.pending, 2);
  assert.ok(backlog.oldestAgeSeconds > hourMs / 2_000, "recorded an hour ago");
  const since = new Date(Date.now() - hourMs / 2);
  assert.deepEqual(await readWebhookFirstAttemptDelaysMs(db, since), []);
  const claims = await claimAll(db, 0);
  const delays = await readWebhookFirstAttemptDelaysMs(db, since);
  assert.equal(delays.length, 2);
  const firstAttempts = (await listWebhookDeliveriesOfEvent(db, ev!.id)).map((v) =>
    v.firstAttemptAt
  );
  const expected = firstAttempts.map((d) => d!.getTime() - ev!.createdAt.getTime());
  assert.deepEqual(delays.sort(byNumber), expected.sort(byNumber));
  await claimAll(db, 0);
  assert.deepEqual(
    (await listWebhookDeliveriesOfEvent(db, ev!.id)).map((v) => [v.attempts, v.firstAttemptAt]),
    firstAttempts.map((d) => [2, d]),
    "the first attempt's time stays",
  );
  assert.equal(claims.length, 2);
});

contract(
  "webhook ops: endpoints failing first, with their backlog, never secrets",
  both,
  async (db) => {
    const [calm, failing, off] = await addEndpoints(
      db,
      endpoint("m_a", { createdAt: at(1) }),
      endpoint("m_a", { createdAt: at(2) }),
      endpoint("m_b", { createdAt: at(3) }),
    );
    await recorded(db, event("m_a"), event("m_b"));
    const claims = await claimAll(db);
    const attempted = claims.find((c) => c.endpointId === failing!.id)!;
    await recordWebhookAttempt(db, attempted, outcome("retry", 0), {
      ...policy,
      consecutiveFailures: 9,
    });
    await updateWebhookEndpoint(db, "m_b", off!.id, { status: "disabled" }, at(4));
    const views = await listWebhookEndpointsForOps(db, { limit: 10 });
    assert.deepEqual(views.map((v) => [v.id, v.consecutiveFailures, v.pending]), [
      [failing!.id, 1, 1],
      [off!.id, 0, 0],
      [calm!.id, 0, 1],
    ]);
    assert.ok(views[0]!.failingSince instanceof Date && views[0]!.lastAttemptAt instanceof Date);
    assert.ok(!("secret" in views[0]!));
    assert.deepEqual(views[0]!.events, ["*"]);
    const ids = async (f: Partial<Parameters<typeof listWebhookEndpointsForOps>[1]>) =>
      (await listWebhookEndpointsForOps(db, { limit: 10, ...f })).map((v) => v.id);
    assert.deepEqual(await ids({ merchantId: "m_b" }), [off!.id]);
    assert.deepEqual(await ids({ status: "enabled" }), [failing!.id, calm!.id]);
    assert.deepEqual(await ids({ failing: true }), [failing!.id]);
    assert.deepEqual(await ids({ limit: 1 }), [failing!.id]);
  },
);

contract("webhook ops: recent deliveries newest first, by endpoint or event", both, async (db) => {
  const [e1, e2] = await addEndpoints(db, endpoint("m_a"), endpoint("m_a"));
  const [ev1, ev2] = await recorded(db, event("m_a"), event("m_a", { type: "payment.captured" }));
  const recent = await listRecentWebhookDeliveries(db, { endpointId: e1!.id, limit: 10 });
  assert.deepEqual(recent.map((d) => [d.eventId, d.eventType]), [
    [ev2!.id, "payment.captured"],
    [ev1!.id, "payment.authorized"],
  ]);
  assert.deepEqual([recent[0]!.merchantId, recent[0]!.eventCreatedAt, recent[0]!.lastAttemptAt], [
    "m_a",
    ev2!.createdAt,
    null,
  ]);
  const ofEvent = await listRecentWebhookDeliveries(db, { eventId: ev1!.id, limit: 10 });
  assert.deepEqual(ofEvent.map((d) => d.endpointId).sort(), [e1!.id, e2!.id].sort());
  const pair = await listRecentWebhookDeliveries(db, {
    endpointId: e2!.id,
    eventId: ev1!.id,
    limit: 10,
  });
  assert.deepEqual(pair.map((d) => d.id), [ofEvent.find((d) => d.endpointId === e2!.id)!.id]);
  assert.equal((await listRecentWebhookDeliveries(db, { limit: 3 })).length, 3);
});

contract(
  "webhook ops: a replay creates, resets or leaves pending; refusals change nothing",
  both,
  async (db) => {
    const [e, late, off, foreign] = await addEndpoints(
      db,
      endpoint("m_a"),
      endpoint("m_a", { createdAt: at(5_000) }),
      endpoint("m_a", { status: "disabled", disabledReason: "merchant" }),
      endpoint("m_b"),
    );
    const [ev] = await recorded(db, event("m_a"));
    const replay = (endpointId: string, eventId = ev!.id) =>
      replayWebhookDelivery(db, eventId, endpointId, "Replayed by ops");
    const pending = (await deliveryOf(db, ev!.id)).id;
    assert.deepEqual(await replay(e!.id), {
      eventId: ev!.id,
      endpointId: e!.id,
      outcome: "already_pending",
      deliveryId: pending,
    });
    const [claim] = await claimAll(db);
    await recordWebhookAttempt(db, claim!, outcome("delivered"), policy);
    assert.equal((await replay(e!.id)).outcome, "reset");
    const reset = await deliveryOf(db, ev!.id);
    assert.deepEqual([reset.status, reset.attempts, reset.lastError, reset.completedAt], [
      "PENDING",
      1,
      "Replayed by ops",
      null,
    ]);
    assert.equal((await replay(e!.id)).outcome, "already_pending");
    const [again] = await claimAll(db);
    assert.deepEqual([again?.id, again?.attempts], [pending, 2]);

    const created = await replay(late!.id);
    assert.equal(created.outcome, "created");
    const views = await listRecentWebhookDeliveries(db, { endpointId: late!.id, limit: 10 });
    assert.deepEqual(views.map((v) => [v.id, v.status, v.lastError]), [
      [created.deliveryId, "PENDING", "Replayed by ops"],
    ]);
    assert.equal((await replay(late!.id)).outcome, "already_pending");

    assert.equal((await replay(off!.id)).outcome, "endpoint_disabled");
    assert.equal((await replay(foreign!.id)).outcome, "other_merchant");
    assert.equal((await replay("none")).outcome, "no_endpoint");
    assert.deepEqual(await replay(e!.id, "none"), {
      eventId: "none",
      endpointId: e!.id,
      outcome: "no_event",
      deliveryId: null,
    });
    assert.equal((await listWebhookDeliveriesOfEvent(db, ev!.id)).length, 2);
  },
);

// Fixture SQL is allowed in tests; this one proves the schema's unique key
// backs the idempotency of recording and replaying.
contract("webhook schema: one delivery per (event, endpoint)", both, async (db) => {
  const [e] = await addEndpoints(db, endpoint("m_a"));
  const [ev] = await recorded(db, event("m_a"));
  await assert.rejects(db.execute(sql(
    `INSERT INTO webhook_delivery (event_id, endpoint_id, merchant_id, status, attempts,
       next_attempt_at, created_at) VALUES (?, ?, 'm_a', 'PENDING', 0, ?, ?)`,
    ev!.id,
    e!.id,
    t0,
    t0,
  )));
});
