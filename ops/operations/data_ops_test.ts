import assert from "node:assert/strict";
import { topics } from "@pay/lib/domain";
import { createRegistry } from "@pay/lib/metrics";
import { fixtureRows, fixtureWrite } from "@pay/lib/testing";
import { archiveDlqMessage } from "@pay/workers/dlq";
import { buildOpsApp } from "../app.ts";
import { insertPayment, opsHarness, postCapture } from "../testing/harness.ts";

const token = "z".repeat(40);
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };

Deno.test("payments are queried by merchant, status and time, with detail and statistics", async () => {
  const h = await opsHarness("ops_payments");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const hourAgo = Date.now() - 3_600_000;
    const old = await insertPayment(h.db.pool, { createdAt: new Date(hourAgo - 600_000) });
    const captured = await insertPayment(h.db.pool, {
      status: "CAPTURED",
      amount: 5_000,
      capturedAmount: 5_000,
    });
    await insertPayment(h.db.pool, { merchantId: "M999", currency: "USD", amount: 1_250 });
    await postCapture(h.db.pool, captured, 5_000);

    const byMerchant = await (await app.request("/api/ops/payments?merchantId=M123")).json();
    assert.deepEqual(
      byMerchant.data.map((p: { id: string }) => p.id).sort(),
      [old.id, captured.id].sort(),
    );
    const byStatus = await (await app.request("/api/ops/payments?status=CAPTURED")).json();
    assert.deepEqual(byStatus.data.map((p: { id: string }) => p.id), [captured.id]);
    const recent =
      await (await app.request(`/api/ops/payments?from=${new Date(hourAgo).toISOString()}`))
        .json();
    assert.equal(recent.data.length, 2, "the payment created before the range is left out");
    const paged = await (await app.request("/api/ops/payments?limit=2")).json();
    assert.equal(paged.data.length, 2);
    const rest = await (await app.request(`/api/ops/payments?limit=2&beforeId=${paged.nextCursor}`))
      .json();
    assert.deepEqual(rest, { data: [rest.data[0]], nextCursor: null });

    const detail = await (await app.request(`/api/ops/payments/${captured.id}`)).json();
    assert.equal(detail.payment.status, "CAPTURED");
    assert.deepEqual(detail.events.map((e: { to: string }) => e.to), ["AUTHORIZED"]);
    assert.deepEqual(detail.ledger[0].lines.map((l: { direction: string }) => l.direction), [
      "DEBIT",
      "CREDIT",
    ]);

    const stats = await (await app.request("/api/ops/payments/statistics")).json();
    const hour = stats.windows.find((w: { window: string }) => w.window === "1h");
    assert.equal(hour.total, 2);
    assert.deepEqual(
      hour.byStatus.map((
        s: { status: string; currency: string; count: number; amount: number },
      ) => [
        s.status,
        s.currency,
        s.count,
        s.amount,
      ]),
      [["AUTHORIZED", "USD", 1, 1_250], ["CAPTURED", "KRW", 1, 5_000]],
    );
    const day = stats.windows.find((w: { window: string }) => w.window === "24h");
    assert.equal(day.total, 3);
  } finally {
    await h.close();
  }
});

Deno.test("outbox DEAD rows are listed and requeued; the ledger check finds an unbalanced entry", async () => {
  const h = await opsHarness("ops_outbox_ledger");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    await fixtureWrite(
      h.db.pool,
      `INSERT INTO outbox_event (event_id, aggregate_id, topic, payload, status, attempts, next_attempt_at, last_error, created_at)
       VALUES ('evt_a', 'pay_a', 'payment.captured', '{}', 'DEAD', 20, NOW(3), 'bus down', NOW(3)),
              ('evt_b', 'pay_b', 'payment.captured', '{}', 'DEAD', 20, NOW(3), 'bus down', NOW(3)),
              ('evt_c', 'pay_c', 'payment.authorized', '{}', 'NEW', 0, NOW(3), NULL, NOW(3))`,
    );
    const status = await (await app.request("/api/ops/outbox")).json();
    assert.equal(status.backlog, 1);
    assert.equal(status.dead, 2);
    assert.deepEqual(status.deadRows.map((r: { eventId: string }) => r.eventId), [
      "evt_a",
      "evt_b",
    ]);
    const one = await app.request("/api/ops/outbox/requeue", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ ids: [status.deadRows[0].id] }),
    });
    assert.deepEqual(await one.json(), { requeued: 1 });
    const after = await (await app.request("/api/ops/outbox")).json();
    assert.deepEqual([after.backlog, after.dead], [2, 1]);

    const balanced = await (await app.request("/api/ops/ledger/check")).json();
    assert.equal(balanced.ok, true);
    const payment = await insertPayment(h.db.pool, { status: "CAPTURED", capturedAmount: 10_000 });
    await postCapture(h.db.pool, payment, 10_000, 1);
    const check = await (await app.request("/api/ops/ledger/check")).json();
    assert.equal(check.ok, false);
    assert.equal(check.unbalancedEntries.length, 1);
    const lookup = await (await app.request(`/api/ops/ledger/${payment.id}`)).json();
    assert.deepEqual(
      lookup.balances.map((b: { account: string; net: number }) => [b.account, b.net]),
      [["pg_clearing", 10_000], ["merchant_payable:M123", -9_999]],
    );
  } finally {
    await h.close();
  }
});

