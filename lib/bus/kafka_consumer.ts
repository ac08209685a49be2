import type { Admin, Consumer as KafkaJsConsumer, EachBatchPayload, KafkaMessage } from "kafkajs";
import type { ConsumerGate } from "./consumer_gate.ts";
import { deliver, type DeliveryOutcome, type DeliveryPolicy, type Incoming } from "./delivery.ts";
import { KeyedScheduler } from "./keyed_scheduler.ts";
import { type BusLogger, errorText } from "./log.ts";
import type { BusMetrics, LagSource } from "./metrics.ts";
import type { BusMessage, ConsumeOptions, DeliveredMessage } from "./port.ts";
import { sleep } from "./sleep.ts";
import type { StreamBusOptions } from "./stream_bus.ts";
import type { AbandonableConsumer } from "./stream_consumer.ts";

/**
 * Deliveries remembered per consumer for `deliveryCount`. Kafka does not count
 * deliveries; this process does, for messages it saw more than once. Bounded
 * so a long-running consumer does not grow without limit.
 */
const deliveryCountsMax = 100_000;

/** Topic and group names on the cluster: the application's names behind KAFKA_TOPIC_PREFIX. */
export class KafkaNames {
  constructor(readonly prefix: string) {}

  onCluster(name: string): string {
    return this.prefix + name;
  }

  inApp(name: string): string {
    return name.startsWith(this.prefix) ? name.slice(this.prefix.length) : name;
  }
}

export interface GroupConsumerContext extends StreamBusOptions {
  readonly names: KafkaNames;
  readonly gate: ConsumerGate;
  readonly publish: (messages: readonly BusMessage[]) => Promise<void>;
}

/**
 * One kafkajs consumer of a group. Each fetched batch goes through the keyed
 * scheduler; offsets are resolved and committed up to the first message not
 * acknowledged, and kafkajs fetches again from there. A transient failure
 * holds its batch (heartbeating) on the group's gate and commits nothing; on
 * stop, or when a rebalance asks for the partitions back, the batch lets go
 * of what it holds and the next owner gets it from the committed offset.
 */
