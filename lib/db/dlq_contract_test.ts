/** Dead-letter archive and replay contracts, on both adapters (harness: repository_contract.ts). */
import assert from "node:assert/strict";
import { sql } from "./batch.ts";
import {
  countUnreplayedDlqMessages,
  type DlqArchiveRecord,
  type DlqMessage,
  insertDlqMessage,
  listDlqMessages,
} from "./dlq_repo.ts";
import { replayDlqMessages, replayedByCharsMax } from "./dlq_replay_repo.ts";
import type { Db } from "./port.ts";
import { both, contract, nextId } from "./repository_contract.ts";

const t0 = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const at = (ms: number) => new Date(t0.getTime() + ms);
const captured = "payment.captured";

function deadLetter(overrides: Partial<DlqArchiveRecord> = {}): DlqArchiveRecord {
  return {
    dlqId: nextId("dlq"),
    consumerGroup: "ledger",
    originalTopic: captured,
    originalPartition: 2,
    originalOffset: "9007199254740993",
    key: "pay_1",
    headers: { traceparent: "00-abc-01", "x-attempt": "3" },
    payload: JSON.stringify({ eventId: "evt_1", data: { amount: 1 } }),
    errorType: "InvariantViolated",
    errorMessage: "Captured amount above the authorized amount: 7",
    failedAt: t0,
    ...overrides,
  };
}

/** Archives `records` in order; returns their ids. */
async function archive(db: Db, ...records: DlqArchiveRecord[]): Promise<number[]> {
  for (const record of records) assert.equal(await insertDlqMessage(db, record), "archived");
  const all = await listDlqMessages(db, { includeReplayed: true, limit: 1_000 });
  return records.map((r) => all.find((m) => m.dlqId === r.dlqId)!.id);
}

async function replays(db: Db): Promise<{ id: number; topic: string; by: string; at: Date }[]> {
  const rows = await db.query(sql(
    "SELECT dlq_message_id, original_topic, replayed_by, replayed_at FROM dlq_replay ORDER BY id",
  ));
  return rows.map((r) => ({
    id: Number(r.dlq_message_id),
    topic: r.original_topic,
    by: r.replayed_by,
    at: r.replayed_at,
  }));
}

const ids = (messages: readonly DlqMessage[]) => messages.map((m) => m.id);

contract("dlq: a dead letter is archived once and read back as it was", both, async (db) => {
  const record = deadLetter({ consumerGroup: null });
  assert.equal(await insertDlqMessage(db, record), "archived");
  assert.equal(await insertDlqMessage(db, { ...record, payload: "another copy" }), "duplicate");

  const [stored, ...rest] = await listDlqMessages(db, { limit: 10 });
  assert.deepEqual(rest, []);
  const { id, archivedAt, ...fields } = stored!;
  assert.deepEqual(fields, { ...record, replayCount: 0, lastReplayedAt: null });
  assert.ok(id > 0);
  assert.ok(archivedAt instanceof Date && !Number.isNaN(archivedAt.getTime()));
  assert.equal(await countUnreplayedDlqMessages(db), 1);
});

contract(
  "dlq: listings filter by ids, topic, failure time and replays, and page by id",
  both,
  async (db) => {
    const [a, b, c, d] = await archive(
      db,
      deadLetter({ failedAt: at(-1) }),
      deadLetter({ failedAt: t0 }),
      deadLetter({ originalTopic: "payment.refunded", failedAt: at(5) }),
      deadLetter({ failedAt: at(10) }),
    );
    const list = async (filter: Partial<Parameters<typeof listDlqMessages>[1]>) =>
      ids(await listDlqMessages(db, { limit: 10, ...filter }));

    assert.deepEqual(await list({}), [a, b, c, d]);
    assert.deepEqual(await list({ ids: [d!, b!, 999_999] }), [b, d]);
    assert.deepEqual(await list({ ids: [] }), []);
    assert.deepEqual(await list({ originalTopic: "payment.refunded" }), [c]);
    assert.deepEqual(await list({ from: t0, to: at(10) }), [b, c]);
    assert.deepEqual(await list({ originalTopic: captured, from: t0 }), [b, d]);
    assert.deepEqual(await list({ limit: 2 }), [a, b]);
    assert.deepEqual(await list({ afterId: b, limit: 1 }), [c]);

    await replayDlqMessages(
      db,
      { filter: { ids: [a!], limit: 10 }, replayedBy: "ops" },
      () => Promise.resolve(),
    );
    assert.deepEqual(await list({}), [b, c, d]);
    assert.deepEqual(await list({ includeReplayed: true }), [a, b, c, d]);
    assert.equal(await countUnreplayedDlqMessages(db), 3);
  },
);

