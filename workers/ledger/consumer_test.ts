import assert from "node:assert/strict";
import { createBus, MalformedMessageError, silentBusLogger } from "@pay/lib/bus";
import { readBusConfig } from "@pay/lib/config";
import { countHandledEvents, type Db, readLedgerEntries, verifyLedger } from "@pay/lib/db";
import { ledgerTopics, type PaymentTopic, topics } from "@pay/lib/domain";
import { fixtureRows, fixtureWrite, freshTestDatabase } from "@pay/lib/testing";
import { ledgerHandler, startLedgerConsumer } from "./consumer.ts";
import { delivered, insertPayments, scenario } from "./testing.ts";
import { until } from "@pay/lib/bus/testing";

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

async function snapshot(pool: Db) {
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
      assert.equal(
        await countHandledEvents(db.pool, "ledger"),
        events.length,
        "every event marked in the inbox once",
      );
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
    await fixtureWrite(
      db.pool,
      "UPDATE payment SET refunded_amount = refunded_amount + 1 WHERE id = 'pay_0'",
    );
    const [firstDebit] = await fixtureRows(
      db.pool,
      "SELECT MIN(id) AS id FROM ledger_line WHERE direction = 'DEBIT'",
    );
    await fixtureWrite(
      db.pool,
      "UPDATE ledger_line SET amount = amount + 7 WHERE id = ?",
      firstDebit!.id,
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
    const [inbox] = await fixtureRows(db.pool, "SELECT COUNT(*) AS n FROM consumer_inbox");
    assert.equal(Number(inbox!.n), 0);
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
    const moneyMoving = events.filter((e) => ledgerTopics.includes(e.topic as PaymentTopic));
    await until(
      async () => await countHandledEvents(db.pool, "ledger") === moneyMoving.length,
      "every money-moving event in the inbox",
    );
    await consumer.stop();
    assert.ok((await verifyLedger(db.pool)).ok);
  } finally {
    await bus.close();
    await db.close();
  }
});
