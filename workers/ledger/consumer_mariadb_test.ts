/**
 * The ledger consumer through a MariaDB outage: the pool answers with
 * mysql2's real errors for an unreachable server (withOutage), so MariaDB only.
 */
// test-needs: mariadb
import assert from "node:assert/strict";
import { createBus, silentBusLogger } from "@pay/lib/bus";
import { until } from "@pay/lib/bus/testing";
import { readBusConfig } from "@pay/lib/config";
import { countHandledEvents, verifyLedger } from "@pay/lib/db";
import { ledgerTopics, type PaymentTopic, topics } from "@pay/lib/domain";
import { createRegistry } from "@pay/lib/metrics";
import { freshMariaDatabase, withOutage } from "@pay/lib/testing";
import { startLedgerConsumer } from "./consumer.ts";
import { insertPayments, scenario } from "./testing.ts";

Deno.test("a MariaDB outage dead-letters nothing: the ledger posts every event once the database is back", async () => {
  const db = await freshMariaDatabase("wk_ledger_outage");
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
    await until(
      async () => await countHandledEvents(db.pool, "ledger") === expected,
      "every money-moving event posted after the outage",
    );
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
