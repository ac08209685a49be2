/**
 * One behaviour contract, run against every adapter: memory and redis always,
 * kafka when KAFKA_BROKERS names a broker (the only skip in this project).
 */
import assert from "node:assert/strict";
import { type BusConfig, processEnv, readBusConfig } from "../config/mod.ts";
import type { DlqRecord } from "../domain/events.ts";
import { freshTestRedis } from "../testing/mod.ts";
import {
  type BusMessage,
  createBus,
  type DeliveredMessage,
  MemoryBroker,
  parseDlqRecord,
  type PipelineBus,
  silentBusLogger,
} from "./mod.ts";
import type { LagSource } from "./metrics.ts";
import { until } from "./testing.ts";

/** Fast reclaim and retries so redelivery tests finish quickly. */
const testOverrides: Partial<BusConfig> = {
  claimIdleMs: 300,
  retryBackoffBaseMs: 1,
  retryBackoffCapMs: 5,
  concurrency: 4,
};

interface World {
  /** A bus as one process would open it; every bus of a world shares one server. */
  open(overrides?: Partial<BusConfig>): Promise<PipelineBus>;
  close(): Promise<void>;
}

interface Adapter {
  readonly name: string;
  readonly ignore: boolean;
  /** Whether a message reclaimed by another consumer carries its true delivery count. */
  readonly countsRedeliveries: boolean;
  world(testName: string): Promise<World>;
}

const env = processEnv();
const kafkaBrokers = env.KAFKA_BROKERS ?? "";
const runId = `${Date.now().toString(36)}${crypto.randomUUID().slice(0, 4)}`;

function configOf(kind: BusConfig["kind"], overrides: Partial<BusConfig> = {}): BusConfig {
  const base = readBusConfig({ ...env, BUS: kind, KAFKA_BROKERS: kafkaBrokers || "unused:9092" });
  return { ...base, ...testOverrides, ...overrides };
}

const adapters: Adapter[] = [
  {
    name: "memory",
    ignore: false,
    countsRedeliveries: true,
    world() {
      const memoryBroker = new MemoryBroker();
      return Promise.resolve({
        open: (overrides) =>
          createBus(configOf("memory", overrides), { memoryBroker, logger: silentBusLogger }),
        close: () => Promise.resolve(),
      });
    },
  },
  {
    name: "redis",
    ignore: false,
    countsRedeliveries: true,
    async world(testName) {
      const redis = await freshTestRedis(`bus_contract_${testName}`);
      return {
        open: (overrides) =>
          createBus(configOf("redis", overrides), { redis: redis.config, logger: silentBusLogger }),
        close: () => redis.close(),
      };
    },
  },
  {
    name: "kafka",
    ignore: kafkaBrokers === "",
    countsRedeliveries: false,
    world() {
      return Promise.resolve({
        open: (overrides) => createBus(configOf("kafka", overrides), { logger: silentBusLogger }),
        close: () => Promise.resolve(),
      });
    },
  },
];

function message(topic: string, key: string, value: string): BusMessage {
  return { topic, key, value, headers: { eventId: `${key}:${value}` } };
}

/** Topic names unique per run, so a shared Kafka cluster never replays an old run. */
function topicOf(test: string): string {
  return `contract.${runId}.${test}`;
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

for (const adapter of adapters) {
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
    "after N failed attempts a message goes to payment.dlq in the seed format",
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
}
