/**
 * The bus behaviour contract, one set of tests per adapter: memory, embedded
 * (a fresh SQLite file per test) and kafka in contract_test.ts, redis in
 * redis_contract_test.ts (it needs a Redis server; `// test-needs: redis`).
 * On Kafka every test gets topic and group names of its own
 * (KAFKA_TOPIC_PREFIX, the dead-letter topic included) and deletes them after.
 */
import assert from "node:assert/strict";
import { type BusConfig, processEnv, readBusConfig } from "../config/mod.ts";
import type { DlqRecord } from "../domain/events.ts";
import { type BusMessage, type DeliveredMessage, parseDlqRecord, type PipelineBus } from "./mod.ts";
import type { LagSource } from "./metrics.ts";
import { until, within } from "./testing.ts";

/** Fast reclaim, retries and probes so redelivery and outage tests finish quickly. */
const testOverrides: Partial<BusConfig> = {
  claimIdleMs: 300,
  retryBackoffBaseMs: 1,
  retryBackoffCapMs: 5,
  transientBackoffCapMs: 20,
  concurrency: 4,
};

export interface World {
  /** A bus as one process would open it; every bus of a world shares one server. */
  open(overrides?: Partial<BusConfig>): Promise<PipelineBus>;
  close(): Promise<void>;
}

export interface BusAdapter {
  readonly name: string;
  readonly ignore: boolean;
  /** Whether a message reclaimed by another consumer carries its true delivery count. */
  readonly countsRedeliveries: boolean;
  world(testName: string): Promise<World>;
}

const env = processEnv();
export const kafkaBrokers = env.KAFKA_BROKERS ?? "";
/** Keeps this run's Kafka names and DLQ reader groups apart from other runs'. */
export const runId = `${Date.now().toString(36)}${crypto.randomUUID().slice(0, 4)}`;

/** The config of a `kind` bus with the contract's fast timings. */
export function configOf(
  kind: BusConfig["kind"],
  overrides: Partial<BusConfig> = {},
  topicPrefix = "",
): BusConfig {
  const base = readBusConfig({
    ...env,
    // The embedded profile refuses BUS=redis; every other bus runs under either.
    PROFILE: kind === "redis" ? "scale-out" : "embedded",
    BUS: kind,
    KAFKA_BROKERS: kafkaBrokers || "unused:9092",
  });
  return { ...base, ...testOverrides, ...overrides, kafka: { ...base.kafka, topicPrefix } };
}

function message(topic: string, key: string, value: string): BusMessage {
  return { topic, key, value, headers: { eventId: `${key}:${value}` } };
}

/** A test's topic; on Kafka its world's prefix makes it unique per run. */
function topicOf(test: string): string {
  return `contract.${test}`;
}

/** What mysql2 throws while MariaDB is down: a transient failure. */
function databaseDown(): Error {
  return Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3306"), { code: "ECONNREFUSED" });
}

/** Collects DLQ records of `topic` through a group of its own. */
async function readDlq(bus: PipelineBus, topic: string) {
  const records: DlqRecord[] = [];
  const consumer = await bus.consume({
    group: `dlq-reader-${runId}`,
    topics: ["payment.dlq"],
    handler: (m) => {
      const record = parseDlqRecord(m.value);
      if (record?.originalTopic === topic) records.push(record);
      return Promise.resolve();
    },
  });
  return { records, stop: () => consumer.stop() };
}

