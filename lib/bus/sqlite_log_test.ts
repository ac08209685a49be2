import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type BusConfig, readBusConfig } from "../config/bus.ts";
import { createBus, type DeliveredMessage, parseDlqRecord, silentBusLogger } from "./mod.ts";
import { SqliteStreamLog } from "./sqlite_log.ts";
import { ackedRetentionMs } from "./sqlite_trim.ts";
import type { StreamBus } from "./stream_bus.ts";
import { until } from "./testing.ts";

const childModule = new URL("./sqlite_log_child.ts", import.meta.url).pathname;

/** A fresh folder with a bus file path in it, removed after `body`. */
async function withBusFile(body: (path: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "bus_embedded_" });
  try {
    await body(`${dir}/bus.sqlite3`, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function embeddedConfig(path: string, overrides: Partial<BusConfig> = {}): BusConfig {
  return { ...readBusConfig({ BUS: "embedded", BUS_EMBEDDED_PATH: path }), ...overrides };
}

type Line = Record<string, unknown>;

/** A child process of sqlite_log_child.ts, its stdout lines parsed as they arrive. */
interface Child {
  readonly lines: Line[];
  readonly process: Deno.ChildProcess;
  /** Resolves when the process has exited and every line is read. */
  readonly exited: Promise<Deno.CommandStatus>;
}

/** Spawns a child with the permissions a service needs for the bus: write to the folder only. */
function spawnChild(dir: string, args: string[]): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", `--allow-write=${dir}`, "--allow-env", childModule, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines: Line[] = [];
  const read = (async () => {
    let buffered = "";
    for await (const chunk of process.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      for (const part of parts) lines.push(JSON.parse(part));
    }
  })();
  const exited = read.then(() => process.status);
  return { lines, process, exited };
}

function valuesOf(child: Child, field: string): string[] {
  return child.lines.flatMap((line) => {
    const value = line[field];
    return value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
  });
}

/** Collects what a group of this process receives. */
async function collect(bus: Awaited<ReturnType<typeof createBus>>, topic: string, group: string) {
  const received: DeliveredMessage[] = [];
  const consumer = await bus.consume({
    group,
    topics: [topic],
    handler: (m) => {
      received.push(m);
      return Promise.resolve();
    },
  });
  return { received, consumer };
}

Deno.test("a consumer process killed mid-handler loses nothing: another process's consumer claims its messages after BUS_CLAIM_IDLE", async () => {
  await withBusFile(async (path, dir) => {
    const topic = "kill.consumer";
    const bus = await createBus(embeddedConfig(path, { claimIdleMs: 300 }), {
      logger: silentBusLogger,
    });
    const values = Array.from({ length: 10 }, (_, i) => `m${i}`);
    await bus.publish(values.map((value) => ({ topic, key: value, value, headers: {} })));
    const child = spawnChild(dir, ["consume", path, topic, "g", "hang"]);
    await until(() => valuesOf(child, "started").length === 4, "the child started 4 handlers");
    child.process.kill("SIGKILL");
    const status = await child.exited;
    assert.equal(status.signal, "SIGKILL");
    const started = valuesOf(child, "started");
    const { received, consumer } = await collect(bus, topic, "g");
    try {
      await until(() => received.length >= values.length, "every message received");
    } finally {
      await consumer.stop();
    }
    const lag = await (bus as StreamBus).log.lag(topic, "g");
    await bus.close();
    assert.deepEqual(received.map((m) => m.value).sort(), values, "lost or received twice");
    for (const m of received) {
      assert.equal(m.deliveryCount, 2, `${m.value} was delivered to the killed child first`);
    }
    assert.equal(started.length, 4);
    assert.equal(lag, 0);
  });
});

Deno.test("a publisher process killed mid-stream loses none of the messages whose publish had resolved", async () => {
  await withBusFile(async (path, dir) => {
    const topic = "kill.publisher";
    const child = spawnChild(dir, ["publish", path, topic, "100000", "10", "p"]);
    await until(() => valuesOf(child, "published").length >= 300, "300 messages published");
    child.process.kill("SIGKILL");
    await child.exited;
    const confirmed = valuesOf(child, "published");
    const bus = await createBus(embeddedConfig(path), { logger: silentBusLogger });
    const log = (bus as StreamBus).log;
    await log.ensureGroup(topic, "reader");
    const stored = await log.lag(topic, "reader");
    const { received, consumer } = await collect(bus, topic, "reader");
    await until(() => received.length >= stored, "every stored message received");
    await consumer.stop();
    await bus.close();
    const got = new Set(received.map((m) => m.value));
    assert.deepEqual(confirmed.filter((v) => !got.has(v)), [], "confirmed messages lost");
    assert.ok(stored >= confirmed.length && stored < 100_000, `stored ${stored}`);
  });
});

Deno.test("two publisher processes and a group across two consumer processes: every message once per group", async () => {
  await withBusFile(async (path, dir) => {
    const topic = "multi.process";
    const perPublisher = 500;
    const consumers = [
      spawnChild(dir, ["consume", path, topic, "shared", "handle"]),
      spawnChild(dir, ["consume", path, topic, "shared", "handle"]),
    ];
    await until(
      () => consumers.every((c) => valuesOf(c, "ready").length === 1),
      "both consumer processes ready",
    );
    const bus = await createBus(embeddedConfig(path), { logger: silentBusLogger });
    const local = await collect(bus, topic, "local");
    const publishers = [
      spawnChild(dir, ["publish", path, topic, String(perPublisher), "5", "a"]),
      spawnChild(dir, ["publish", path, topic, String(perPublisher), "5", "b"]),
    ];
    for (const publisher of publishers) assert.equal((await publisher.exited).code, 0);
    const total = 2 * perPublisher;
    const handledShared = () => consumers.flatMap((c) => valuesOf(c, "handled"));
    await until(() => new Set(handledShared()).size === total, "the shared group handled all");
    await until(() => local.received.length >= total, "the local group received all");
    const log = (bus as StreamBus).log;
    await until(async () => (await log.lag(topic, "shared")) === 0, "the shared group acked all");
    for (const c of consumers) c.process.kill("SIGTERM");
    for (const c of consumers) assert.equal((await c.exited).code, 0);
    await local.consumer.stop();
    await bus.close();
    const shared = handledShared();
    assert.equal(shared.length, total, "a message was handled twice by the shared group");
    for (const c of consumers) assert.ok(valuesOf(c, "handled").length > 0, "a process got none");
    const localValues = local.received.map((m) => m.value);
    assert.equal(new Set(localValues).size, total);
    assert.equal(localValues.length, total, "a message was received twice by the local group");
  });
});

/** Rows of a table, read through a connection of its own (as another process would). */
function countRows(path: string, sql: string, ...params: (string | number)[]): number {
  const db = new DatabaseSync(path);
  try {
    return Number((db.prepare(sql).get(...params) as { n: number }).n);
  } finally {
    db.close();
  }
}

Deno.test("entries every group acknowledged are trimmed once older than the retention; unacknowledged ones stay", async () => {
  await withBusFile(async (path) => {
    let nowMs = 1_000_000;
    const log = await SqliteStreamLog.open({ path, streamMaxLen: 100_000, now: () => nowMs });
    const topic = "trim.acked";
    const publish = (n: number, prefix: string) =>
      log.append(Array.from({ length: n }, (_, i) => ({
        topic,
        key: `${prefix}${i}`,
        value: "{}",
        headers: {},
      })));
    await log.ensureGroup(topic, "fast");
    await log.ensureGroup(topic, "slow");
    await publish(100, "old");
    const fast = await log.take("fast", "c1", [topic], 100);
    await log.ack(topic, "fast", fast.map((e) => e.id));
    const slow = await log.take("slow", "c2", [topic], 100);
    await log.ack(topic, "slow", slow.slice(0, 60).map((e) => e.id));
    nowMs += ackedRetentionMs - 1;
    await publish(1, "young");
    const count = (sql: string) => countRows(path, sql, topic);
    assert.equal(
      count("SELECT COUNT(*) AS n FROM bus_entry WHERE topic = ?"),
      101,
      "trimmed early",
    );
    nowMs += 2;
    await publish(1, "later");
    assert.equal(count("SELECT COUNT(*) AS n FROM bus_entry WHERE topic = ?"), 42);
    assert.equal(count("SELECT entries AS n FROM bus_topic WHERE topic = ?"), 42);
    assert.equal(await log.lag(topic, "slow"), 40 + 2);
    const kept = await log.take("fast", "c1", [topic], 10);
    assert.deepEqual(kept.map((e) => e.message?.key), ["young0", "later0"]);
    await log.close();
  });
});

Deno.test("beyond BUS_STREAM_MAXLEN the oldest entries are trimmed even when a group never read them", async () => {
  await withBusFile(async (path) => {
    const log = await SqliteStreamLog.open({ path, streamMaxLen: 50 });
    const topic = "trim.cap";
    await log.ensureGroup(topic, "stalled");
    const taken = await log.take("stalled", "c", [topic], 10);
    assert.deepEqual(taken, []);
    for (let round = 0; round < 20; round++) {
      await log.append(Array.from({ length: 10 }, (_, i) => ({
        topic,
        key: "k",
        value: String(round * 10 + i),
        headers: {},
      })));
    }
    assert.equal(countRows(path, "SELECT COUNT(*) AS n FROM bus_entry WHERE topic = ?", topic), 50);
    assert.equal(await log.lag(topic, "stalled"), 50);
    const rest = await log.take("stalled", "c", [topic], 100);
    assert.deepEqual(
      rest.map((e) => e.message?.value),
      Array.from({ length: 50 }, (_, i) => `${150 + i}`),
    );
    await log.close();
  });
});

Deno.test("the bus epoch survives reopening the file; a new file has a new epoch", async () => {
  await withBusFile(async (path, dir) => {
    const first = await SqliteStreamLog.open({ path, streamMaxLen: 1000 });
    const epoch = await first.ensureEpoch();
    const other = await SqliteStreamLog.open({ path, streamMaxLen: 1000 });
    assert.equal(await other.ensureEpoch(), epoch, "two processes disagree");
    await first.close();
    await other.close();
    const reopened = await SqliteStreamLog.open({ path, streamMaxLen: 1000 });
    assert.equal(await reopened.ensureEpoch(), epoch);
    await reopened.close();
    const fresh = await SqliteStreamLog.open({ path: `${dir}/lost.sqlite3`, streamMaxLen: 1000 });
    assert.notEqual(await fresh.ensureEpoch(), epoch);
    await fresh.close();
  });
});

Deno.test("consumers idle past the bound with nothing pending are pruned; those holding messages stay", async () => {
  await withBusFile(async (path) => {
    let nowMs = 1_000_000;
    const log = await SqliteStreamLog.open({ path, streamMaxLen: 1000, now: () => nowMs });
    const topic = "prune.topic";
    await log.ensureGroup(topic, "g");
    await log.append([{ topic, key: "a", value: "1", headers: {} }]);
    const [held] = await log.take("g", "holder", [topic], 1);
    await log.append([{ topic, key: "b", value: "2", headers: {} }]);
    const [done] = await log.take("g", "finished", [topic], 1);
    await log.ack(topic, "g", [done!.id]);
    nowMs += 10_000;
    await log.pruneConsumers(topic, "g", 5_000);
    const names = countRows(
      path,
      "SELECT COUNT(*) AS n FROM bus_consumer WHERE consumer = ?",
      "holder",
    );
    const gone = countRows(
      path,
      "SELECT COUNT(*) AS n FROM bus_consumer WHERE consumer = ?",
      "finished",
    );
    assert.deepEqual([names, gone], [1, 0]);
    assert.ok(held);
    await log.close();
  });
});

Deno.test("an embedded log row that is not a bus message goes to payment.dlq", async () => {
  await withBusFile(async (path) => {
    const bus = await createBus(embeddedConfig(path), { logger: silentBusLogger });
    const db = new DatabaseSync(path);
    db.prepare(
      "INSERT INTO bus_entry (topic, msg_key, value, headers, created_at_ms) VALUES (?, ?, ?, ?, ?)",
    ).run("raw.topic", "k", "v", "not json", Date.now());
    db.close();
    const dlq = await collect(bus, "payment.dlq", "dlq-reader");
    let handled = 0;
    const consumer = await bus.consume({
      group: "raw",
      topics: ["raw.topic"],
      handler: () => {
        handled++;
        return Promise.resolve();
      },
    });
    await until(() => dlq.received.length === 1, "the DLQ record");
    await consumer.stop();
    await dlq.consumer.stop();
    await bus.close();
    const record = parseDlqRecord(dlq.received[0]!.value);
    assert.equal(handled, 0);
    assert.equal(record?.errorType, "MalformedMessage");
    assert.equal(record?.payload, '{"k":"k","v":"v","h":"not json"}');
  });
});

Deno.test("a backlog on one topic does not starve the other topics of a reader", async () => {
  await withBusFile(async (path) => {
    const log = await SqliteStreamLog.open({ path, streamMaxLen: 1000 });
    for (const topic of ["busy", "quiet"]) await log.ensureGroup(topic, "g");
    await log.append(Array.from({ length: 100 }, (_, i) => ({
      topic: "busy",
      key: `k${i}`,
      value: String(i),
      headers: {},
    })));
    await log.append([{ topic: "quiet", key: "q", value: "q", headers: {} }]);
    const reader = await log.openReader("g", "c", ["busy", "quiet"]);
    const first = await reader.read(10, 0);
    const second = await reader.read(10, 0);
    await reader.close();
    await log.close();
    assert.deepEqual(first.map((e) => e.topic), Array(10).fill("busy"));
    assert.equal(second[0]?.topic, "quiet", "the quiet topic waited for the backlog");
  });
});
