import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { EachBatchPayload, KafkaConfig, KafkaMessage } from "kafkajs";
import { type BusConfig, readBusConfig } from "../config/bus.ts";
import { KafkaBus, type KafkaClient } from "./kafka_bus.ts";
import { type BusLogger, silentBusLogger } from "./log.ts";
import { busMetrics } from "./metrics.ts";
import { createBus } from "./mod.ts";
import type { DeliveredMessage } from "./port.ts";
import { until, within } from "./testing.ts";

// The broker-backed behaviour is covered by contract_test.ts when KAFKA_BROKERS is set;
// these tests drive the adapter through a fake kafkajs client.

function kafkaConfig(): BusConfig {
  const config = readBusConfig({
    BUS: "kafka",
    KAFKA_BROKERS: "k1:9092",
    KAFKA_TOPIC_PREFIX: "run1.",
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    KAFKA_HEARTBEAT_INTERVAL_MS: "500",
  });
  return { ...config, retryBackoffBaseMs: 1, transientBackoffCapMs: 5 };
}

/** A kafkajs stand-in: a broker that can be down, and consumers whose batches a test delivers. */
class FakeKafka {
  brokerUp = true;
  adminConnects = 0;
  readonly createdTopics: string[] = [];
  readonly consumerConfigs: unknown[] = [];
  readonly subscribed: string[] = [];
  clientConfig: KafkaConfig | null = null;
  eachBatch: ((payload: EachBatchPayload) => Promise<void>) | null = null;
  #running: Promise<void> = Promise.resolve();

  factory = (config: KafkaConfig): KafkaClient => {
    this.clientConfig = config;
    return this as unknown as KafkaClient;
  };

  admin() {
    return {
      connect: () => {
        this.adminConnects++;
        if (!this.brokerUp) {
          const error = new Error("Connection error: connect ECONNREFUSED 127.0.0.1:9092");
          return Promise.reject(Object.assign(error, { name: "KafkaJSConnectionError" }));
        }
        return Promise.resolve();
      },
      disconnect: () => Promise.resolve(),
      createTopics: ({ topics }: { topics: Array<{ topic: string }> }) => {
        this.createdTopics.push(...topics.map((t) => t.topic));
        return Promise.resolve(true);
      },
      describeCluster: () => Promise.resolve({ brokers: [], controller: 1, clusterId: "c" }),
    };
  }

  producer() {
    return { connect: () => Promise.resolve(), disconnect: () => Promise.resolve() };
  }

  consumer(config: unknown) {
    this.consumerConfigs.push(config);
    return {
      connect: () => Promise.resolve(),
      subscribe: ({ topics }: { topics: string[] }) => {
        this.subscribed.push(...topics);
        return Promise.resolve();
      },
      run: ({ eachBatch }: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) => {
        this.eachBatch = eachBatch;
        return Promise.resolve();
      },
      // kafkajs waits for the batches it is running before it leaves the group.
      disconnect: () => this.#running,
    };
  }

