/**
 * Relay throughput on the Redis bus, with the ledger consumer applying the
 * same events in the same process (as the workers process runs them).
 *
 *   deno run -A workers/relay/bench.ts [--payments 10000] [--lanes 2] [--batch 500]
 *     [--ledger-concurrency 16] [--no-ledger]
 *   deno run -A workers/relay/bench.ts --rate 1000 --seconds 20
 *
 * Drain mode seeds `payments` captured payments (3 outbox events each) and
 * times how fast the relay empties the outbox and the ledger catches up.
 * Paced mode (--rate, events/s) keeps writing outbox rows at that rate, as
 * ingest would, and reports the consumer lag and outbox age it sustains.
 * Uses the test database pay_t_wk_bench; needs MariaDB and Redis (the scale-out profile).
 */
import { parseArgs } from "node:util";
import { createBus, silentBusLogger } from "@pay/lib/bus";
import { readBusConfig, readWorkersConfig } from "@pay/lib/config";
import { countHandledEvents, type Db, outboxStats, verifyLedger } from "@pay/lib/db";
import { createRegistry, type Registry } from "@pay/lib/metrics";
import { freshMariaDatabase, freshTestRedis } from "@pay/lib/testing";
import { startLedgerConsumer } from "../ledger/consumer.ts";
import { startOutboxRelay } from "./relay.ts";
import { seedCapturedPayments } from "./seed.ts";

/** How often progress is sampled; coarse enough not to load MariaDB itself. */
const sampleIntervalMs = 250;
/** Paced mode writes one batch of outbox rows per tick, like a steady stream of requests. */
const paceTickMs = 100;
const eventsPerPayment = 3;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    payments: { type: "string", default: "10000" },
    rate: { type: "string" },
    seconds: { type: "string", default: "20" },
    lanes: { type: "string", default: "2" },
    batch: { type: "string", default: "500" },
    "ledger-concurrency": { type: "string", default: "16" },
    "no-ledger": { type: "boolean", default: false },
  },
});
const withLedger = !values["no-ledger"];

interface Sample {
  readonly atMs: number;
  readonly backlog: number;
  readonly oldestAgeSeconds: number;
  readonly lag: number;
  readonly applied: number;
}

async function sample(pool: Db, registry: Registry, startMs: number): Promise<Sample> {
  const stats = await outboxStats(pool);
  const metric = await registry.getSingleMetric("bus_consumer_lag_messages")?.get();
  const applied = await countHandledEvents(pool, "ledger");
  return {
    atMs: performance.now() - startMs,
    backlog: stats.backlog,
    oldestAgeSeconds: stats.oldestAgeSeconds,
    lag: (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0),
    applied,
  };
}

function loadAverage(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

function summary(samples: readonly Sample[], pick: (s: Sample) => number): string {
  const xs = samples.map(pick);
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return `mean ${mean.toFixed(1)}, max ${Math.max(0, ...xs).toFixed(1)}`;
}

const db = await freshMariaDatabase("wk_bench");
const redis = await freshTestRedis("wk_bench");
const registry = createRegistry("bench");
const bus = await createBus(readBusConfig({ PROFILE: "scale-out" }), {
  redis: redis.config,
  registry,
  logger: silentBusLogger,
});
try {
  const paced = values.rate !== undefined;
  const rate = Number(values.rate ?? 0);
  const payments = paced
    ? Math.round(rate * Number(values.seconds) / eventsPerPayment)
    : Number(values.payments);
  const events = payments * eventsPerPayment;
  // The ledger consumes only the money-moving events: one `captured` per payment.
  const ledgerEvents = payments;
  if (!paced) {
    const seedStart = performance.now();
    await seedCapturedPayments(db.pool, payments);
    console.log(
      `Seeded ${events} events in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
  }
  const loadBefore = loadAverage();
  const ledger = withLedger
    ? await startLedgerConsumer({
      pool: db.pool,
      bus,
      registry,
      concurrency: Number(values["ledger-concurrency"]),
    })
    : null;
  const startMs = performance.now();
  const relay = startOutboxRelay({
    pool: db.pool,
    bus,
    registry,
    log: silentBusLogger,
    config: {
      ...readWorkersConfig({}).relay,
      lanes: Number(values.lanes),
      batchSize: Number(values.batch),
      pollIdleMs: 10,
    },
  });
  const producing = paced ? produce(db.pool, payments, rate) : Promise.resolve();
  const samples: Sample[] = [];
  let relayDoneMs = 0;
  let ledgerDoneMs = 0;
  let produced = !paced;
  producing.then(() => produced = true);
  while (!relayDoneMs || (withLedger && !ledgerDoneMs)) {
    await new Promise((resolve) => setTimeout(resolve, sampleIntervalMs));
    const s = await sample(db.pool, registry, startMs);
    samples.push(s);
    if (produced && !relayDoneMs && s.backlog === 0) relayDoneMs = s.atMs;
    if (produced && withLedger && !ledgerDoneMs && s.applied === ledgerEvents) {
      ledgerDoneMs = s.atMs;
    }
  }
  const loadAfter = loadAverage();
  await producing;
  await relay.stop();
  await ledger?.stop();
  const perSecond = (ms: number, count = events) => Math.round(count / (ms / 1000));
  console.log(
    paced
      ? `Paced: ${events} events offered at ${rate}/s; relay caught up ${
        (relayDoneMs / 1000).toFixed(2)
      } s after start`
      : `Relay: ${events} events in ${(relayDoneMs / 1000).toFixed(2)} s = ${
        perSecond(relayDoneMs)
      } events/s`,
  );
  console.log(`  relay lanes ${values.lanes}, batch ${values.batch}`);
  console.log(`  outbox backlog: ${summary(samples, (s) => s.backlog)} rows`);
  console.log(`  oldest unpublished age: ${summary(samples, (s) => s.oldestAgeSeconds)} s`);
  if (withLedger) {
    console.log(
      `Ledger consumer: all ${ledgerEvents} captured events applied after ${
        (ledgerDoneMs / 1000).toFixed(2)
      } s` +
        (paced ? "" : ` = ${perSecond(ledgerDoneMs, ledgerEvents)} events/s`) +
        ` (concurrency ${values["ledger-concurrency"]})`,
    );
    console.log(
      `  consumer lag (ledger group, all topics): ${summary(samples, (s) => s.lag)} messages`,
    );
    console.log(`  ledger verification: ${(await verifyLedger(db.pool)).ok ? "ok" : "FAILED"}`);
  }
  console.log(
    `Load average before: ${loadBefore}; after: ${loadAfter}; CPUs: ${navigator.hardwareConcurrency}`,
  );
} finally {
  await bus.close();
  await redis.close();
  await db.close();
}

/** Writes `payments` captured payments at `rate` events/s, one batch per tick. */
async function produce(pool: Db, payments: number, rate: number): Promise<void> {
  const perTick = Math.max(1, Math.round(rate * paceTickMs / 1000 / eventsPerPayment));
  const start = performance.now();
  for (let written = 0, tick = 0; written < payments; tick++) {
    const count = Math.min(perTick, payments - written);
    await seedCapturedPayments(pool, count);
    written += count;
    const due = start + (tick + 1) * paceTickMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
}
