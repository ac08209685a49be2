import type { DatabaseSync } from "node:sqlite";
import { resolve } from "node:path";
import type { BusMessage } from "./port.ts";
import { parseHeaders } from "./redis_log.ts";
import { openBusDatabase, writeTransaction } from "./sqlite_db.ts";
import { ackedRetentionMs, Trimmer, trimRowsMin, trimRowsPerAppended } from "./sqlite_trim.ts";
import { SqliteReader, wake } from "./sqlite_reader.ts";
import { type EntryRow, statementsOf } from "./sqlite_statements.ts";
import type { StreamEntry, StreamLog, StreamReader } from "./stream_log.ts";

/** Messages inserted per write transaction; a larger publish takes several. */
export const appendBatchMax = 1_000;

/** Acknowledgements per write transaction. */
export const ackBatchMax = 500;

export interface SqliteStreamLogOptions {
  /** The SQLite file (BUS_EMBEDDED_PATH); created with its folder when missing. */
  readonly path: string;
  /** Entries kept per topic at most (BUS_STREAM_MAXLEN). */
  readonly streamMaxLen: number;
  /** How long entries every group acknowledged are kept; default ackedRetentionMs. */
  readonly ackedRetentionMs?: number;
  /** The clock of delivery times, idle times and retention (tests move it). */
  readonly now?: () => number;
}

/**
 * StreamLog in a SQLite file (node:sqlite, WAL, synchronous=FULL) shared by
 * the processes of one machine: one log table, per-group read positions and
 * a pending list with owner, delivery time and delivery count, the model of
 * Redis Streams. Every change is one short `BEGIN IMMEDIATE` transaction, so
 * writers of all processes serialise and an entry goes to one consumer of a
 * group; a call resolves after its commit is on disk.
 */
export class SqliteStreamLog implements StreamLog {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #trimmer: Trimmer;
  readonly #q: ReturnType<typeof statementsOf>;
  readonly #now: () => number;

