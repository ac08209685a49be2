/**
 * The workers on Kafka, end to end: gateway → ingest → outbox → relay → Kafka →
 * settlement and ledger consumers → pgsim, all real processes. Runs only when
 * KAFKA_BROKERS names a broker: Kafka is an optional adapter, not a required
 * service, so its absence is no failure even with REQUIRE_SERVICES set. Topics
 * and groups of the run live under a prefix of their own and are deleted after.
 * Kafka is the scale-out profile's bus, beside MariaDB and Redis.
 */
// test-needs: mariadb, redis
import assert from "node:assert/strict";
import { deleteKafkaNames } from "@pay/lib/bus/kafka_testing";
import { countRows, verifyLedger } from "@pay/lib/db";
import { fixtureRows } from "@pay/lib/testing";
import { type Platform, startPlatform, until } from "./platform.ts";

const brokers = Deno.env.get("KAFKA_BROKERS") ?? "";
const prefix = `e2e.${Date.now().toString(36)}${crypto.randomUUID().slice(0, 4)}.`;

/** Payments of the run: every fourth cancelled, every fourth refunded in half after capture. */
const paymentCount = 24;

async function post(platform: Platform, path: string, body: unknown, key?: string) {
  const answer = await platform.api("POST", path, body, key);
  assert.ok(answer.status < 300, `${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function statusOf(platform: Platform, paymentId: string): Promise<string> {
  return (await platform.api("GET", `/api/payments/${paymentId}`)).body.status;
}

/** Authorize, then capture (and maybe refund half) or cancel; returns the final status expected. */
async function flow(platform: Platform, i: number): Promise<[string, string]> {
  const amount = 2_000 + i * 100;
  const { paymentId } = await post(platform, "/api/payments/authorize", {
    amount,
    currency: "KRW",
  }, `kafka-${i}`);
  if (i % 4 === 3) {
    await post(platform, `/api/payments/cancel/${paymentId}`, {});
    return [paymentId, "CANCELLED"];
  }
  await post(platform, `/api/payments/capture/${paymentId}`, {});
  if (i % 4 !== 2) return [paymentId, "CAPTURED"];
  await until(async () => (await statusOf(platform, paymentId)) === "CAPTURED", paymentId);
  await post(platform, `/api/payments/refund/${paymentId}`, { amount: amount / 2 });
  return [paymentId, "PARTIALLY_REFUNDED"];
}

Deno.test({
  name:
    "workers on Kafka settle every payment, balance the ledger and dead-letter nothing (ignored unless KAFKA_BROKERS is set)",
  ignore: brokers === "",
  async fn() {
    const platform = await startPlatform("e2e_kafka", {
      profile: "scale-out",
      env: {
        BUS: "kafka",
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_NUM_PARTITIONS: "3",
        KAFKAJS_NO_PARTITIONER_WARNING: "1",
      },
    });
    const { pool } = platform.db;
    try {
      const expected = await Promise.all(
        Array.from({ length: paymentCount }, (_, i) => flow(platform, i)),
      );
      for (const [paymentId, status] of expected) {
        await until(async () => (await statusOf(platform, paymentId)) === status, paymentId);
      }
      const settled = (await countRows(pool, "settlement_request", { status: "SUCCESS" })) +
        (await countRows(pool, "refund_request", { status: "SUCCESS" }));
      assert.equal(settled, paymentCount / 4 * 3 + paymentCount / 4);
      await until(
        async () => (await countRows(pool, "ledger_entry")) === settled,
        "the ledger posted every capture and refund from Kafka",
      );
      const cancelled = paymentCount / 4;
      await until(
        async () =>
          (await countRows(pool, "void_request", { status: "SUCCESS" })) ===
            cancelled,
        "every cancelled authorization voided",
      );
      const ledger = await verifyLedger(pool);
      assert.ok(ledger.ok, JSON.stringify(ledger));
      assert.equal(await countRows(pool, "dlq_message"), 0);
      const [unpublished] = await fixtureRows(
        pool,
        "SELECT COUNT(*) AS n FROM outbox_event WHERE status <> 'PUBLISHED'",
      );
      assert.equal(Number(unpublished!.n), 0, "outbox rows left unpublished");
      const metrics = await (await fetch(`${platform.workers.url}/metrics`)).text();
      assert.match(metrics, /circuit_breaker_state\{name="consumer:ledger"[^}]*\} 0/);
    } finally {
      await platform.stop();
      await deleteKafkaNames(brokers, prefix);
    }
  },
});
