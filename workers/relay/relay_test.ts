import assert from "node:assert/strict";
import type { BusMessage } from "@pay/lib/bus";
import { type OutboxRelayConfig, readWorkersConfig } from "@pay/lib/config";
import { type Db, requeueDeadOutbox } from "@pay/lib/db";
import { createRegistry } from "@pay/lib/metrics";
import { fixtureRows, freshTestDatabase } from "@pay/lib/testing";
import { silentBusLogger } from "@pay/lib/bus";
import { insertOutboxRows, seedCapturedPayments } from "./seed.ts";
import { startOutboxRelay } from "./relay.ts";
import { until } from "@pay/lib/bus/testing";

function relayConfig(overrides: Partial<OutboxRelayConfig>): OutboxRelayConfig {
  return { ...readWorkersConfig({}).relay, pollIdleMs: 5, ...overrides };
}

async function countByStatus(pool: Db): Promise<Record<string, number>> {
  const rows = await fixtureRows(
    pool,
    "SELECT status, COUNT(*) AS n FROM outbox_event GROUP BY status",
  );
  return Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]));
}

/** A bus that records what it accepted and can be switched off. */
class RecordingBus {
  readonly published: BusMessage[] = [];
  down = false;

  publish(messages: readonly BusMessage[]): Promise<void> {
    if (this.down) return Promise.reject(new Error("Bus unreachable"));
    this.published.push(...messages);
    return Promise.resolve();
  }
}

Deno.test("two relays publish 10,000 events exactly once between them", async () => {
  const db = await freshTestDatabase("wk_relay_once");
  try {
    const seeded = await seedCapturedPayments(db.pool, 3_334);
    const total = seeded.length * 3;
    const buses = [new RecordingBus(), new RecordingBus()];
    const config = relayConfig({ batchSize: 100, lanes: 2 });
    const relays = buses.map((bus) =>
      startOutboxRelay({ pool: db.pool, bus, config, log: silentBusLogger })
    );
    const publishedCount = () => buses.reduce((n, b) => n + b.published.length, 0);
    await until(() => publishedCount() >= total, `${total} events published`);
    await until(async () => (await countByStatus(db.pool)).PUBLISHED === total, "all rows marked");
    for (const relay of relays) await relay.stop();
    const seen = new Map<string, number>();
    for (const m of buses.flatMap((b) => b.published)) {
      seen.set(m.headers.eventId!, (seen.get(m.headers.eventId!) ?? 0) + 1);
    }
    assert.equal(total, 10_002);
    assert.equal(seen.size, total, "every event published");
    assert.deepEqual([...seen.values()].filter((n) => n !== 1), [], "an event was published twice");
    assert.ok(buses.every((b) => b.published.length > 0), "one relay did all the work");
    const [unmarked] = await fixtureRows(
      db.pool,
      "SELECT COUNT(*) AS n FROM outbox_event WHERE published_at IS NULL",
    );
    assert.equal(Number(unmarked!.n), 0);
  } finally {
    await db.close();
  }
});

Deno.test("while the bus is down the breaker opens, rows wait, and all go out after recovery", async () => {
  const db = await freshTestDatabase("wk_relay_breaker");
  const registry = createRegistry("test");
  try {
    const seeded = await seedCapturedPayments(db.pool, 100);
    const bus = new RecordingBus();
    bus.down = true;
    const relay = startOutboxRelay({
      pool: db.pool,
      bus,
      config: relayConfig({ batchSize: 50, lanes: 1, backoffBaseMs: 5, backoffCapMs: 20 }),
      registry,
      log: silentBusLogger,
      breaker: { volumeThreshold: 2, resetTimeoutMs: 200 },
    });
    const opened = new Promise<void>((resolve) => relay.breaker.once("open", () => resolve()));
    await opened;
    const whileDown = await countByStatus(db.pool);
    assert.deepEqual(whileDown, { NEW: 300 }, "rows must wait as NEW, none published or dead");
    bus.down = false;
    await until(async () => (await countByStatus(db.pool)).PUBLISHED === 300, "all published");
    await relay.stop();
    const ids = new Set(bus.published.map((m) => m.headers.eventId));
    for (const event of seeded.flatMap((p) => p.events)) {
      assert.ok(ids.has(event.envelope.eventId), event.envelope.eventId);
    }
    const metrics = await registry.metrics();
    assert.match(metrics, /outbox_published_total\{result="failed",service="test"\} [1-9]/);
    assert.match(metrics, /outbox_published_total\{result="published",service="test"\} 300/);
    assert.match(metrics, /outbox_backlog_events\{service="test"\} 0/);
  } finally {
    await db.close();
  }
});

Deno.test("a row that keeps failing becomes DEAD after the max attempts and can be requeued", async () => {
  const db = await freshTestDatabase("wk_relay_dead");
  try {
    const [payment] = await seedCapturedPayments(db.pool, 0);
    assert.equal(payment, undefined);
    await insertOutboxRows(db.pool, [{
      topic: "payment.captured",
      envelope: {
        eventId: "evt_dead_1",
        paymentId: "pay_dead_1",
      } as never,
    }]);
    const bus = new RecordingBus();
    bus.down = true;
    const relay = startOutboxRelay({
      pool: db.pool,
      bus,
      config: relayConfig({
        batchSize: 10,
        lanes: 1,
        attemptsMax: 3,
        backoffBaseMs: 1,
        backoffCapMs: 2,
      }),
      log: silentBusLogger,
      breaker: { volumeThreshold: 1_000_000 },
    });
    await until(async () => (await countByStatus(db.pool)).DEAD === 1, "row DEAD");
    const [row] = await fixtureRows(
      db.pool,
      "SELECT attempts, last_error FROM outbox_event WHERE event_id = 'evt_dead_1'",
    );
    assert.equal(Number(row!.attempts), 3);
    assert.match(String(row!.last_error), /Bus unreachable/);
    bus.down = false;
    assert.equal(await requeueDeadOutbox(db.pool), 1);
    await until(
      async () => (await countByStatus(db.pool)).PUBLISHED === 1,
      "requeued row published",
    );
    await relay.stop();
    assert.deepEqual(bus.published.map((m) => [m.key, m.headers.eventId]), [[
      "pay_dead_1",
      "evt_dead_1",
    ]]);
  } finally {
    await db.close();
  }
});
