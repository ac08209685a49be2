/**
 * Bus loss: a private redis-server killed with SIGKILL and restarted, once
 * without persistence (the data is gone: the relay must notice and publish
 * the window again) and once with an append-only file (nothing is lost:
 * nothing is replayed). Never touches the shared Redis, but needs Redis
 * installed (its redis-server).
 */
// test-needs: redis
import assert from "node:assert/strict";
import { createBus, type PipelineBus, silentBusLogger } from "@pay/lib/bus";
import { until } from "@pay/lib/bus/testing";
import { type OutboxRelayConfig, readBusConfig, readWorkersConfig } from "@pay/lib/config";
import { countRows, type Db } from "@pay/lib/db";
import { topics } from "@pay/lib/domain";
import { createRegistry, type Registry } from "@pay/lib/metrics";
import { freshTestDatabase, type PrivateRedis, privateRedis } from "@pay/lib/testing";
import { startOutboxRelay } from "./relay.ts";
import { seedCapturedPayments } from "./seed.ts";

const hourMs = 3_600_000;

function relayConfig(): OutboxRelayConfig {
  return {
    ...readWorkersConfig({}).relay,
    pollIdleMs: 5,
    batchSize: 100,
    lanes: 1,
    epochCheckIntervalMs: 50,
    replayWindowMs: hourMs,
  };
}

function published(pool: Db): Promise<number> {
  return countRows(pool, "outbox_event", { status: "PUBLISHED" });
}

async function counterValue(registry: Registry, name: string): Promise<number> {
  const match = new RegExp(`^${name}\\{[^}]*\\} (\\d+)$`, "m").exec(await registry.metrics());
  return Number(match?.[1] ?? 0);
}

async function redisBus(redis: PrivateRedis, registry: Registry): Promise<PipelineBus> {
  return await createBus(readBusConfig({ PROFILE: "scale-out", BUS: "redis" }), {
    redis: { url: redis.url, keyPrefix: "bus_loss:" },
    registry,
    logger: silentBusLogger,
  });
}

/** Every event id the group receives, from the start of the retained streams. */
async function consumeAll(bus: PipelineBus, received: Set<string>) {
  return await bus.consume({
    group: "bus-loss-test",
    topics: [topics.authorized, topics.captureRequested, topics.captured],
    handler: (message) => {
      received.add(message.headers.eventId!);
      return Promise.resolve();
    },
  });
}

Deno.test("a Redis restarted empty is noticed, and every outbox row of the window is published again and consumed", async () => {
  const redis = await privateRedis();
  const db = await freshTestDatabase("relay_bus_loss");
  const registry = createRegistry("workers");
  let bus: PipelineBus | undefined;
  try {
    await redis.start();
    bus = await redisBus(redis, registry);
    const seeded = await seedCapturedPayments(db.pool, 200);
    const eventIds = seeded.flatMap((p) => p.events.map((e) => e.envelope.eventId));
    const relay = startOutboxRelay({
      pool: db.pool,
      bus,
      config: relayConfig(),
      registry,
      log: silentBusLogger,
      breaker: { resetTimeoutMs: 100 },
    });
    await until(async () => await published(db.pool) === eventIds.length, "all published");
    assert.equal((await relay.epochWatcher!.check()).kind, "unchanged");

    // Published, not yet consumed, and the bus loses it all.
    await redis.kill();
    await redis.start();

    await until(
      async () => await counterValue(registry, "bus_epoch_changes_total") === 1,
      "the relay notices the new epoch",
    );
    assert.equal(await counterValue(registry, "outbox_replayed_total"), eventIds.length);
    await until(async () => await published(db.pool) === eventIds.length, "all published again");

    const received = new Set<string>();
    const consumer = await consumeAll(bus, received);
    await until(() => received.size === eventIds.length, "every event consumed");
    await consumer.stop();
    assert.deepEqual([...received].sort(), [...eventIds].sort());
    assert.equal((await relay.epochWatcher!.check()).kind, "unchanged", "replayed once");
    assert.equal(await counterValue(registry, "bus_epoch_changes_total"), 1);
    await relay.stop();
  } finally {
    await bus?.close();
    await redis.remove();
    await db.close();
  }
});

Deno.test("a Redis restarted with its append-only file keeps its epoch: nothing is replayed", async () => {
  const redis = await privateRedis({ appendOnly: true });
  const db = await freshTestDatabase("relay_bus_aof");
  const registry = createRegistry("workers");
  let bus: PipelineBus | undefined;
  try {
    await redis.start();
    bus = await redisBus(redis, registry);
    const seeded = await seedCapturedPayments(db.pool, 50);
    const eventIds = seeded.flatMap((p) => p.events.map((e) => e.envelope.eventId));
    const relay = startOutboxRelay({
      pool: db.pool,
      bus,
      config: relayConfig(),
      registry,
      log: silentBusLogger,
      breaker: { resetTimeoutMs: 100 },
    });
    await until(async () => await published(db.pool) === eventIds.length, "all published");
    assert.equal((await relay.epochWatcher!.check()).kind, "unchanged");
    await redis.kill();
    await redis.start();
    await until(
      async () =>
        await relay.epochWatcher!.check().then((o) => o.kind === "unchanged", () => false),
      "the relay reads the epoch again",
    );
    assert.equal(await counterValue(registry, "outbox_replayed_total"), 0);

    const received = new Set<string>();
    const consumer = await consumeAll(bus, received);
    await until(() => received.size === eventIds.length, "every event consumed from the AOF");
    await consumer.stop();
    await relay.stop();
  } finally {
    await bus?.close();
    await redis.remove();
    await db.close();
  }
});
