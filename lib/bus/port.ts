/**
 * The event bus port (DESIGN §1, §6). Adapters: redis (Streams, default),
 * kafka (kafkajs), memory (unit tests). Delivery is at least once: handlers
 * must be idempotent (the ledger and settlement consumers use consumer_inbox).
 */
export interface BusMessage {
  readonly topic: string;
  /** Partitioning / ordering key: the paymentId. Messages with one key are delivered in order. */
  readonly key: string;
  /** The serialized envelope (JSON text). Consumers must survive malformed values. */
  readonly value: string;
  /** Carries at least `eventId`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A message as a consumer receives it, with where it came from. */
export interface DeliveredMessage extends BusMessage {
  /** Kafka partition; 0 on Redis Streams. */
  readonly partition: number;
  /** Kafka offset, or the Redis stream entry id. */
  readonly offset: string;
  /**
   * How many times this message was delivered to this group, counting this one
   * (1 = first). Deliveries a consumer handed back during an outage do not count.
   */
  readonly deliveryCount: number;
}

export type MessageHandler = (message: DeliveredMessage) => Promise<void>;

export interface ConsumeOptions {
  /** Consumer group: each group receives every message once (at least once). */
  readonly group: string;
  readonly topics: readonly string[];
  readonly handler: MessageHandler;
  /** Handler invocations running at once in this consumer; per-key order is kept regardless. */
  readonly concurrency?: number;
  /**
   * Permanent handler failures before a message goes to `payment.dlq` in the
   * seed format. Transient ones (a dependency down) are retried without limit.
   */
  readonly retryAttemptsMax?: number;
}

/**
 * A running consumer. `stop` stops fetching, waits for in-flight handlers, then
 * returns; messages waiting out a dependency outage are handed back for a successor.
 */
export interface Consumer {
  stop(): Promise<void>;
}

export interface Bus {
  /** Publishes a batch; resolves only when the bus has durably accepted every message. */
  publish(messages: readonly BusMessage[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<Consumer>;
  /** Closes connections; consumers must be stopped first. */
  close(): Promise<void>;
}
