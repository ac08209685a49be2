import type { BusConfig } from "../config/bus.ts";
import { ConsumerGates } from "./consumer_gate.ts";
import type { BusLogger } from "./log.ts";
import type { BusMetrics } from "./metrics.ts";
import type { Bus, BusMessage, ConsumeOptions } from "./port.ts";
import { StreamConsumer } from "./stream_consumer.ts";
import type { StreamLog } from "./stream_log.ts";

export interface StreamBusOptions {
  readonly config: BusConfig;
  readonly metrics: BusMetrics;
  readonly logger: BusLogger;
  /** Prefix of this process's consumer names (unique per process). */
  readonly instanceId: string;
}

/** The Bus port over a StreamLog: the redis, embedded and memory adapters. */
export class StreamBus implements Bus {
  readonly #gates: ConsumerGates;
  #consumers = 0;

  constructor(readonly log: StreamLog, private readonly options: StreamBusOptions) {
    this.#gates = consumerGatesOf(options);
  }

  publish(messages: readonly BusMessage[]): Promise<void> {
    return this.log.append(messages);
  }

  consume(options: ConsumeOptions): Promise<StreamConsumer> {
    const { config } = this.options;
    if (options.topics.length === 0) throw new Error(`Consumer has no topics: ${options.group}`);
    return StreamConsumer.start({
      log: this.log,
      group: options.group,
      topics: options.topics,
      handler: options.handler,
      consumerName: `${this.options.instanceId}-${++this.#consumers}`,
      concurrency: options.concurrency ?? config.concurrency,
      claimIdleMs: config.claimIdleMs,
      retryAttemptsMax: options.retryAttemptsMax ?? config.retryAttemptsMax,
      retryBackoffBaseMs: config.retryBackoffBaseMs,
      retryBackoffCapMs: config.retryBackoffCapMs,
      deliveriesMax: config.deliveriesMax,
      gate: this.#gates.of(options.group),
      publish: (messages) => this.publish(messages),
      metrics: this.options.metrics,
      logger: this.options.logger,
    });
  }

  ping(): Promise<void> {
    return this.log.ping();
  }

  ensureEpoch(): Promise<string> {
    return this.log.ensureEpoch();
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/** The gates of a bus's consumer groups, backing off as BUS_TRANSIENT_BACKOFF_CAP_MS says. */
export function consumerGatesOf(options: StreamBusOptions): ConsumerGates {
  return new ConsumerGates({
    backoffBaseMs: options.config.retryBackoffBaseMs,
    backoffCapMs: options.config.transientBackoffCapMs,
    stateGauge: options.metrics.breakerState,
    log: options.logger,
  });
}
