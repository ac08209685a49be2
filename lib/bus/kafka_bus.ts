import {
  type Admin,
  Kafka,
  type KafkaConfig,
  logLevel,
  Partitioners,
  type Producer,
} from "kafkajs";
import type { KafkaBusConfig } from "../config/bus.ts";
import { topics as domainTopics } from "../domain/events.ts";
import type { ConsumerGates } from "./consumer_gate.ts";
import { KafkaGroupConsumer, KafkaNames } from "./kafka_consumer.ts";
import { kafkaLogCreator } from "./kafka_log.ts";
import type { Bus, BusMessage, ConsumeOptions } from "./port.ts";
import { consumerGatesOf, type StreamBusOptions } from "./stream_bus.ts";
import type { AbandonableConsumer } from "./stream_consumer.ts";

/** acks=-1: a publish resolves only when every in-sync replica has the batch. */
const acksAllReplicas = -1;

/** What the adapter uses of a kafkajs client; tests pass a fake through a factory. */
export type KafkaClient = Pick<Kafka, "producer" | "admin" | "consumer">;
export type KafkaClientFactory = (config: KafkaConfig) => KafkaClient;

const kafkaJsClient: KafkaClientFactory = (config) => new Kafka(config);

/**
 * The Bus port over Kafka (kafkajs). Topics are created at first use with the
 * configured partitions and replication factor; the key (paymentId) picks the
 * partition, so one payment's events stay in order. Offsets are committed only
 * after the handler succeeded or the message was dead-lettered. Every topic
 * and group name carries KAFKA_TOPIC_PREFIX on the cluster.
 */
export class KafkaBus implements Bus {
  readonly #kafka: KafkaClient;
  readonly #producer: Producer;
  readonly #admin: Admin;
  readonly #names: KafkaNames;
  readonly #gates: ConsumerGates;
  readonly #ensured = new Set<string>();
  #connected: Promise<void> | null = null;

  constructor(
    private readonly config: KafkaBusConfig,
    private readonly options: StreamBusOptions,
    createClient: KafkaClientFactory = kafkaJsClient,
  ) {
    this.#kafka = createClient({
      clientId: config.clientId,
      brokers: [...config.brokers],
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(options.logger),
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
    this.#names = new KafkaNames(config.topicPrefix);
    this.#gates = consumerGatesOf(options);
  }

  /**
   * Connects once; a failed attempt is forgotten, so the next call connects
   * again and a bus whose broker was down at start recovers when it returns.
   */
  #connect(): Promise<void> {
    this.#connected ??= this.#connectOnce().catch(async (error) => {
      this.#connected = null;
      await Promise.allSettled([this.#producer.disconnect(), this.#admin.disconnect()]);
      throw error;
    });
    return this.#connected;
  }

  async #connectOnce(): Promise<void> {
    await this.#admin.connect();
    await this.#producer.connect();
    // Other topics are created by their first publish or consumer; the DLQ must exist
    // before the first failure needs it.
    await this.ensureTopics([domainTopics.dlq]);
  }

  /** Creates missing topics (names without the prefix) with explicit partitions and replication. */
  async ensureTopics(names: readonly string[]): Promise<void> {
    const missing = names.filter((name) => !this.#ensured.has(name));
    if (missing.length === 0) return;
    await this.#admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic: this.#names.onCluster(topic),
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
        topic: this.#names.onCluster(topic),
        messages: batch.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
      })),
    });
  }

  async consume(options: ConsumeOptions): Promise<AbandonableConsumer> {
    await this.#connect();
    await this.ensureTopics(options.topics);
    const consumer = this.#kafka.consumer({
      groupId: this.#names.onCluster(options.group),
      allowAutoTopicCreation: false,
      sessionTimeout: this.config.sessionTimeoutMs,
      heartbeatInterval: this.config.heartbeatIntervalMs,
      rebalanceTimeout: this.config.rebalanceTimeoutMs,
    });
    return await KafkaGroupConsumer.start(consumer, this.#admin, options, {
      ...this.options,
      names: this.#names,
      gate: this.#gates.of(options.group),
      publish: (messages) => this.publish(messages),
    });
  }

  async ping(): Promise<void> {
    await this.#connect();
    await this.#admin.describeCluster();
  }

  async close(): Promise<void> {
    const connected = this.#connected;
    if (!connected) return;
    // A failed connection has disconnected already.
    if (await connected.then(() => false, () => true)) return;
    await this.#producer.disconnect();
    await this.#admin.disconnect();
  }
}
