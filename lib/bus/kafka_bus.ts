import {
  type Admin,
  type Consumer as KafkaJsConsumer,
  type EachBatchPayload,
  Kafka,
  type KafkaMessage,
  logLevel,
  Partitioners,
  type Producer,
} from "kafkajs";
import type { KafkaBusConfig } from "../config/bus.ts";
import { paymentTopics, topics as domainTopics } from "../domain/events.ts";
import { deliver, type DeliveryOutcome, type DeliveryPolicy } from "./delivery.ts";
import { KeyedScheduler } from "./keyed_scheduler.ts";
import { type BusLogger, errorText } from "./log.ts";
import type { BusMetrics, LagSource } from "./metrics.ts";
import type { Bus, BusMessage, ConsumeOptions, DeliveredMessage } from "./port.ts";
import type { StreamBusOptions } from "./stream_bus.ts";
import type { AbandonableConsumer } from "./stream_consumer.ts";

/** Heartbeat while a batch is handled; below kafkajs' default 10 s session timeout. */
const batchHeartbeatIntervalMs = 3_000;

/**
 * Deliveries remembered per consumer for `deliveryCount`. Kafka does not count
 * deliveries; this process does, for messages it saw more than once. Bounded
 * so a long-running consumer does not grow without limit.
 */
const deliveryCountsMax = 100_000;

/** acks=-1: a publish resolves only when every in-sync replica has the batch. */
const acksAllReplicas = -1;

/**
 * The Bus port over Kafka (kafkajs). Topics are created at first use with the
 * configured partitions and replication factor; the key (paymentId) picks the
 * partition, so one payment's events stay in order. Offsets are committed only
 * after the handler succeeded or the message was dead-lettered.
 */
export class KafkaBus implements Bus {
  readonly #kafka: Kafka;
  readonly #producer: Producer;
  readonly #admin: Admin;
  readonly #ensured = new Set<string>();
  #connected: Promise<void> | null = null;
  #consumers = 0;

  constructor(
    private readonly config: KafkaBusConfig,
    private readonly options: StreamBusOptions,
  ) {
    this.#kafka = new Kafka({
      clientId: config.clientId,
      brokers: [...config.brokers],
      logLevel: logLevel.WARN,
      logCreator: () => ({ namespace, level, log }) =>
        options.logger("kafkajs", { namespace, level, message: log.message }),
    });
    // An explicit partitioner silences KAFKAJS_NO_PARTITIONER_WARNING; the
    // default one hashes keys like the Java client (murmur2).
    this.#producer = this.#kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    this.#admin = this.#kafka.admin();
  }

  #connect(): Promise<void> {
    this.#connected ??= (async () => {
      await this.#admin.connect();
      await this.#producer.connect();
      await this.ensureTopics([...paymentTopics, domainTopics.dlq]);
    })();
    return this.#connected;
  }

  /** Creates missing topics with explicit partitions and replication factor. */
  async ensureTopics(names: readonly string[]): Promise<void> {
    const missing = names.filter((name) => !this.#ensured.has(name));
    if (missing.length === 0) return;
    await this.#admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: this.config.numPartitions,
        replicationFactor: this.config.replicationFactor,
      })),
    });
    for (const name of missing) this.#ensured.add(name);
  }

  async publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.#connect();
    const byTopic = new Map<string, BusMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    await this.ensureTopics([...byTopic.keys()]);
    await this.#producer.sendBatch({
      acks: acksAllReplicas,
      topicMessages: [...byTopic].map(([topic, batch]) => ({
        topic,
        messages: batch.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
      })),
    });
  }

  async consume(options: ConsumeOptions): Promise<AbandonableConsumer> {
    await this.#connect();
    await this.ensureTopics(options.topics);
    const consumer = this.#kafka.consumer({
      groupId: options.group,
      allowAutoTopicCreation: false,
    });
    return await KafkaGroupConsumer.start(consumer, this.#admin, options, {
      ...this.options,
      publish: (messages) => this.publish(messages),
      name: `${this.options.instanceId}-${++this.#consumers}`,
    });
  }

  async ping(): Promise<void> {
    await this.#connect();
    await this.#admin.describeCluster();
  }

  async close(): Promise<void> {
    if (!this.#connected) return;
    await this.#connected.catch(() => {});
    await this.#producer.disconnect();
    await this.#admin.disconnect();
  }
}

interface GroupConsumerContext extends StreamBusOptions {
  readonly publish: (messages: readonly BusMessage[]) => Promise<void>;
  readonly name: string;
}

class KafkaGroupConsumer implements AbandonableConsumer, LagSource {
  readonly group: string;
  readonly #scheduler: KeyedScheduler;
  readonly #abandoned = new AbortController();
  readonly #deliveries = new Map<string, number>();
  readonly #policy: DeliveryPolicy;
  readonly #metrics: BusMetrics;
  readonly #logger: BusLogger;

