import assert from "node:assert/strict";
import { createBus, type DeliveredMessage, silentBusLogger } from "@pay/lib/bus";
import { readBusConfig } from "@pay/lib/config";
import { topics, ValidationError } from "@pay/lib/domain";
import { fixtureRows, freshTestDatabase } from "@pay/lib/testing";
import { profileFixture } from "../testing/profile_fixture.ts";
import { startDlqArchiver } from "./archive_consumer.ts";
import { listDlqMessages } from "@pay/lib/db";
import { archiveDlqMessage } from "./archive.ts";
import { replayDlq, replayOfHeader } from "./replay.ts";
import { memoryConfig } from "./testing.ts";
import { until } from "@pay/lib/bus/testing";

Deno.test("dead letters are archived, listed, and replayed once to their original topic", async () => {
  const db = await freshTestDatabase("wk_dlq_replay");
  const bus = await createBus(memoryConfig, { logger: silentBusLogger });
  try {
    const archiver = await startDlqArchiver({ pool: db.pool, bus });
    let failing = true;
    const received: DeliveredMessage[] = [];
    const consumer = await bus.consume({
      group: "settlement",
      topics: [topics.captured, topics.refunded],
      retryAttemptsMax: 2,
      handler: (m) => {
        if (failing) return Promise.reject(new Error(`PG said no to ${m.key}`));
        received.push(m);
        return Promise.resolve();
      },
    });
    await bus.publish([
      { topic: topics.captured, key: "pay_1", value: '{"n":1}', headers: { eventId: "evt_1" } },
      { topic: topics.refunded, key: "pay_2", value: '{"n":2}', headers: { eventId: "evt_2" } },
    ]);
    const all = { limit: 10, includeReplayed: true };
    await until(async () => (await listDlqMessages(db.pool, all)).length === 2, "two archived");
    const [captured] = await listDlqMessages(db.pool, {
      originalTopic: topics.captured,
      limit: 10,
    });
    assert.equal(captured?.key, "pay_1");
    assert.equal(captured?.payload, '{"n":1}');
    assert.equal(captured?.errorMessage, "PG said no to pay_1");
    assert.equal(captured?.consumerGroup, "settlement");
    assert.deepEqual(captured?.headers, { eventId: "evt_1" });

    failing = false;
    const first = await replayDlq(db.pool, bus, { originalTopic: topics.captured }, "test");
    assert.deepEqual(first.replayed, [{ id: captured!.id, originalTopic: topics.captured }]);
    await until(() => received.length === 1, "replayed message consumed");
    assert.equal(received[0]!.headers.eventId, "evt_1");
    assert.equal(received[0]!.headers[replayOfHeader], String(captured!.id));
    const again = await replayDlq(db.pool, bus, { originalTopic: topics.captured }, "test");
    assert.deepEqual(again.replayed, [], "a replayed dead letter is skipped unless asked");
    const forced = await replayDlq(
      db.pool,
      bus,
      { ids: [captured!.id], includeReplayed: true },
      "test",
    );
    assert.equal(forced.replayed.length, 1);
    const [replays] = await fixtureRows(
      db.pool,
      "SELECT COUNT(*) AS n FROM dlq_replay WHERE dlq_message_id = ? AND replayed_by = 'test'",
      captured!.id,
    );
    assert.equal(Number(replays!.n), 2);
    const [after] = await listDlqMessages(db.pool, { ids: [captured!.id], ...all });
    assert.equal(after?.replayCount, 2);
    await until(() => received.length === 2, "forced replay consumed");
    await consumer.stop();
    await archiver.stop();
  } finally {
    await bus.close();
    await db.close();
  }
});

Deno.test("replay refuses a selection that names nothing", async () => {
  const db = await freshTestDatabase("wk_dlq_refuse");
  try {
    const bus = { publish: () => Promise.resolve() };
    await assert.rejects(replayDlq(db.pool, bus, {}, "test"), ValidationError);
    await assert.rejects(replayDlq(db.pool, bus, { ids: [] }, "test"), ValidationError);
    const at = new Date();
    await assert.rejects(
      replayDlq(db.pool, bus, { from: at, to: at }, "test"),
      /time range is empty/,
    );
  } finally {
    await db.close();
  }
});