  /** Hands a batch to the consumer as kafkajs would; returns what it resolved and committed. */
  deliver(topic: string, messages: Array<{ key: string; value: string }>) {
    const resolved: string[] = [];
    let commits = 0;
    const kafkaMessages = messages.map((m, i) => ({
      offset: String(i),
      key: Buffer.from(m.key),
      value: Buffer.from(m.value),
      headers: {},
      timestamp: "0",
      attributes: 0,
    })) as unknown as KafkaMessage[];
    const payload = {
      batch: { topic, partition: 0, messages: kafkaMessages },
      resolveOffset: (offset: string) => void resolved.push(offset),
      commitOffsetsIfNecessary: () => Promise.resolve(void commits++),
      uncommittedOffsets: () => ({ topics: [] }),
      heartbeat: () => Promise.resolve(),
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload;
    const done = this.eachBatch!(payload);
    this.#running = done;
    return { done, resolved, commits: () => commits };
  }
}

function kafkaBus(fake: FakeKafka, logger: BusLogger = silentBusLogger): KafkaBus {
  const config = kafkaConfig();
  return new KafkaBus(config.kafka, {
    config,
    metrics: busMetrics(),
    logger,
    instanceId: "test",
  }, fake.factory);
}

const databaseDown = () =>
  Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3306"), { code: "ECONNREFUSED" });

Deno.test("the kafka adapter is built without contacting a broker or warning about partitioners", async () => {
  const events: string[] = [];
  const bus = await createBus(readBusConfig({ BUS: "kafka", KAFKA_BROKERS: "127.0.0.1:1" }), {
    logger: (event, fields) => events.push(`${event} ${JSON.stringify(fields)}`),
  });
  assert.ok(bus instanceof KafkaBus);
  await bus.close();
  assert.deepEqual(events.filter((e) => /partitioner/i.test(e)), []);
});

Deno.test("a kafka bus whose broker was down at start connects once the broker is back", async () => {
  const fake = new FakeKafka();
  fake.brokerUp = false;
  const bus = kafkaBus(fake);
  await assert.rejects(bus.ping(), /ECONNREFUSED/);
  await assert.rejects(bus.ping(), /ECONNREFUSED/, "the failure is retried, not replayed");
  assert.equal(fake.adminConnects, 2);
  fake.brokerUp = true;
  await bus.ping();
  assert.deepEqual(fake.createdTopics, ["run1.payment.dlq"]);
  await bus.close();
});

Deno.test("kafkajs log lines reach the bus logger with their reason", () => {
  const logged: Array<[string, Record<string, unknown>]> = [];
  const fake = new FakeKafka();
  kafkaBus(fake, (event, fields = {}) => logged.push([event, { ...fields }]));
  const log = fake.clientConfig!.logCreator!(4);
  log({
    namespace: "Connection",
    level: 1,
    label: "ERROR",
    log: {
      timestamp: "2025-01-01T00:00:00.000Z",
      message: "Connection error: connect ECONNREFUSED",
      broker: "k1:9092",
      error: new Error("connect ECONNREFUSED 10.0.0.1:9092"),
      retryCount: 3,
      retryTime: 1_200,
    },
  });
  assert.deepEqual(logged, [["kafkajs", {
    namespace: "Connection",
    level: "ERROR",
    message: "Connection error: connect ECONNREFUSED",
    broker: "k1:9092",
    error: "Error: connect ECONNREFUSED 10.0.0.1:9092",
    retryCount: 3,
    retryTime: 1_200,
  }]]);
});

Deno.test("kafka consumers join with the configured timeouts under prefixed names", async () => {
  const fake = new FakeKafka();
  const bus = kafkaBus(fake);
  const consumer = await bus.consume({
    group: "ledger",
    topics: ["payment.captured"],
    handler: () => Promise.resolve(),
  });
  assert.deepEqual(fake.consumerConfigs, [{
    groupId: "run1.ledger",
    allowAutoTopicCreation: false,
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
    rebalanceTimeout: 30_000,
  }]);
  assert.deepEqual(fake.subscribed, ["run1.payment.captured"]);
  await consumer.stop();
  await bus.close();
});

Deno.test("a kafka batch failing transiently commits nothing, and stop lets go of it at once", async () => {
  const fake = new FakeKafka();
  const bus = kafkaBus(fake);
  const seen: DeliveredMessage[] = [];
  const consumer = await bus.consume({
    group: "ledger",
    topics: ["payment.captured"],
    concurrency: 1,
    handler: (m) => {
      seen.push(m);
      return Promise.reject(databaseDown());
    },
  });
  const batch = fake.deliver("run1.payment.captured", [
    { key: "pay_1", value: "a" },
    { key: "pay_2", value: "b" },
  ]);
  await until(() => seen.length >= 5, "five attempts during the outage");
  assert.equal(seen[0]!.topic, "payment.captured", "the prefix leaked into the message");
  await within(consumer.stop(), "stop of a consumer whose batch fails transiently");
  await batch.done;
  assert.deepEqual(batch.resolved, []);
  assert.equal(batch.commits(), 0);
  await bus.close();
});

Deno.test("a kafka batch commits once its transient failure is over", async () => {
  const fake = new FakeKafka();
  const bus = kafkaBus(fake);
  let failures = 0;
  const consumer = await bus.consume({
    group: "ledger",
    topics: ["payment.captured"],
    handler: (m) =>
      m.value === "a" && ++failures <= 10 ? Promise.reject(databaseDown()) : Promise.resolve(),
  });
  const batch = fake.deliver("run1.payment.captured", [
    { key: "pay_1", value: "a" },
    { key: "pay_2", value: "b" },
  ]);
  await within(batch.done, "the batch once the database is back");
  assert.deepEqual(batch.resolved, ["1"]);
  assert.equal(batch.commits(), 1);
  await consumer.stop();
  await bus.close();
});
