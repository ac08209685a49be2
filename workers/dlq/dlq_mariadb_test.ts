/**
 * The DLQ archive through a MariaDB outage: the pool answers with mysql2's
 * real errors for an unreachable server (withOutage), so MariaDB only.
 */
// test-needs: mariadb
import assert from "node:assert/strict";
import { createBus, silentBusLogger } from "@pay/lib/bus";
import { until } from "@pay/lib/bus/testing";
import { listDlqMessages } from "@pay/lib/db";
import { topics } from "@pay/lib/domain";
import { createRegistry } from "@pay/lib/metrics";
import { freshMariaDatabase, withOutage } from "@pay/lib/testing";
import { startDlqArchiver } from "./archive_consumer.ts";
import { memoryConfig } from "./testing.ts";

Deno.test("a dead letter arriving while MariaDB is down is archived once it is back, never lost", async () => {
  const db = await freshMariaDatabase("wk_dlq_outage");
  const outage = withOutage(db.pool, db.config);
  const registry = createRegistry("test");
  // No reclaim within the test: only retrying in place can archive it.
  const config = { ...memoryConfig, transientBackoffCapMs: 20, claimIdleMs: 600_000 };
  const bus = await createBus(config, { registry, logger: silentBusLogger });
  try {
    outage.setDown(true);
    const archiver = await startDlqArchiver({ pool: outage.pool, bus });
    await bus.publish([{
      topic: topics.dlq,
      key: "pay_9",
      value: JSON.stringify({
        originalTopic: topics.captured,
        partition: 0,
        offset: "5-0",
        payload: "{}",
        errorType: "TypeError",
        errorMessage: "boom",
        timestamp: new Date().toISOString(),
      }),
      headers: { eventId: "evt_9", dlqId: "dlq_outage_1", dlqGroup: "ledger" },
    }]);
    const transientFailures = async () =>
      (await registry.getSingleMetric("bus_handler_transient_failures_total")!.get()).values
        .reduce((sum, v) => sum + v.value, 0);
    await until(async () => (await transientFailures()) >= 5, "archiving failing without MariaDB");
    outage.setDown(false);
    const all = { limit: 10, includeReplayed: true };
    await until(async () => (await listDlqMessages(db.pool, all)).length === 1, "archived");
    await archiver.stop();
    const [archived] = await listDlqMessages(db.pool, all);
    assert.equal(archived?.errorMessage, "boom");
    assert.equal(archived?.consumerGroup, "ledger");
  } finally {
    await bus.close();
    await outage.close();
    await db.close();
  }
});