  private constructor(
    private readonly consumer: KafkaJsConsumer,
    private readonly admin: Admin,
    private readonly options: ConsumeOptions,
    context: GroupConsumerContext,
  ) {
    const { config } = context;
    this.group = options.group;
    this.#metrics = context.metrics;
    this.#logger = context.logger;
    this.#scheduler = new KeyedScheduler(options.concurrency ?? config.concurrency);
    this.#policy = {
      group: options.group,
      handler: options.handler,
      retryAttemptsMax: options.retryAttemptsMax ?? config.retryAttemptsMax,
      retryBackoffBaseMs: config.retryBackoffBaseMs,
      retryBackoffCapMs: config.retryBackoffCapMs,
      deliveriesMax: config.deliveriesMax,
      publish: context.publish,
      metrics: context.metrics,
      log: context.logger,
      abandoned: this.#abandoned.signal,
    };
  }

  static async start(
    consumer: KafkaJsConsumer,
    admin: Admin,
    options: ConsumeOptions,
    context: GroupConsumerContext,
  ): Promise<KafkaGroupConsumer> {
    const self = new KafkaGroupConsumer(consumer, admin, options, context);
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Partitions are fetched in parallel; the shared scheduler bounds handler calls.
      partitionsConsumedConcurrently: options.concurrency ?? context.config.concurrency,
      eachBatch: (payload) => self.#eachBatch(payload),
    });
    context.metrics.lagSources.add(self);
    return self;
  }

  async stop(): Promise<void> {
    this.#metrics.lagSources.delete(this);
    // kafkajs waits for the running eachBatch calls, which drain their messages.
    await this.consumer.disconnect();
  }

  async abandon(): Promise<void> {
    this.#abandoned.abort();
    await this.stop();
  }

  async lag(): Promise<Array<{ topic: string; messages: number }>> {
    const committed = await this.admin.fetchOffsets({
      groupId: this.group,
      topics: [...this.options.topics],
    });
    const lags = [];
    for (const topic of this.options.topics) {
      const ends = await this.admin.fetchTopicOffsets(topic);
      const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
      let messages = 0;
      for (const end of ends) {
        const offset = Number(done.find((p) => p.partition === end.partition)?.offset ?? -1);
        messages += Number(end.high) - (offset >= 0 ? offset : Number(end.low));
      }
      lags.push({ topic, messages });
    }
    return lags;
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const outcomes = batch.messages.map((message) => {
      const incoming = this.#incomingOf(batch.topic, batch.partition, message);
      return new Promise<DeliveryOutcome>((resolve) => {
        this.#scheduler.push(incoming.message.key || `\u0000${message.offset}`, async () => {
          resolve(await deliver(incoming, this.#policy));
        });
      });
    });
    const settled = await this.#awaitWithHeartbeat(Promise.all(outcomes), payload);
    if (settled === null) return; // abandoned: nothing resolved, nothing committed
    let lastAcked: string | null = null;
    let keptOffset: string | null = null;
    for (let i = 0; i < settled.length; i++) {
      const offset = batch.messages[i]!.offset;
      if (settled[i] !== "ack") {
        keptOffset = offset;
        break;
      }
      lastAcked = offset;
      this.#deliveries.delete(`${batch.topic}:${batch.partition}:${offset}`);
    }
    if (lastAcked !== null) {
      payload.resolveOffset(lastAcked);
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
    }
    if (keptOffset !== null) {
      // kafkajs fetches again from the last resolved offset: the kept message is redelivered.
      throw new Error(
        `Message kept for redelivery: ${batch.topic}/${batch.partition}@${keptOffset}`,
      );
    }
  }

  async #awaitWithHeartbeat<T>(work: Promise<T>, payload: EachBatchPayload): Promise<T | null> {
    const abandoned = new Promise<null>((resolve) => {
      if (this.#abandoned.signal.aborted) resolve(null);
      this.#abandoned.signal.addEventListener("abort", () => resolve(null), { once: true });
    });
    const timer = setInterval(() => {
      payload.heartbeat().catch((error) =>
        this.#logger("heartbeat_failed", { group: this.group, error: errorText(error) })
      );
    }, batchHeartbeatIntervalMs);
    try {
      return await Promise.race([work, abandoned]);
    } finally {
      clearInterval(timer);
    }
  }

  #incomingOf(topic: string, partition: number, m: KafkaMessage) {
    const slot = `${topic}:${partition}:${m.offset}`;
    if (this.#deliveries.size >= deliveryCountsMax) this.#deliveries.clear();
    const deliveryCount = (this.#deliveries.get(slot) ?? 0) + 1;
    this.#deliveries.set(slot, deliveryCount);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(m.headers ?? {})) {
      if (value !== undefined) headers[name] = String(Array.isArray(value) ? value[0] : value);
    }
    const message: DeliveredMessage = {
      topic,
      key: m.key?.toString() ?? "",
      value: m.value?.toString() ?? "",
      headers,
      partition,
      offset: m.offset,
      deliveryCount,
    };
    return {
      message,
      malformedReason: m.value === null ? "Kafka message has no value" : undefined,
    };
  }
}