/** Registers every contract test of the bus for `adapter`. */
export function busContract(adapter: BusAdapter): void {
  const test = (name: string, body: (world: World) => Promise<void>, slug: string) =>
    Deno.test({
      name: `${adapter.name} bus: ${name}`,
      ignore: adapter.ignore,
      async fn() {
        const world = await adapter.world(slug);
        try {
          await body(world);
        } finally {
          await world.close();
        }
      },
    });

  test("handler calls for one key run one at a time, in publish order", async (world) => {
    const bus = await world.open();
    const topic = topicOf("order");
    const keys = ["pay_a", "pay_b", "pay_c", "pay_d", "pay_e"];
    const perKey = 20;
    const batch: BusMessage[] = [];
    for (let i = 0; i < perKey; i++) {
      for (const key of keys) batch.push(message(topic, key, String(i)));
    }
    await bus.publish(batch);
    const seen = new Map<string, number[]>();
    const active = new Set<string>();
    let overlap = "";
    let parallelMax = 0;
    const consumer = await bus.consume({
      group: "orderly",
      topics: [topic],
      concurrency: 4,
      handler: async (m) => {
        if (active.has(m.key)) overlap = m.key;
        active.add(m.key);
        parallelMax = Math.max(parallelMax, active.size);
        await new Promise((resolve) => setTimeout(resolve, Number(m.value) % 3));
        seen.set(m.key, [...(seen.get(m.key) ?? []), Number(m.value)]);
        active.delete(m.key);
      },
    });
    await until(() => [...seen.values()].flat().length === batch.length, "every message handled");
    await consumer.stop();
    await bus.close();
    assert.equal(overlap, "", `two handlers of ${overlap} overlapped`);
    assert.ok(parallelMax > 1, "different keys never ran in parallel");
    for (const key of keys) {
      assert.deepEqual(seen.get(key), Array.from({ length: perKey }, (_, i) => i), key);
    }
  }, "order");

  test("a message whose consumer died mid-handler is redelivered to another", async (world) => {
    const busA = await world.open();
    const busB = await world.open();
    const topic = topicOf("redelivery");
    await busA.publish([message(topic, "pay_1", "hello")]);
    let releaseA = () => {};
    let startedA = false;
    const consumerA = await busA.consume({
      group: "crashy",
      topics: [topic],
      handler: () => {
        startedA = true;
        return new Promise<void>((resolve) => releaseA = resolve);
      },
    });
    await until(() => startedA, "consumer A started the handler");
    await consumerA.abandon();
    const redelivered: DeliveredMessage[] = [];
    const consumerB = await busB.consume({
      group: "crashy",
      topics: [topic],
      handler: (m) => {
        redelivered.push(m);
        return Promise.resolve();
      },
    });
    try {
      await until(() => redelivered.length === 1, "consumer B got the message");
      assert.equal(redelivered[0]!.value, "hello");
      assert.equal(redelivered[0]!.key, "pay_1");
      if (adapter.countsRedeliveries) assert.equal(redelivered[0]!.deliveryCount, 2);
    } finally {
      releaseA();
      await consumerB.stop();
      await busA.close();
      await busB.close();
    }
  }, "redelivery");

  test(
    "after N failed attempts a permanently failing message goes to payment.dlq in the seed format",
    async (world) => {
      const bus = await world.open();
      const topic = topicOf("dlq");
      await bus.publish([message(topic, "pay_bad", "poison"), message(topic, "pay_bad", "after")]);
      const dlq = await readDlq(bus, topic);
      const attempts: DeliveredMessage[] = [];
      let afterHandled = false;
      const consumer = await bus.consume({
        group: "failing",
        topics: [topic],
        retryAttemptsMax: 3,
        handler: (m) => {
          if (m.value === "after") {
            afterHandled = true;
            return Promise.resolve();
          }
          attempts.push(m);
          return Promise.reject(new TypeError("boom"));
        },
      });
      await until(() => afterHandled && dlq.records.length === 1, "DLQ record and next message");
      await consumer.stop();
      const lag = await (consumer as unknown as LagSource).lag();
      await dlq.stop();
      await bus.close();
      assert.equal(attempts.length, 3, "handler attempts");
      assert.deepEqual(
        lag,
        [{ topic, messages: 0 }],
        "the dead-lettered original was not acknowledged",
      );
      const record = dlq.records[0]!;
      assert.deepEqual(Object.keys(record).sort(), [
        "errorMessage",
        "errorType",
        "offset",
        "originalTopic",
        "partition",
        "payload",
        "timestamp",
      ]);
      assert.equal(record.originalTopic, topic);
      assert.equal(record.partition, attempts[0]!.partition);
      assert.equal(record.offset, attempts[0]!.offset);
      assert.equal(record.payload, "poison");
      assert.equal(record.errorType, "TypeError");
      assert.equal(record.errorMessage, "boom");
      assert.ok(!Number.isNaN(Date.parse(record.timestamp)), record.timestamp);
    },
    "dlq",
  );

  test(
    "a malformed payload goes to the DLQ at once and the consumer keeps going",
    async (world) => {
      const bus = await world.open();
      const topic = topicOf("malformed");
      await bus.publish([
        message(topic, "pay_x", "{not json"),
        message(topic, "pay_y", '{"ok":1}'),
      ]);
      const dlq = await readDlq(bus, topic);
      let calls = 0;
      const parsed: unknown[] = [];
      const consumer = await bus.consume({
        group: "parsing",
        topics: [topic],
        retryAttemptsMax: 5,
        handler: (m) => {
          calls++;
          parsed.push(JSON.parse(m.value));
          return Promise.resolve();
        },
      });
      await until(() => parsed.length === 1 && dlq.records.length === 1, "good message and DLQ");
      await consumer.stop();
      await dlq.stop();
      await bus.close();
      assert.equal(calls, 2, "a malformed message is not retried");
      assert.deepEqual(parsed, [{ ok: 1 }]);
      assert.equal(dlq.records[0]!.errorType, "SyntaxError");
      assert.equal(dlq.records[0]!.payload, "{not json");
    },
    "malformed",
  );

  test("stop drains in-flight handlers and a successor loses nothing", async (world) => {
    // A long claim idle: only a clean hand-over (drain + ack) lets the successor finish.
    const bus = await world.open({ claimIdleMs: 600_000 });
    const topic = topicOf("shutdown");
    const total = 200;
    const batch = Array.from({ length: total }, (_, i) => message(topic, `pay_${i % 20}`, `${i}`));
    await bus.publish(batch);
    const byFirst = new Set<string>();
    const bySecond = new Set<string>();
    let firstStopped = false;
    let callsAfterStop = 0;
    let inProgress = 0;
    const handlerInto = (seen: Set<string>, isFirst: boolean) => async (m: DeliveredMessage) => {
      if (isFirst && firstStopped) callsAfterStop++;
      inProgress++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.add(m.value);
      inProgress--;
    };
    const first = await bus.consume({
      group: "draining",
      topics: [topic],
      handler: handlerInto(byFirst, true),
    });
    await until(() => byFirst.size >= 50, "first consumer handled some");
    await first.stop();
    firstStopped = true;
    assert.equal(inProgress, 0, "stop returned with handlers still running");
    assert.ok(byFirst.size < total, "first consumer finished everything before stop");
    const second = await bus.consume({
      group: "draining",
      topics: [topic],
      handler: handlerInto(bySecond, false),
    });
    await until(() => byFirst.size + bySecond.size >= total, "every message handled");
    await second.stop();
    const lag = await (second as unknown as LagSource).lag();
    await bus.close();
    assert.equal(callsAfterStop, 0, "the first consumer handled messages after stop");
    assert.deepEqual([...byFirst].filter((v) => bySecond.has(v)), [], "handled twice");
    assert.equal(new Set([...byFirst, ...bySecond]).size, total);
    assert.deepEqual(lag, [{ topic, messages: 0 }], "unacknowledged messages left");
  }, "shutdown");

  test("every consumer group receives every message", async (world) => {
    const bus = await world.open();
    const topic = topicOf("groups");
    await bus.publish([message(topic, "k1", "a"), message(topic, "k2", "b")]);
    const got = new Map<string, string[]>([["g1", []], ["g2", []]]);
    const consumers = await Promise.all([...got.keys()].map((group) =>
      bus.consume({
        group,
        topics: [topic],
        handler: (m) => {
          got.get(group)!.push(m.value);
          return Promise.resolve();
        },
      })
    ));
    await until(() => [...got.values()].every((v) => v.length === 2), "both groups got both");
    for (const consumer of consumers) await consumer.stop();
    await bus.close();
    for (const values of got.values()) assert.deepEqual(values.sort(), ["a", "b"]);
  }, "groups");

  test(
    "a handler failing transiently for longer than the retry budget is retried until it succeeds and never reaches the DLQ",
    async (world) => {
      const busA = await world.open();
      const busB = await world.open();
      const topic = topicOf("outage");
      const dlq = await readDlq(busA, topic);
      // Down for longer than the retry budget and than BUS_CLAIM_IDLE: a consumer that
      // stopped touching its claim would lose the message to the other one.
      const outageMs = testOverrides.claimIdleMs! * 3;
      let firstCallMs = 0;
      const calls: Array<{ consumer: string; deliveryCount: number }> = [];
      let handled = false;
      let poisonAttempts = 0;
      const handlerOf = (consumer: string) => (m: DeliveredMessage) => {
        if (m.value === "poison") {
          poisonAttempts++;
          return Promise.reject(new TypeError("bad data"));
        }
        calls.push({ consumer, deliveryCount: m.deliveryCount });
        firstCallMs ||= Date.now();
        if (Date.now() - firstCallMs < outageMs || calls.length <= 3) {
          return Promise.reject(databaseDown());
        }
        handled = true;
        return Promise.resolve();
      };
      const consumers = [
        await busA.consume({ group: "outage", topics: [topic], handler: handlerOf("A") }),
        await busB.consume({ group: "outage", topics: [topic], handler: handlerOf("B") }),
      ];
      await busA.publish([message(topic, "pay_down", "needs the database")]);
      await until(() => handled, "the message handled once the database is back");
      // A fence: a permanently failing message after it proves the DLQ reader is live.
      await busA.publish([message(topic, "pay_poison", "poison")]);
      await until(() => dlq.records.length >= 1, "the poison message dead-lettered");
      for (const consumer of consumers) await consumer.stop();
      const lag = await (consumers[0] as unknown as LagSource).lag();
      await dlq.stop();
      await busA.close();
      await busB.close();
      assert.deepEqual(dlq.records.map((r) => r.payload), ["poison"], "the outage reached the DLQ");
      assert.equal(poisonAttempts, 3, "permanent failures still get N attempts");
      assert.ok(calls.length > 3, `only ${calls.length} attempts`);
      assert.equal(new Set(calls.map((c) => c.consumer)).size, 1, "the claim was stolen");
      assert.deepEqual(new Set(calls.map((c) => c.deliveryCount)), new Set([1]));
      assert.deepEqual(lag, [{ topic, messages: 0 }]);
    },
    "outage",
  );

  test(
    "while one message fails transiently the consumer starts no new handler calls (gate open)",
    async (world) => {
      const bus = await world.open();
      const topic = topicOf("gate");
      let down = true;
      let probes = 0;
      let active = 0;
      let overlapDuringOutage = false;
      const started: string[] = [];
      const consumer = await bus.consume({
        group: "gated",
        topics: [topic],
        concurrency: 4,
        handler: async (m) => {
          active++;
          if (down && active > 1) overlapDuringOutage = true;
          try {
            if (m.value === "first") {
              probes++;
              if (down) throw databaseDown();
            } else {
              started.push(m.value);
            }
            await new Promise((resolve) => setTimeout(resolve, 1));
          } finally {
            active--;
          }
        },
      });
      await bus.publish([message(topic, "pay_first", "first")]);
      await until(() => probes >= 2, "the first message failed and probed again");
      await bus.publish(Array.from({ length: 6 }, (_, i) => message(topic, `pay_${i}`, `${i}`)));
      const probesAtPublish = probes;
      await until(() => probes >= probesAtPublish + 3, "three more probes during the outage");
      const startedDuringOutage = [...started];
      down = false;
      await until(() => started.length === 6, "every message handled after recovery");
      await consumer.stop();
      await bus.close();
      assert.deepEqual(startedDuringOutage, [], "new work started while the gate was open");
      assert.equal(overlapDuringOutage, false, "two handler calls ran at once during the outage");
    },
    "gate",
  );

  test(
    "stop returns promptly while a message is in transient retry and the message is redelivered to a successor",
    async (world) => {
      // Only a release lets the successor have it now: reclaiming would take 10 minutes.
      const busA = await world.open({ claimIdleMs: 600_000 });
      const busB = await world.open({ claimIdleMs: 600_000 });
      const topic = topicOf("release");
      await busA.publish([message(topic, "pay_r", "held")]);
      let failedCalls = 0;
      const first = await busA.consume({
        group: "releasing",
        topics: [topic],
        handler: () => {
          failedCalls++;
          return Promise.reject(databaseDown());
        },
      });
      await until(() => failedCalls >= 2, "the handler failed transiently twice");
      await within(first.stop(), "stop of a consumer whose message fails transiently");
      const callsAtStop = failedCalls;
      const redelivered: DeliveredMessage[] = [];
      const successor = await busB.consume({
        group: "releasing",
        topics: [topic],
        handler: (m) => {
          redelivered.push(m);
          return Promise.resolve();
        },
      });
      await until(() => redelivered.length === 1, "the successor got the message");
      await successor.stop();
      const lag = await (successor as unknown as LagSource).lag();
      await busA.close();
      await busB.close();
      assert.equal(failedCalls, callsAtStop, "the stopped consumer kept calling its handler");
      assert.equal(redelivered[0]!.value, "held");
      if (adapter.countsRedeliveries) {
        assert.equal(redelivered[0]!.deliveryCount, 1, "a release counted as a delivery");
      }
      assert.deepEqual(lag, [{ topic, messages: 0 }]);
    },
    "release",
  );
}
