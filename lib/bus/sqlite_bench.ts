/**
 * Throughput of the embedded bus (BUS=embedded) on this machine, in a fresh
 * temporary file: prints figures, asserts nothing.
 *
 *   deno task bench:bus [--messages 20000] [--batch 100] [--concurrency 16]
 *
 * 1. publish: `messages` one per publish (each its own commit and fsync),
 *    then `messages` in publishes of `batch` (one commit per batch, as the
 *    outbox relay publishes);
 * 2. consume: one group drains what was published (read, handler, ack);
 * 3. end to end: a publisher (batches) and a consumer group on a second
 *    connection to the file at once, timed until the group acknowledged all.
 */
import { parseArgs } from "node:util";
import { readBusConfig } from "../config/bus.ts";
import { createBus, type PipelineBus, silentBusLogger } from "./mod.ts";
import type { StreamBus } from "./stream_bus.ts";
import { until } from "./testing.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    messages: { type: "string", default: "20000" },
    batch: { type: "string", default: "100" },
    concurrency: { type: "string", default: "16" },
  },
});
const messages = Number(values.messages);
const batch = Number(values.batch);
const concurrency = Number(values.concurrency);
const singles = Math.min(messages, 2_000);
const value = JSON.stringify({ eventId: crypto.randomUUID(), padding: "x".repeat(400) });

function payload(topic: string, i: number) {
  return { topic, key: `pay_${i % 1000}`, value, headers: { eventId: `e${i}` } };
}

function rate(count: number, startedMs: number): string {
  const seconds = (performance.now() - startedMs) / 1000;
  return `${Math.round(count / seconds).toLocaleString("en")} msg/s (${count} in ${
    seconds.toFixed(2)
  } s)`;
}

async function publishAll(bus: PipelineBus, topic: string, count: number, size: number) {
  for (let start = 0; start < count; start += size) {
    const n = Math.min(size, count - start);
    await bus.publish(Array.from({ length: n }, (_, i) => payload(topic, start + i)));
  }
}

async function drain(bus: PipelineBus, topic: string, group: string, count: number) {
  let handled = 0;
  const consumer = await bus.consume({
    group,
    topics: [topic],
    concurrency,
    handler: () => {
      handled++;
      return Promise.resolve();
    },
  });
  const log = (bus as StreamBus).log;
  await until(() => handled >= count, `${group} handled ${count}`);
  await until(async () => (await log.lag(topic, group)) === 0, `${group} acknowledged all`);
  await consumer.stop();
}

const dir = await Deno.makeTempDir({ prefix: "bus_bench_" });
const path = `${dir}/bus.sqlite3`;
const config = { ...readBusConfig({ BUS: "embedded", BUS_EMBEDDED_PATH: path }), concurrency };
const bus = await createBus(config, { logger: silentBusLogger });
try {
  console.log(
    `embedded bus, ${path}, ~${value.length}-byte values, consumer concurrency ${concurrency}`,
  );
  let started = performance.now();
  await publishAll(bus, "bench.single", singles, 1);
  console.log(`publish, 1 per call:        ${rate(singles, started)}`);
  started = performance.now();
  await publishAll(bus, "bench.batch", messages, batch);
  console.log(`publish, ${batch} per call:      ${rate(messages, started)}`);
  started = performance.now();
  await drain(bus, "bench.batch", "drain", messages);
  console.log(`consume (drain a backlog):  ${rate(messages, started)}`);

  const consumerBus = await createBus(config, { logger: silentBusLogger });
  started = performance.now();
  await Promise.all([
    publishAll(bus, "bench.live", messages, batch),
    drain(consumerBus, "bench.live", "live", messages),
  ]);
  console.log(`publish + consume at once:  ${rate(messages, started)}`);
  await consumerBus.close();
} finally {
  await bus.close();
  await Deno.remove(dir, { recursive: true });
}