Deno.test("a triggered reconciliation is stored and reported with its mismatches", async () => {
  const h = await opsHarness("ops_reconciliation");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    const empty = await (await app.request("/api/ops/reconciliation")).json();
    assert.deepEqual(empty, { runs: [], run: null, mismatches: [] });
    const date = "2030-01-15";
    h.reports.set(date, {
      date,
      captures: [{
        pgId: "pgc_1",
        idempotencyKey: "cap_unknown",
        authorizationId: "pga_1",
        reference: "r",
        amount: 700,
        currency: "KRW",
        at: `${date}T10:00:00Z`,
      }],
      refunds: [],
    });
    const check = await (await app.request(`/api/ops/reconciliation/check?date=${date}`)).json();
    assert.equal(check.clean, false);
    assert.equal(
      (await (await app.request("/api/ops/reconciliation")).json()).runs.length,
      0,
      "a check stores nothing",
    );
    const run = await app.request("/api/ops/reconciliation/run", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ date }),
    });
    const ran = await run.json();
    assert.equal(run.status, 200);
    assert.equal(ran.counts.missing_here, 1);
    const report = await (await app.request("/api/ops/reconciliation")).json();
    assert.equal(report.run.id, ran.runId);
    assert.equal(report.run.status, "MISMATCHED");
    assert.equal(report.mismatches[0].requestId, "cap_unknown");
    const byId = await app.request(`/api/ops/reconciliation?runId=${ran.runId + 1000}`);
    assert.equal(byId.status, 404);
    await byId.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("dead letters are listed and replayed onto the bus through the API", async () => {
  const h = await opsHarness("ops_dlq");
  try {
    const app = buildOpsApp({ ctx: h.ctx, registry: createRegistry("ops"), token });
    await archiveDlqMessage(h.db.pool, {
      topic: topics.dlq,
      key: "pay_1",
      value: JSON.stringify({
        originalTopic: topics.captured,
        partition: 0,
        offset: "1-0",
        payload: '{"n":1}',
        errorType: "Error",
        errorMessage: "PG said no",
        timestamp: new Date().toISOString(),
      }),
      headers: { dlqId: "d-1", eventId: "evt_1" },
      partition: 0,
      offset: "1-0",
      deliveryCount: 1,
    });
    const listing = await (await app.request("/api/ops/dlq")).json();
    assert.equal(listing.pending, 1);
    assert.equal(listing.messages[0].errorMessage, "PG said no");
    const received: string[] = [];
    let resolveReceived: () => void;
    const arrived = new Promise<void>((resolve) => resolveReceived = resolve);
    const consumer = await h.bus.consume({
      group: "test",
      topics: [topics.captured],
      handler: (m) => {
        received.push(m.value);
        resolveReceived();
        return Promise.resolve();
      },
    });
    try {
      const replay = await app.request("/api/ops/dlq/replay", {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ ids: [listing.messages[0].id] }),
      });
      assert.deepEqual((await replay.json()).replayed, [{
        id: listing.messages[0].id,
        originalTopic: topics.captured,
      }]);
      await arrived;
      assert.deepEqual(received, ['{"n":1}']);
      const rows = await fixtureRows(h.db.pool, "SELECT replayed_by FROM dlq_replay");
      assert.deepEqual(rows.map((row) => row.replayed_by), ["ops-api"]);
      assert.equal((await (await app.request("/api/ops/dlq")).json()).pending, 0);
    } finally {
      await consumer.stop();
    }
  } finally {
    await h.close();
  }
});
