/**
 * The event bus: the port, and `createBus` choosing an adapter by `BUS`
 * (redis Streams by default, kafka, embedded: a SQLite file shared by the
 * processes of one machine, or memory for tests).
 */
import type { BusConfig } from "../config/bus.ts";
import type { RedisConfig } from "../config/redis.ts";
import type { Registry } from "../metrics/mod.ts";
import { createRedis } from "../redis/mod.ts";
import { KafkaBus } from "./kafka_bus.ts";
import { type BusLogger, consoleBusLogger } from "./log.ts";
import { MemoryBroker, MemoryStreamLog } from "./memory_log.ts";
import { busMetrics } from "./metrics.ts";
import type { Bus, ConsumeOptions } from "./port.ts";
import { RedisStreamLog, whenReady } from "./redis_log.ts";
import { SqliteStreamLog } from "./sqlite_log.ts";
import { StreamBus, type StreamBusOptions } from "./stream_bus.ts";
import type { AbandonableConsumer } from "./stream_consumer.ts";

export type * from "./port.ts";
export { MalformedMessageError } from "./errors.ts";
export { parsePaymentEvent, type PaymentEvent } from "./envelope.ts";
export { dlqGroupHeader, dlqIdHeader, parseDlqRecord } from "./dead_letter.ts";
export { type BusLogger, consoleBusLogger, silentBusLogger } from "./log.ts";
export { MemoryBroker } from "./memory_log.ts";
export type { AbandonableConsumer } from "./stream_consumer.ts";

/** What every adapter offers beyond the port: readiness, and consumers tests can kill. */
export interface PipelineBus extends Bus {
  consume(options: ConsumeOptions): Promise<AbandonableConsumer>;
  /** Fails when the bus cannot be reached (readiness probes). */
  ping(): Promise<void>;
  /**
   * The bus's epoch marker, created when missing: a new value means the bus
   * lost its data (see StreamLog.ensureEpoch). Redis, embedded and memory; absent on
   * kafka, whose topics have no such marker yet.
   */
  ensureEpoch?(): Promise<string>;
}

export interface BusDeps {
  /** Redis connection settings; required when BUS=redis. */
  readonly redis?: RedisConfig;
  /** Where bus metrics go (handler durations, DLQ counts, consumer lag). */
  readonly registry?: Registry;
  readonly logger?: BusLogger;
  /** Unique per process; prefixes its consumer names. Default: pid and a random suffix. */
  readonly instanceId?: string;
  /** BUS=memory: buses over one broker act as processes sharing one server. */
  readonly memoryBroker?: MemoryBroker;
}

/** Builds the configured adapter; resolves once its connections are ready. */
export async function createBus(config: BusConfig, deps: BusDeps = {}): Promise<PipelineBus> {
  const options: StreamBusOptions = {
    config,
    metrics: busMetrics(deps.registry),
    logger: deps.logger ?? consoleBusLogger,
    instanceId: deps.instanceId ?? `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`,
  };
  switch (config.kind) {
    case "memory":
      return new StreamBus(new MemoryStreamLog(deps.memoryBroker ?? new MemoryBroker()), options);
    case "redis":
      return await createRedisBus(config, deps, options);
    case "kafka":
      return new KafkaBus(config.kafka, options);
    case "embedded":
      return new StreamBus(await openEmbeddedLog(config), options);
  }
}

async function openEmbeddedLog(config: BusConfig): Promise<SqliteStreamLog> {
  try {
    return await SqliteStreamLog.open({
      path: config.embeddedPath,
      streamMaxLen: config.streamMaxLen,
    });
  } catch (error) {
    throw new Error(`Embedded bus cannot open ${config.embeddedPath}: ${error}`, { cause: error });
  }
}

async function createRedisBus(
  config: BusConfig,
  deps: BusDeps,
  options: StreamBusOptions,
): Promise<StreamBus> {
  const redisConfig = deps.redis;
  if (!redisConfig) throw new Error("BUS=redis needs Redis settings (deps.redis)");
  const commands = createRedis(redisConfig);
  try {
    await whenReady(commands);
  } catch (error) {
    commands.disconnect();
    throw new Error(`Redis bus is not reachable at ${redisConfig.url}: ${error}`);
  }
  const log = new RedisStreamLog({
    commands,
    openBlocking: () => createRedis(redisConfig, { blocking: true }),
    streamMaxLen: config.streamMaxLen,
  });
  return new StreamBus(log, options);
}
