import assert from "node:assert/strict";
import {
  type BusMessage,
  createBus,
  type DeliveredMessage,
  MalformedMessageError,
  silentBusLogger,
} from "@pay/lib/bus";
import { readBusConfig } from "@pay/lib/config";
import { type MariaDb, readLedgerEntries, verifyLedger } from "@pay/lib/db";
import {
  type EventEnvelope,
  eventTypeOf,
  ledgerTopics,
  type PaymentTopic,
  topics,
} from "@pay/lib/domain";
import { createRegistry } from "@pay/lib/metrics";
import { freshTestDatabase, withOutage } from "@pay/lib/testing";
import { ledgerHandler, startLedgerConsumer } from "./consumer.ts";
import { until } from "@pay/lib/bus/testing";

interface Scenario {
  readonly events: BusMessage[];
  /** Payment rows as the settlement worker leaves them: [id, merchant, amount, captured, refunded]. */
  readonly payments: Array<[string, string, number, number, number]>;
}

/**
 * 24 payments over 3 merchants: every one authorized, capture-requested and
 * captured; a third also partially refunded twice; a few others fully refunded.
 */
function scenario(): Scenario {
  const events: BusMessage[] = [];
  const payments: Scenario["payments"] = [];
  let n = 0;
  const event = (topic: PaymentTopic, paymentId: string, merchantId: string, amount: number) => {
    const envelope: EventEnvelope = {
      eventId: `evt_${String(++n).padStart(5, "0")}`,
      type: eventTypeOf(topic),
      paymentId,
      merchantId,
      amount,
      currency: "USD",
      occurredAt: new Date(1_700_000_000_000 + n).toISOString(),
      data: {},
    } as EventEnvelope;
    events.push({
      topic,
      key: paymentId,
      value: JSON.stringify(envelope),
      headers: { eventId: envelope.eventId },
    });
  };
  for (let i = 0; i < 24; i++) {
    const paymentId = `pay_${i}`;
    const merchantId = `M${i % 3}`;
    const amount = 10_000 + i * 25;
    const captured = amount - (i % 4) * 100;
    event(topics.authorized, paymentId, merchantId, amount);
    event(topics.captureRequested, paymentId, merchantId, captured);
    event(topics.captured, paymentId, merchantId, captured);
    let refunded = 0;
    if (i % 3 === 0) {
      for (const part of [1_000, 2_500]) {
        event(topics.refundRequested, paymentId, merchantId, part);
        event(topics.refunded, paymentId, merchantId, part);
        refunded += part;
      }
    } else if (i % 8 === 1) {
      event(topics.refunded, paymentId, merchantId, captured);
      refunded = captured;
    }
    payments.push([paymentId, merchantId, amount, captured, refunded]);
  }
  return { events, payments };
}

function delivered(message: BusMessage, offset: number): DeliveredMessage {
  return { ...message, partition: 0, offset: String(offset), deliveryCount: 1 };
}

