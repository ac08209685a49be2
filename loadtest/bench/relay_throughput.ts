import { createBus, silentBusLogger } from "@pay/lib/bus";
import { processEnv, readBusConfig, readWorkersConfig } from "@pay/lib/config";
import { outboxStats } from "@pay/lib/db";
import { createRegistry } from "@pay/lib/metrics";
import { freshMariaDatabase, freshTestRedis } from "@pay/lib/testing";
import { startOutboxRelay } from "../../workers/relay/relay.ts";
import { seedCapturedPayments } from "../../workers/relay/seed.ts";

/** How often the backlog is read while the relay drains it: fine enough for a 1% figure at 10 s. */
const backlogPollMs = 50;
/** A drain taking longer than this is reported as unfinished rather than waited for. */
const drainTimeoutMs = 120_000;

export interface RelayThroughput {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** False when the backlog was not empty at the timeout. */
  readonly drained: boolean;
  readonly lanes: number;
  readonly batchSize: number;
}

/**
 * Outbox relay throughput (d): a fresh database seeded with `payments`
 * captured payments (3 due outbox events each), one relay as the workers
 * run it (OUTBOX_* configuration) publishing to the Redis bus, timed until
 * the backlog is empty. In this process, alone, so nothing else shares its
 * MariaDB connections.
 */
export async function measureRelay(
  databaseName: string,
  payments: number,
): Promise<RelayThroughput> {
  const db = await freshMariaDatabase(databaseName);
  const redis = await freshTestRedis(databaseName);
  const registry = createRegistry("bench");
  const env = processEnv();
  // The scale-out profile's bus (Redis Streams unless BUS names another), as the bench stack runs.
  const bus = await createBus(readBusConfig({ ...env, PROFILE: "scale-out" }), {
    redis: redis.config,
    registry,
    logger: silentBusLogger,
  });
  const config = readWorkersConfig(env).relay;
  try {
    await seedCapturedPayments(db.pool, payments);
    const events = (await outboxStats(db.pool)).backlog;
    const startedMs = performance.now();
    const relay = startOutboxRelay({ pool: db.pool, bus, registry, config, log: silentBusLogger });
    let drained = false;
    try {
      while (performance.now() - startedMs < drainTimeoutMs) {
        if ((await outboxStats(db.pool)).backlog === 0) {
          drained = true;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, backlogPollMs));
      }
    } finally {
      await relay.stop();
    }
    const seconds = (performance.now() - startedMs) / 1000;
    return {
      events,
      seconds,
      eventsPerSecond: events / seconds,
      drained,
      lanes: config.lanes,
      batchSize: config.batchSize,
    };
  } finally {
    await bus.close();
    await redis.close();
    await db.close();
  }
}
