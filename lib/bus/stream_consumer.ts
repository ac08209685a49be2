import type { ConsumerGate } from "./consumer_gate.ts";
import { deliver, type DeliveryOutcome, type DeliveryPolicy } from "./delivery.ts";
import { KeyedScheduler } from "./keyed_scheduler.ts";
import { type BusLogger, errorText } from "./log.ts";
import type { BusMetrics, LagSource } from "./metrics.ts";
import type { BusMessage, Consumer, DeliveredMessage, MessageHandler } from "./port.ts";
import { sleep, waitAtMost } from "./sleep.ts";
import type { StreamEntry, StreamLog, StreamReader } from "./stream_log.ts";

/**
 * Messages fetched ahead per unit of concurrency. Enough to keep every slot
 * busy between reads; small, because fetched messages are pending with this
 * consumer and wait for it even if it is slow.
 */
export const bufferPerSlot = 4;

/** Longest blocking read. Bounds how late a claim sweep or a touch can run. */
export const readBlockMsMax = 2_000;

/** Pause after a failed read or claim (Redis restarting) before trying again. */
export const readErrorBackoffMs = 500;

/** Consumers idle this long with nothing pending are dead processes: their names are pruned. */
export const deadConsumerIdleMs = 3_600_000;

/** How often dead consumer names are pruned. */
const pruneIntervalMs = 600_000;

/** A consumer that tests can kill as a crashed process would die. */
export interface AbandonableConsumer extends Consumer {
  /**
   * Stops at once: no draining, no more acknowledgements, connections dropped.
   * Messages it held count as delivered, as a crashed process's would.
   */
  abandon(): Promise<void>;
}

export interface StreamConsumerOptions {
  readonly log: StreamLog;
  readonly group: string;
  readonly topics: readonly string[];
  readonly handler: MessageHandler;
  readonly consumerName: string;
  readonly concurrency: number;
  readonly claimIdleMs: number;
  readonly retryAttemptsMax: number;
  readonly retryBackoffBaseMs: number;
  readonly retryBackoffCapMs: number;
  readonly deliveriesMax: number;
  /** The group's breaker (shared by the group's consumers in this process). */
  readonly gate: ConsumerGate;
  readonly publish: (messages: readonly BusMessage[]) => Promise<void>;
  readonly metrics: BusMetrics;
  readonly logger: BusLogger;
}

/**
 * The consumer loop of a StreamLog group: reads new entries (blocking),
 * reclaims entries a dead consumer left pending, hands them to a keyed
 * scheduler (per-key order, bounded concurrency) and acknowledges each after
 * its handler succeeded or it was dead-lettered. A message whose handler fails
 * transiently stays in flight (touched, so nobody reclaims it) until it
 * succeeds; on stop it is released for a successor.
 */
export class StreamConsumer implements AbandonableConsumer, LagSource {
  readonly group: string;
  readonly #options: StreamConsumerOptions;
  readonly #scheduler: KeyedScheduler;
  readonly #bufferMax: number;
  readonly #acks: AckBatcher;
  readonly #inFlight = new Map<string, { topic: string; id: string; sinceMs: number }>();
  readonly #stopping = new AbortController();
  readonly #abandoned = new AbortController();
  readonly #policy: DeliveryPolicy;
  #reader: StreamReader | null = null;
  #loop: Promise<void> = Promise.resolve();