  private constructor(db: DatabaseSync, options: SqliteStreamLogOptions) {
    this.#db = db;
    this.#path = resolve(options.path);
    this.#trimmer = new Trimmer(db, {
      entriesMax: options.streamMaxLen,
      ackedRetentionMs: options.ackedRetentionMs ?? ackedRetentionMs,
    });
    this.#q = statementsOf(db);
    this.#now = options.now ?? Date.now;
  }

  static async open(options: SqliteStreamLogOptions): Promise<SqliteStreamLog> {
    return new SqliteStreamLog(await openBusDatabase(options.path), options);
  }

  async append(messages: readonly BusMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += appendBatchMax) {
      const batch = messages.slice(start, start + appendBatchMax);
      await writeTransaction(this.#db, () => {
        const now = this.#now();
        const perTopic = new Map<string, number>();
        for (const m of batch) {
          this.#q.insertEntry.run(m.topic, m.key, m.value, JSON.stringify(m.headers), now);
          perTopic.set(m.topic, (perTopic.get(m.topic) ?? 0) + 1);
        }
        for (const [topic, count] of perTopic) {
          this.#q.countEntries.run(topic, count);
          this.#trimmer.trim(topic, Math.max(trimRowsMin, count * trimRowsPerAppended), now);
        }
      });
    }
    if (messages.length > 0) wake(this.#path);
  }

  async ensureGroup(topic: string, group: string): Promise<void> {
    await writeTransaction(this.#db, () => {
      this.#q.insertGroup.run(topic, group);
      this.#q.countEntries.run(topic, 0);
    });
  }

  openReader(group: string, consumer: string, topics: readonly string[]): Promise<StreamReader> {
    return Promise.resolve(new SqliteReader(this, this.#path, group, consumer, topics));
  }

  /** Whether any topic has entries the group was never given; throws when the group is missing. */
  hasNew(group: string, topics: readonly string[]): boolean {
    return topics.some((topic) => this.#q.anyAfter.get(topic, this.#lastSeq(topic, group)));
  }

  #lastSeq(topic: string, group: string): number {
    const row = this.#q.selectGroup.get(topic, group) as { last_seq: number } | undefined;
    if (!row) throw new Error(`Consumer group does not exist: ${group} on ${topic}`);
    return row.last_seq;
  }

  /** Gives `consumer` up to `countMax` entries the group was never given (XREADGROUP `>`). */
  take(
    group: string,
    consumer: string,
    topics: readonly string[],
    countMax: number,
  ): Promise<StreamEntry[]> {
    if (!this.hasNew(group, topics)) return Promise.resolve([]);
    return writeTransaction(this.#db, () => {
      const now = this.#now();
      const taken: StreamEntry[] = [];
      for (const topic of topics) {
        if (taken.length >= countMax) break;
        const rows = this.#q.selectAfter.all(
          topic,
          this.#lastSeq(topic, group),
          countMax - taken.length,
        ) as unknown as EntryRow[];
        if (rows.length === 0) continue;
        for (const row of rows) {
          this.#q.insertPending.run(topic, group, row.seq, consumer, now);
          taken.push(entryOf(topic, row, 1));
        }
        this.#q.updateGroup.run(rows.at(-1)!.seq, topic, group);
        this.#q.seeConsumer.run(topic, group, consumer, now);
      }
      return taken;
    });
  }

  async claimIdle(
    topic: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    countMax: number,
  ): Promise<StreamEntry[]> {
    // Most sweeps find nothing: look without taking the write lock first.
    if (!this.#q.anyIdle.get(topic, group, this.#now() - minIdleMs)) return [];
    return await writeTransaction(this.#db, () => {
      const now = this.#now();
      const idle = this.#q.selectIdle.all(topic, group, now - minIdleMs, countMax) as unknown as {
        seq: number;
        delivery_count: number;
      }[];
      const claimed: StreamEntry[] = [];
      for (const { seq, delivery_count } of idle) {
        this.#q.claimPending.run(consumer, now, topic, group, seq);
        const row = this.#q.selectEntry.get(seq) as EntryRow | undefined;
        claimed.push(
          row
            ? entryOf(topic, row, delivery_count + 1)
            : { topic, id: String(seq), deliveryCount: delivery_count + 1, message: null, raw: "" },
        );
      }
      if (claimed.length > 0) this.#q.seeConsumer.run(topic, group, consumer, now);
      return claimed;
    });
  }

  async touch(topic: string, group: string, consumer: string, ids: readonly string[]) {
    if (ids.length === 0) return;
    await writeTransaction(this.#db, () => {
      const now = this.#now();
      for (const id of ids) this.#q.touchPending.run(now, topic, group, seqOf(id), consumer);
    });
  }

  async release(
    topic: string,
    group: string,
    consumer: string,
    entry: { readonly id: string; readonly deliveryCount: number },
    idleMs: number,
  ): Promise<void> {
    await writeTransaction(this.#db, () => {
      const count = Math.max(0, entry.deliveryCount - 1);
      this.#q.releasePending.run(
        consumer,
        this.#now() - idleMs,
        count,
        topic,
        group,
        seqOf(entry.id),
      );
    });
  }

  async ack(topic: string, group: string, ids: readonly string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += ackBatchMax) {
      const batch = ids.slice(start, start + ackBatchMax);
      await writeTransaction(this.#db, () => {
        for (const id of batch) this.#q.deletePending.run(topic, group, seqOf(id));
      });
    }
  }

  // deno-lint-ignore require-await
  async lag(topic: string, group: string): Promise<number> {
    const lastSeq = this.#lastSeq(topic, group);
    const undelivered = (this.#q.countAfter.get(topic, lastSeq) as { n: number }).n;
    const pending = (this.#q.countPending.get(topic, group) as { n: number }).n;
    return undelivered + pending;
  }

  async pruneConsumers(topic: string, group: string, idleMs: number): Promise<void> {
    await writeTransaction(this.#db, () => {
      this.#q.pruneConsumers.run(topic, group, this.#now() - idleMs);
    });
  }

  // deno-lint-ignore require-await
  async ping(): Promise<void> {
    this.#q.ping.get();
  }

  async ensureEpoch(): Promise<string> {
    // The relay asks every few seconds: read without the write lock when the marker exists.
    const existing = this.#q.selectEpoch.get() as { value: string } | undefined;
    if (existing) return existing.value;
    return await writeTransaction(this.#db, () => {
      this.#q.insertEpoch.run(crypto.randomUUID());
      return (this.#q.selectEpoch.get() as { value: string }).value;
    });
  }

  close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }
}

function seqOf(id: string): number {
  const seq = Number(id);
  if (!Number.isSafeInteger(seq) || seq <= 0) {
    throw new Error(`Not an embedded bus entry id: ${id}`);
  }
  return seq;
}

function entryOf(topic: string, row: EntryRow, deliveryCount: number): StreamEntry {
  const id = String(row.seq);
  const headers = parseHeaders(row.headers);
  if (headers === null) {
    const raw = JSON.stringify({ k: row.msg_key, v: row.value, h: row.headers });
    return { topic, id, deliveryCount, message: null, raw };
  }
  const message = { topic, key: row.msg_key, value: row.value, headers };
  return { topic, id, deliveryCount, message, raw: row.value };
}
