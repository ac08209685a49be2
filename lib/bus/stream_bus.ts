import type { BusConfig } from "../config/bus.ts";
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

/** The Bus port over a StreamLog: the redis and memory adapters. */
export class StreamBus implements Bus {
  #consumers = 0;

  constructor(readonly log: StreamLog, private readonly options: StreamBusOptions) {}

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