export class KafkaGroupConsumer implements AbandonableConsumer, LagSource {
  readonly group: string;
  readonly #scheduler: KeyedScheduler;
  readonly #abandoned = new AbortController();
  readonly #stopping = new AbortController();
  readonly #deliveries = new Map<string, number>();
  readonly #policy: DeliveryPolicy;
  readonly #metrics: BusMetrics;
  readonly #logger: BusLogger;
  readonly #names: KafkaNames;
  readonly #heartbeatIntervalMs: number;
  /** Pause before a kept message (DLQ unreachable) is fetched again, so it is not hammered. */
  readonly #keptRefetchPauseMs: number;

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
    this.#names = context.names;
    this.#heartbeatIntervalMs = config.kafka.heartbeatIntervalMs;
    this.#keptRefetchPauseMs = config.retryBackoffCapMs;
    this.#scheduler = new KeyedScheduler(options.concurrency ?? config.concurrency);
    this.#policy = {
      group: options.group,
      handler: options.handler,
      retryAttemptsMax: options.retryAttemptsMax ?? config.retryAttemptsMax,
      retryBackoffBaseMs: config.retryBackoffBaseMs,
      retryBackoffCapMs: config.retryBackoffCapMs,
      deliveriesMax: config.deliveriesMax,
      gate: context.gate,
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
    await consumer.subscribe({
      topics: options.topics.map((topic) => context.names.onCluster(topic)),
      fromBeginning: true,
    });
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
    // Waits on an open gate end first: kafkajs waits for the running batches, which then
    // drain what they can and let go of the rest.
    this.#stopping.abort();
    await this.consumer.disconnect();
  }

  async abandon(): Promise<void> {
    this.#abandoned.abort();
    await this.stop();
  }

  async lag(): Promise<Array<{ topic: string; messages: number }>> {
    const onCluster = this.options.topics.map((topic) => this.#names.onCluster(topic));
    const committed = await this.admin.fetchOffsets({
      groupId: this.#names.onCluster(this.group),
      topics: onCluster,
    });
    const lags = [];
    for (const topic of onCluster) {
      const ends = await this.admin.fetchTopicOffsets(topic);
      const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
      let messages = 0;
      for (const end of ends) {
        const offset = Number(done.find((p) => p.partition === end.partition)?.offset ?? -1);
        messages += Number(end.high) - (offset >= 0 ? offset : Number(end.low));
      }
      lags.push({ topic: this.#names.inApp(topic), messages });
    }
    return lags;
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const topic = this.#names.inApp(batch.topic);
    const givenUp = new AbortController();
    const stop = AbortSignal.any([this.#stopping.signal, givenUp.signal]);
    const outcomes = batch.messages.map((message) => {
      const incoming = this.#incomingOf(topic, batch.partition, message);
      return new Promise<DeliveryOutcome>((resolve) => {
        this.#scheduler.push(incoming.message.key || `\u0000${message.offset}`, async () => {
          // What a given-up batch has not started yet is handed back untouched.
          resolve(givenUp.signal.aborted ? "release" : await deliver(incoming, this.#policy, stop));
        });
      });
    });
    const settled = await this.#awaitWithHeartbeat(Promise.all(outcomes), payload, givenUp);
    if (settled === null) return; // abandoned: nothing resolved, nothing committed
    const lastAcked = this.#account(topic, batch.partition, batch.messages, settled);
    if (lastAcked !== null) {
      payload.resolveOffset(lastAcked);
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
    }
    // Unresolved messages are fetched again from the last resolved offset.
    if (settled.includes("keep")) await sleep(this.#keptRefetchPauseMs, stop);
  }

  /**
   * Forgets the delivery counts of messages that are done, uncounts released
   * ones, and returns the offset up to which every message is acknowledged.
   */
  #account(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    settled: readonly DeliveryOutcome[],
  ): string | null {
    let lastAcked: string | null = null;
    let acknowledgedSoFar = true;
    for (let i = 0; i < messages.length; i++) {
      const { offset } = messages[i]!;
      const slot = slotOf(topic, partition, offset);
      if (settled[i] === "ack") {
        this.#deliveries.delete(slot);
        if (acknowledgedSoFar) lastAcked = offset;
        continue;
      }
      acknowledgedSoFar = false;
      if (settled[i] === "release") {
        const count = (this.#deliveries.get(slot) ?? 1) - 1;
        if (count > 0) this.#deliveries.set(slot, count);
        else this.#deliveries.delete(slot);
      }
    }
    return lastAcked;
  }

  /**
   * Awaits `work` while heartbeating. A failed heartbeat (a rebalance, a lost
   * coordinator) or a stale batch gives the batch up, so a batch held by an
   * outage never holds a rebalance up past KAFKA_REBALANCE_TIMEOUT_MS.
   */
  async #awaitWithHeartbeat<T>(
    work: Promise<T>,
    payload: EachBatchPayload,
    givenUp: AbortController,
  ): Promise<T | null> {
    const abandoned = new Promise<null>((resolve) => {
      if (this.#abandoned.signal.aborted) resolve(null);
      this.#abandoned.signal.addEventListener("abort", () => resolve(null), { once: true });
    });
    const timer = setInterval(() => {
      if (payload.isStale()) givenUp.abort();
      payload.heartbeat().catch((error) => {
        givenUp.abort();
        this.#logger("heartbeat_failed", { group: this.group, error: errorText(error) });
      });
    }, this.#heartbeatIntervalMs);
    try {
      return await Promise.race([work, abandoned]);
    } finally {
      clearInterval(timer);
    }
  }

  #incomingOf(topic: string, partition: number, m: KafkaMessage): Incoming {
    const slot = slotOf(topic, partition, m.offset);
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

function slotOf(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}