Deno.test("the same dead letter archived twice is stored once; unreadable ones are kept", async () => {
  const db = await freshTestDatabase("wk_dlq_archive");
  try {
    const dlq: DeliveredMessage = {
      topic: topics.dlq,
      key: "pay_1",
      value: JSON.stringify({
        originalTopic: topics.captured,
        partition: 0,
        offset: "1-0",
        payload: "{}",
        errorType: "Error",
        errorMessage: "boom",
        timestamp: new Date().toISOString(),
      }),
      headers: { dlqId: "d-1" },
      partition: 0,
      offset: "9-0",
      deliveryCount: 1,
    };
    assert.equal(await archiveDlqMessage(db.pool, dlq), "archived");
    assert.equal(await archiveDlqMessage(db.pool, dlq), "duplicate");
    assert.equal(
      await archiveDlqMessage(db.pool, { ...dlq, value: "garbage", headers: {}, offset: "10-0" }),
      "archived",
    );
    const rows = await listDlqMessages(db.pool, { limit: 10 });
    assert.deepEqual(rows.map((r) => [r.originalTopic, r.errorType]), [
      [topics.captured, "Error"],
      ["", "MalformedDlqRecord"],
    ]);
    const bus = { publish: () => Promise.resolve() };
    const replayed = await replayDlq(db.pool, bus, { ids: rows.map((r) => r.id) }, "test");
    assert.equal(replayed.replayed.length, 1, "an unreadable dead letter cannot be replayed");
  } finally {
    await db.close();
  }
});

/**
 * [key, value] of every message on `topic` of the bus `env` configures, read
 * from the start by a group of the test's own.
 */
async function publishedOn(
  env: Readonly<Record<string, string>>,
  topic: string,
): Promise<Array<[string, string]>> {
  const bus = await createBus(readBusConfig(env), { logger: silentBusLogger });
  try {
    const received: Array<[string, string]> = [];
    const consumer = await bus.consume({
      group: "dlq-cli-test",
      topics: [topic],
      handler: (m) => Promise.resolve(void received.push([m.key, m.value])),
    });
    await until(() => received.length > 0, `a message on ${topic}`);
    await consumer.stop();
    return received;
  } finally {
    await bus.close();
  }
}

Deno.test("the replay command replays by id onto the bus and records it", async () => {
  // The embedded profile's database and bus, in a data folder of the test's own.
  const platform = await profileFixture("wk_dlq_cli", "embedded");
  const { db } = platform;
  try {
    await archiveDlqMessage(db.pool, {
      topic: topics.dlq,
      key: "pay_9",
      value: JSON.stringify({
        originalTopic: topics.captured,
        partition: 0,
        offset: "1-0",
        payload: '{"replay":true}',
        errorType: "Error",
        errorMessage: "boom",
        timestamp: new Date().toISOString(),
      }),
      headers: { dlqId: "cli-1", eventId: "evt_9" },
      partition: 0,
      offset: "1-0",
      deliveryCount: 1,
    });
    const [row] = await listDlqMessages(db.pool, { limit: 1 });
    const command = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./replay_main.ts", import.meta.url).pathname,
        "--replay",
        "--id",
        String(row!.id),
        "--by",
        "cli-test",
      ],
      env: platform.env,
      stdout: "piped",
      stderr: "piped",
    });
    const output = await command.output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, stderr);
    const result = JSON.parse(new TextDecoder().decode(output.stdout));
    assert.deepEqual(result.replayed, [{ id: row!.id, originalTopic: topics.captured }]);
    assert.deepEqual(await publishedOn(platform.env, topics.captured), [
      ["pay_9", '{"replay":true}'],
    ]);
    const usage = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./replay_main.ts", import.meta.url).pathname, "--replay"],
      env: platform.env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(usage.code, 2);
    assert.match(new TextDecoder().decode(usage.stderr), /Usage error: Select dead letters/);
  } finally {
    await platform.close();
  }
});