async function insertPayments(pool: MariaDb, payments: Scenario["payments"]): Promise<void> {
  const now = new Date();
  await pool.driver.query(
    `INSERT INTO payment (id, merchant_id, idempotency_key, status, amount, currency,
       captured_amount, refunded_amount, created_at, updated_at) VALUES ?`,
    [payments.map(([id, merchant, amount, captured, refunded]) => [
      id,
      merchant,
      id,
      "CAPTURED",
      amount,
      "USD",
      captured,
      refunded,
      now,
      now,
    ])],
  );
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function snapshot(pool: MariaDb) {
  const entries = await readLedgerEntries(pool);
  return entries.map(({ createdAt: _, ...entry }) => entry).sort((a, b) =>
    a.sourceEventId.localeCompare(b.sourceEventId)
  );
}

Deno.test("every event delivered twice and out of order yields the same ledger", async () => {
  const ordered = await freshTestDatabase("wk_ledger_ordered");
  const messy = await freshTestDatabase("wk_ledger_messy");
  try {
    const { events, payments } = scenario();
    await insertPayments(ordered.pool, payments);
    await insertPayments(messy.pool, payments);
    const once = ledgerHandler(ordered.pool);
    for (const [i, m] of events.entries()) await once(delivered(m, i));
    const twice = ledgerHandler(messy.pool);
    const deliveries = shuffled([...events, ...events].map((m, i) => delivered(m, i)), 42);
    // Eight at a time, so duplicates of one event also race each other.
    for (let i = 0; i < deliveries.length; i += 8) {
      await Promise.all(deliveries.slice(i, i + 8).map((m) => twice(m)));
    }
    const expected = await snapshot(ordered.pool);
    assert.deepEqual(await snapshot(messy.pool), expected);
    assert.equal(
      expected.length,
      events.filter((m) => m.topic === topics.captured || m.topic === topics.refunded).length,
    );
    for (const db of [ordered, messy]) {
      const verification = await verifyLedger(db.pool);
      assert.deepEqual(verification.unbalancedEntries, []);
      assert.deepEqual(verification.payableMismatches, []);
      assert.ok(verification.ok);
      const [[inbox]] = await db.pool.driver.query(
        "SELECT COUNT(*) AS n FROM consumer_inbox WHERE consumer_group = 'ledger'",
      ) as unknown as [[{ n: number }]];
      assert.equal(Number(inbox.n), events.length, "every event marked in the inbox once");
    }
  } finally {
    await ordered.close();
    await messy.close();
  }
});

Deno.test("ledger verification reports unbalanced entries and payable mismatches", async () => {
  const db = await freshTestDatabase("wk_ledger_verify");
  try {
    const { events, payments } = scenario();
    await insertPayments(db.pool, payments);
    const handle = ledgerHandler(db.pool);
    for (const [i, m] of events.entries()) await handle(delivered(m, i));
    assert.ok((await verifyLedger(db.pool)).ok);
    await db.pool.driver.query(
      "UPDATE payment SET refunded_amount = refunded_amount + 1 WHERE id = 'pay_0'",
    );
    await db.pool.driver.query(
      "UPDATE ledger_line SET amount = amount + 7 WHERE direction = 'DEBIT' ORDER BY id LIMIT 1",
    );
    const broken = await verifyLedger(db.pool);
    assert.equal(broken.ok, false);
    assert.equal(broken.unbalancedEntries.length, 1);
    assert.equal(broken.unbalancedEntries[0]!.net, 7);
    assert.deepEqual(
      broken.payableMismatches.map((m) => [m.merchantId, m.expectedPayable - m.ledgerPayable]),
      [["M0", -1]],
    );
  } finally {
    await db.close();
  }
});

Deno.test("a malformed event is refused as malformed and posts nothing", async () => {
  const db = await freshTestDatabase("wk_ledger_malformed");
  try {
    const handle = ledgerHandler(db.pool);
    const bad = { topic: topics.captured, key: "pay_1", value: '{"eventId":"e1"}', headers: {} };
    await assert.rejects(handle(delivered(bad, 1)), MalformedMessageError);
    const [[inbox]] = await db.pool.driver.query(
      "SELECT COUNT(*) AS n FROM consumer_inbox",
    ) as unknown as [
      [{ n: number }],
    ];
    assert.equal(Number(inbox.n), 0);
  } finally {
    await db.close();
  }
});

Deno.test("the ledger consumer posts what the bus delivers, duplicates included", async () => {
  const db = await freshTestDatabase("wk_ledger_consumer");
  const bus = await createBus(readBusConfig({ BUS: "memory" }), { logger: silentBusLogger });
  try {
    const { events, payments } = scenario();
    await insertPayments(db.pool, payments);
    const consumer = await startLedgerConsumer({ pool: db.pool, bus, concurrency: 8 });
    await bus.publish(events);
    await bus.publish(events.slice(0, 20));
    await until(async () => {
      const [[inbox]] = await db.pool.driver.query(
        "SELECT COUNT(*) AS n FROM consumer_inbox",
      ) as unknown as [
        [{ n: number }],
      ];
      return Number(inbox.n) ===
        events.filter((e) => ledgerTopics.includes(e.topic as PaymentTopic)).length;
    }, "every money-moving event in the inbox");
    await consumer.stop();
    assert.ok((await verifyLedger(db.pool)).ok);
  } finally {
    await bus.close();
    await db.close();
  }
});

Deno.test("a MariaDB outage dead-letters nothing: the ledger posts every event once the database is back", async () => {
  const db = await freshTestDatabase("wk_ledger_outage");
  const outage = withOutage(db.pool, db.config);
  const registry = createRegistry("test");
  const config = {
    ...readBusConfig({ BUS: "memory" }),
    retryBackoffBaseMs: 1,
    transientBackoffCapMs: 20,
  };
  const bus = await createBus(config, { registry, logger: silentBusLogger });
  try {
    const { events, payments } = scenario();
    await insertPayments(db.pool, payments);
    const deadLetters: string[] = [];
    const dlqReader = await bus.consume({
      group: "dlq-reader",
      topics: [topics.dlq],
      handler: (m) => Promise.resolve(void deadLetters.push(m.value)),
    });
    outage.setDown(true);
    const consumer = await startLedgerConsumer({
      pool: outage.pool,
      bus,
      concurrency: 8,
      registry,
    });
    await bus.publish(events);
    const transientFailures = async () =>
      (await registry.getSingleMetric("bus_handler_transient_failures_total")!.get()).values
        .reduce((sum, v) => sum + v.value, 0);
    // Well past BUS_RETRY_ATTEMPTS_MAX: before, every message in flight was dead-lettered by now.
    await until(
      async () => (await transientFailures()) >= 20,
      "the ledger failing without MariaDB",
    );
    outage.setDown(false);
    const expected = events.filter((e) => ledgerTopics.includes(e.topic as PaymentTopic)).length;
    await until(async () => {
      const [[inbox]] = await db.pool.driver.query(
        "SELECT COUNT(*) AS n FROM consumer_inbox",
      ) as unknown as [
        [{ n: number }],
      ];
      return Number(inbox.n) === expected;
    }, "every money-moving event posted after the outage");
    await consumer.stop();
    await dlqReader.stop();
    assert.deepEqual(deadLetters, []);
    assert.ok((await verifyLedger(db.pool)).ok);
  } finally {
    await bus.close();
    await outage.close();
    await db.close();
  }
});
