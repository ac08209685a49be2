/** The Redis Streams adapter's own behaviour (the bus contract's redis half: redis_contract_test.ts). */
// test-needs: redis
import assert from "node:assert/strict";
import { type Env, readBusConfig } from "../config/mod.ts";
import { createRegistry, type Registry } from "../metrics/mod.ts";
import { freshTestRedis } from "../testing/mod.ts";
import { createBus, parseDlqRecord, silentBusLogger } from "./mod.ts";
import { streamKeyOf } from "./redis_log.ts";
import { until } from "./testing.ts";

/** The bus config of the scale-out profile, whose bus is Redis Streams. */
const redisBusConfig = (env: Env = {}) => readBusConfig({ PROFILE: "scale-out", ...env });

/** The value of the series of `name` (or of its `series`, e.g. a histogram's _count) with `labels`. */
async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
  series = name,
): Promise<number | undefined> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.find((v) =>
    ((v as { metricName?: string }).metricName ?? name) === series &&
    Object.entries(labels).every(([label, value]) => v.labels[label] === value)
  )?.value;
}

Deno.test("redis bus dead-letters a stream entry that is not a bus message", async () => {
  const redis = await freshTestRedis("bus_redis_raw");
  const bus = await createBus(redisBusConfig(), { redis: redis.config, logger: silentBusLogger });
  try {
    await redis.redis.xadd(streamKeyOf("raw.topic"), "*", "junk", "1");
    const records: string[] = [];
    const dlq = await bus.consume({
      group: "dlq-reader",
      topics: ["payment.dlq"],
      handler: (m) => {
        records.push(m.value);
        return Promise.resolve();
      },
    });
    let handled = 0;
    const consumer = await bus.consume({
      group: "raw",
      topics: ["raw.topic"],
      handler: () => {
        handled++;
        return Promise.resolve();
      },
    });
    await until(() => records.length === 1, "the DLQ record");
    await consumer.stop();
    await dlq.stop();
    const record = parseDlqRecord(records[0]!);
    assert.equal(handled, 0);
    assert.equal(record?.errorType, "MalformedMessage");
    assert.equal(record?.payload, '{"junk":"1"}');
  } finally {
    await bus.close();
    await redis.close();
  }
});

Deno.test("redis streams are trimmed near BUS_STREAM_MAXLEN", async () => {
  const redis = await freshTestRedis("bus_redis_trim");
  const config = redisBusConfig({ BUS_STREAM_MAXLEN: "1000" });
  const bus = await createBus(config, { redis: redis.config, logger: silentBusLogger });
  try {
    for (let round = 0; round < 5; round++) {
      await bus.publish(Array.from({ length: 1000 }, (_, i) => ({
        topic: "trim.topic",
        key: `k${i}`,
        value: "{}",
        headers: {},
      })));
    }
    const length = await redis.redis.xlen(streamKeyOf("trim.topic"));
    // MAXLEN ~ trims whole radix-tree nodes (100 entries by default), never below the bound.
    assert.ok(length >= 1000 && length < 1200, `stream length ${length}`);
  } finally {
    await bus.close();
    await redis.close();
  }
});

Deno.test("consumer lag and handler metrics are exported from Redis", async () => {
  const redis = await freshTestRedis("bus_redis_lag");
  const registry = createRegistry("test");
  const bus = await createBus(redisBusConfig(), {
    redis: redis.config,
    registry,
    logger: silentBusLogger,
  });
  try {
    await bus.publish(Array.from({ length: 10 }, (_, i) => ({
      topic: "lag.topic",
      key: `k${i}`,
      value: "{}",
      headers: {},
    })));
    let release = () => {};
    const gate = new Promise<void>((resolve) => release = resolve);
    let handled = 0;
    const consumer = await bus.consume({
      group: "laggy",
      topics: ["lag.topic"],
      concurrency: 1,
      handler: async () => {
        await gate;
        handled++;
      },
    });
    const lagOf = () => metricValue(registry, "bus_consumer_lag_messages", { group: "laggy" });
    await until(async () => (await lagOf()) === 10, "lag of 10 while the handler is blocked");
    release();
    await until(() => handled === 10, "all handled");
    await consumer.stop();
    const handledCount = await metricValue(registry, "bus_handler_duration_seconds", {
      group: "laggy",
      result: "ok",
    }, "bus_handler_duration_seconds_count");
    assert.equal(handledCount, 10);
  } finally {
    await bus.close();
    await redis.close();
  }
});

Deno.test("a consumer recreates its group when Redis has lost it", async () => {
  const redis = await freshTestRedis("bus_redis_nogroup");
  const bus = await createBus(redisBusConfig(), { redis: redis.config, logger: silentBusLogger });
  try {
    const got: string[] = [];
    const consumer = await bus.consume({
      group: "resilient",
      topics: ["lost.topic"],
      handler: (m) => {
        got.push(m.value);
        return Promise.resolve();
      },
    });
    await bus.publish([{ topic: "lost.topic", key: "k", value: "before", headers: {} }]);
    await until(() => got.length === 1, "the first message");
    // What a restart without persistence looks like: the stream and its group are gone.
    await redis.redis.del(streamKeyOf("lost.topic"));
    await until(async () => {
      const groups = await redis.redis.xinfo("GROUPS", streamKeyOf("lost.topic")).catch(() => []);
      return (groups as unknown[]).length === 1;
    }, "the group recreated");
    await bus.publish([{ topic: "lost.topic", key: "k", value: "after", headers: {} }]);
    await until(() => got.length === 2, "the message published after the loss");
    await consumer.stop();
    assert.deepEqual(got, ["before", "after"]);
  } finally {
    await bus.close();
    await redis.close();
  }
});