contract(
  "dlq replay: the selected dead letters are published, then recorded and counted in one transaction",
  both,
  async (db) => {
    const [first, unreadable, second, other] = await archive(
      db,
      deadLetter(),
      deadLetter({ originalTopic: "" }), // an unreadable DLQ message: nowhere to replay it to
      deadLetter(),
      deadLetter({ originalTopic: "payment.refunded" }),
    );
    const published: number[][] = [];
    const publish = (messages: readonly DlqMessage[]) => {
      published.push(ids(messages));
      return Promise.resolve();
    };
    const replayedBy = "o".repeat(replayedByCharsMax + 20);
    const selection = { filter: { originalTopic: captured, limit: 10 }, replayedBy };

    const replayed = await replayDlqMessages(db, selection, publish);
    assert.deepEqual(ids(replayed), [first, second]);
    assert.deepEqual(published, [[first, second]]);
    const recorded = await replays(db);
    assert.deepEqual(recorded.map((r) => [r.id, r.topic, r.by]), [
      [first, captured, "o".repeat(replayedByCharsMax)],
      [second, captured, "o".repeat(replayedByCharsMax)],
    ]);
    assert.ok(recorded.every((r) => r.at instanceof Date));
    const all = await listDlqMessages(db, { includeReplayed: true, limit: 10 });
    assert.deepEqual(all.map((m) => [m.id, m.replayCount]), [
      [first, 1],
      [unreadable, 0],
      [second, 1],
      [other, 0],
    ]);
    assert.equal(all[0]?.lastReplayedAt?.getTime(), recorded[0]?.at.getTime());

    // Replayed ones are left out unless asked for; then they go again.
    assert.deepEqual(await replayDlqMessages(db, selection, publish), []);
    assert.equal(published.length, 1);
    const again = {
      ...selection,
      filter: { ...selection.filter, includeReplayed: true, limit: 1 },
    };
    assert.deepEqual(ids(await replayDlqMessages(db, again, publish)), [first]);
    const [firstAfter] = await listDlqMessages(db, {
      ids: [first!],
      includeReplayed: true,
      limit: 1,
    });
    assert.equal(firstAfter?.replayCount, 2);
    assert.deepEqual(
      await replayDlqMessages(
        db,
        { filter: { ids: [unreadable!], limit: 10 }, replayedBy },
        publish,
      ),
      [],
    );
  },
);

contract("dlq replay: when the publish fails nothing is recorded", both, async (db) => {
  const [id] = await archive(db, deadLetter());
  const claim = { filter: { ids: [id!], limit: 10 }, replayedBy: "ops" };
  await assert.rejects(
    replayDlqMessages(db, claim, () => Promise.reject(new Error("Bus unavailable"))),
    /Bus unavailable/,
  );
  assert.deepEqual(await replays(db), []);
  const [message] = await listDlqMessages(db, { limit: 10 });
  assert.equal(message?.replayCount, 0);
  assert.equal(message?.lastReplayedAt, null);
  assert.deepEqual(ids(await replayDlqMessages(db, claim, () => Promise.resolve())), [id]);
});

contract("dlq replay: racing replays publish each dead letter once", both, async (db) => {
  const archived = await archive(db, deadLetter(), deadLetter(), deadLetter());
  const published: number[] = [];
  const publish = async (messages: readonly DlqMessage[]) => {
    // Yield, so the other replays run while this one holds its claim.
    await new Promise((resolve) => setTimeout(resolve, 0));
    published.push(...ids(messages));
  };
  const claim = { filter: { originalTopic: captured, limit: 10 }, replayedBy: "ops" };
  const results = await Promise.all([1, 2, 3].map(() => replayDlqMessages(db, claim, publish)));

  assert.deepEqual(results.flatMap(ids).sort((x, y) => x - y), archived);
  assert.deepEqual(published.sort((x, y) => x - y), archived);
  assert.deepEqual((await replays(db)).map((r) => r.id).sort((x, y) => x - y), archived);
  const all = await listDlqMessages(db, { includeReplayed: true, limit: 10 });
  assert.ok(all.every((m) => m.replayCount === 1));
});