  private constructor(options: StreamConsumerOptions) {
    this.#options = options;
    this.group = options.group;
    this.#scheduler = new KeyedScheduler(options.concurrency);
    this.#bufferMax = options.concurrency * bufferPerSlot;
    this.#acks = new AckBatcher(options.log, options.group, options.logger);
    this.#policy = {
      group: options.group,
      handler: options.handler,
      retryAttemptsMax: options.retryAttemptsMax,
      retryBackoffBaseMs: options.retryBackoffBaseMs,
      retryBackoffCapMs: options.retryBackoffCapMs,
      deliveriesMax: options.deliveriesMax,
      gate: options.gate,
      publish: options.publish,
      metrics: options.metrics,
      log: options.logger,
      abandoned: this.#abandoned.signal,
    };
  }

  static async start(options: StreamConsumerOptions): Promise<StreamConsumer> {
    const consumer = new StreamConsumer(options);
    await consumer.#ensureGroups();
    consumer.#reader = await options.log.openReader(
      options.group,
      options.consumerName,
      options.topics,
    );
    options.metrics.lagSources.add(consumer);
    consumer.#loop = consumer.#run();
    return consumer;
  }

  async #ensureGroups(): Promise<void> {
    for (const topic of this.#options.topics) {
      await this.#options.log.ensureGroup(topic, this.#options.group);
    }
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#reader?.interrupt();
    await this.#loop;
  }

  async abandon(): Promise<void> {
    this.#abandoned.abort();
    await this.stop();
  }

  async lag(): Promise<Array<{ topic: string; messages: number }>> {
    const lags = [];
    for (const topic of this.#options.topics) {
      lags.push({ topic, messages: await this.#options.log.lag(topic, this.group) });
    }
    return lags;
  }

  get #claimIntervalMs(): number {
    return Math.max(10, Math.floor(this.#options.claimIdleMs / 2));
  }

  get #touchIntervalMs(): number {
    return Math.max(10, Math.floor(this.#options.claimIdleMs / 3));
  }

  async #run(): Promise<void> {
    const blockMs = Math.min(readBlockMsMax, this.#claimIntervalMs, this.#touchIntervalMs);
    let lastClaimMs = 0;
    let lastTouchMs = Date.now();
    let lastPruneMs = 0;
    try {
      while (!this.#stopping.signal.aborted) {
        const now = Date.now();
        if (now - lastClaimMs >= this.#claimIntervalMs) {
          lastClaimMs = now;
          await this.#claimIdle();
        }
        if (now - lastTouchMs >= this.#touchIntervalMs) {
          lastTouchMs = now;
          await this.#touchInFlight(now);
        }
        if (now - lastPruneMs >= pruneIntervalMs) {
          lastPruneMs = now;
          await this.#pruneDeadConsumers();
        }
        const free = this.#bufferMax - this.#scheduler.size;
        if (free <= 0) {
          await waitAtMost(this.#scheduler.whenBelow(this.#bufferMax), blockMs);
          continue;
        }
        await this.#readNew(free, blockMs);
      }
    } finally {
      this.#options.metrics.lagSources.delete(this);
      if (!this.#abandoned.signal.aborted) {
        await this.#scheduler.drain();
        await this.#acks.flush();
      }
      await this.#reader?.close().catch(() => {});
    }
  }

  async #readNew(countMax: number, blockMs: number): Promise<void> {
    try {
      const entries = await this.#reader!.read(countMax, blockMs);
      if (this.#abandoned.signal.aborted) return;
      for (const entry of entries) this.#dispatch(entry);
    } catch (error) {
      if (this.#stopping.signal.aborted) return;
      this.#options.logger("read_failed", { group: this.group, error: errorText(error) });
      await sleep(readErrorBackoffMs, this.#stopping.signal);
      // A Redis that restarted without persistence has lost the group (NOGROUP): recreate it.
      await this.#ensureGroups().catch(() => {});
    }
  }

  async #claimIdle(): Promise<void> {
    for (const topic of this.#options.topics) {
      const free = this.#bufferMax - this.#scheduler.size;
      if (free <= 0) return;
      try {
        const entries = await this.#options.log.claimIdle(
          topic,
          this.group,
          this.#options.consumerName,
          this.#options.claimIdleMs,
          free,
        );
        for (const entry of entries) this.#dispatch(entry);
      } catch (error) {
        this.#options.logger("claim_failed", { group: this.group, topic, error: errorText(error) });
      }
    }
  }

  async #touchInFlight(now: number): Promise<void> {
    const byTopic = new Map<string, string[]>();
    for (const { topic, id, sinceMs } of this.#inFlight.values()) {
      if (now - sinceMs < this.#touchIntervalMs) continue;
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), id]);
    }
    for (const [topic, ids] of byTopic) {
      await this.#options.log.touch(topic, this.group, this.#options.consumerName, ids).catch(
        (error) => this.#options.logger("touch_failed", { topic, error: errorText(error) }),
      );
    }
  }

  async #pruneDeadConsumers(): Promise<void> {
    for (const topic of this.#options.topics) {
      await this.#options.log.pruneConsumers(topic, this.group, deadConsumerIdleMs).catch(() => {});
    }
  }

  #dispatch(entry: StreamEntry): void {
    const slot = `${entry.topic}\n${entry.id}`;
    // A reclaimed entry this consumer is still handling: it is already queued.
    if (this.#inFlight.has(slot)) return;
    this.#inFlight.set(slot, { topic: entry.topic, id: entry.id, sinceMs: Date.now() });
    const message: DeliveredMessage = {
      topic: entry.topic,
      key: entry.message?.key ?? "",
      value: entry.message?.value ?? entry.raw,
      headers: entry.message?.headers ?? {},
      partition: 0,
      offset: entry.id,
      deliveryCount: entry.deliveryCount,
    };
    const malformedReason = entry.message
      ? undefined
      : entry.raw === ""
      ? "Stream entry was trimmed before it was handled"
      : "Stream entry lacks a value or has unreadable headers";
    // Keyless messages cannot be ordered against anything: each is its own key.
    const key = message.key === "" ? `\u0000${slot}` : message.key;
    this.#scheduler.push(key, async () => {
      const outcome: DeliveryOutcome = await deliver(
        { message, malformedReason },
        this.#policy,
        this.#stopping.signal,
      );
      if (!this.#abandoned.signal.aborted) await this.#settle(entry, outcome);
      this.#inFlight.delete(slot);
    });
  }

  async #settle(entry: StreamEntry, outcome: DeliveryOutcome): Promise<void> {
    if (outcome === "ack") this.#acks.add(entry.topic, entry.id);
    if (outcome !== "release") return;
    const { log, group, consumerName, claimIdleMs, logger } = this.#options;
    await log.release(entry.topic, group, consumerName, entry, claimIdleMs).catch((error) =>
      // Not released: it is reclaimed after BUS_CLAIM_IDLE, this delivery counted.
      logger("release_failed", { group, topic: entry.topic, error: errorText(error) })
    );
  }
}

/**
 * Collects acknowledgements and sends them as one XACK per topic: acks that
 * arrive while one is in flight ride in the next, so a busy consumer sends
 * few round trips. A failed ack only means a later redelivery.
 */
class AckBatcher {
  #pending = new Map<string, string[]>();
  #flushing: Promise<void> | null = null;

  constructor(
    private readonly log: StreamLog,
    private readonly group: string,
    private readonly logger: BusLogger,
  ) {}

  add(topic: string, id: string): void {
    const ids = this.#pending.get(topic);
    if (ids) ids.push(id);
    else this.#pending.set(topic, [id]);
    this.#flushing ??= this.#flushLoop();
  }

  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #flushLoop(): Promise<void> {
    await Promise.resolve();
    while (this.#pending.size > 0) {
      const batch = this.#pending;
      this.#pending = new Map();
      await Promise.all(
        [...batch].map(([topic, ids]) =>
          this.log.ack(topic, this.group, ids).catch((error) =>
            this.logger("ack_failed", { group: this.group, topic, error: errorText(error) })
          )
        ),
      );
    }
    this.#flushing = null;
  }
}
