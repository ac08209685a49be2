import type { DatabaseSync, StatementSync } from "node:sqlite";
import { resolve } from "node:path";
import type { BusMessage } from "./port.ts";
import { parseHeaders } from "./redis_log.ts";
import { sleep } from "./sleep.ts";
import { openBusDatabase, writeTransaction } from "./sqlite_db.ts";
import { ackedRetentionMs, Trimmer, trimRowsMin, trimRowsPerAppended } from "./sqlite_trim.ts";
import type { StreamEntry, StreamLog, StreamReader } from "./stream_log.ts";

/**
 * How often a waiting reader looks for entries appended by another process.
 * SQLite cannot block a reader until a write; a look is one indexed read
 * (no lock, no write), so 50 ms costs little and bounds the extra latency
 * of a message crossing processes. Appends of this process wake its readers
 * at once.
 */
export const pollIntervalMs = 50;

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

interface EntryRow {
  readonly seq: number;
  readonly msg_key: string;
  readonly value: string;
  readonly headers: string;
}

/** Readers waiting in this process, by file: an append here wakes them without a poll. */
const wakersByPath = new Map<string, Set<() => void>>();

function wake(path: string): void {
  for (const waker of [...wakersByPath.get(path) ?? []]) waker();
}

function onAppend(path: string, waker: () => void): () => void {
  const wakers = wakersByPath.get(path) ?? new Set();
  wakersByPath.set(path, wakers);
  wakers.add(waker);
  return () => {
    wakers.delete(waker);
    if (wakers.size === 0) wakersByPath.delete(path);
  };
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

  ensureEpoch(): Promise<string> {
    return writeTransaction(this.#db, () => {
      this.#q.insertEpoch.run(crypto.randomUUID());
      return (this.#q.selectEpoch.get() as { value: string }).value;
    });
  }

  close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }
}

/** A consumer's reader: takes new entries, waiting for an append (here) or polling (others). */
class SqliteReader implements StreamReader {
  #appended = false;
  #wake: AbortController | null = null;
  #interrupted = false;

  constructor(
    private readonly log: SqliteStreamLog,
    private readonly path: string,
    private readonly group: string,
    private readonly consumer: string,
    private readonly topics: readonly string[],
  ) {}

  async read(countMax: number, blockMs: number): Promise<StreamEntry[]> {
    const deadline = Date.now() + blockMs;
    this.#interrupted = false;
    const unsubscribe = onAppend(this.path, () => {
      this.#appended = true;
      this.#wake?.abort();
    });
    try {
      while (true) {
        this.#appended = false;
        const taken = await this.log.take(this.group, this.consumer, this.topics, countMax);
        const leftMs = deadline - Date.now();
        if (taken.length > 0 || leftMs <= 0 || this.#interrupted) return taken;
        if (this.#appended) continue;
        this.#wake = new AbortController();
        await sleep(Math.min(pollIntervalMs, leftMs), this.#wake.signal);
        this.#wake = null;
        if (this.#interrupted) return [];
      }
    } finally {
      unsubscribe();
    }
  }

  interrupt(): Promise<void> {
    this.#interrupted = true;
    this.#wake?.abort();
    return Promise.resolve();
  }

  close(): Promise<void> {
    return this.interrupt();
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

function statementsOf(db: DatabaseSync) {
  const q = (sql: string): StatementSync => db.prepare(sql);
  return {
    insertEntry: q(
      "INSERT INTO bus_entry (topic, msg_key, value, headers, created_at_ms) VALUES (?, ?, ?, ?, ?)",
    ),
    countEntries: q(
      `INSERT INTO bus_topic (topic, entries) VALUES (?1, ?2)
       ON CONFLICT (topic) DO UPDATE SET entries = entries + ?2`,
    ),
    insertGroup: q(
      "INSERT OR IGNORE INTO bus_group (topic, group_name, last_seq) VALUES (?, ?, 0)",
    ),
    selectGroup: q("SELECT last_seq FROM bus_group WHERE topic = ? AND group_name = ?"),
    updateGroup: q("UPDATE bus_group SET last_seq = ? WHERE topic = ? AND group_name = ?"),
    anyAfter: q("SELECT 1 AS found FROM bus_entry WHERE topic = ? AND seq > ? LIMIT 1"),
    selectAfter: q(
      `SELECT seq, msg_key, value, headers FROM bus_entry
       WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    selectEntry: q("SELECT seq, msg_key, value, headers FROM bus_entry WHERE seq = ?"),
    countAfter: q("SELECT COUNT(*) AS n FROM bus_entry WHERE topic = ? AND seq > ?"),
    insertPending: q(
      `INSERT OR REPLACE INTO bus_pending
       (topic, group_name, seq, consumer, delivered_at_ms, delivery_count) VALUES (?, ?, ?, ?, ?, 1)`,
    ),
    anyIdle: q(
      `SELECT 1 AS found FROM bus_pending
       WHERE topic = ? AND group_name = ? AND delivered_at_ms <= ? LIMIT 1`,
    ),
    selectIdle: q(
      `SELECT seq, delivery_count FROM bus_pending
       WHERE topic = ? AND group_name = ? AND delivered_at_ms <= ? ORDER BY seq LIMIT ?`,
    ),
    claimPending: q(
      `UPDATE bus_pending SET consumer = ?, delivered_at_ms = ?, delivery_count = delivery_count + 1
       WHERE topic = ? AND group_name = ? AND seq = ?`,
    ),
    touchPending: q(
      `UPDATE bus_pending SET delivered_at_ms = ?
       WHERE topic = ? AND group_name = ? AND seq = ? AND consumer = ?`,
    ),
    releasePending: q(
      `UPDATE bus_pending SET consumer = ?, delivered_at_ms = ?, delivery_count = ?
       WHERE topic = ? AND group_name = ? AND seq = ?`,
    ),
    deletePending: q("DELETE FROM bus_pending WHERE topic = ? AND group_name = ? AND seq = ?"),
    countPending: q("SELECT COUNT(*) AS n FROM bus_pending WHERE topic = ? AND group_name = ?"),
    seeConsumer: q(
      `INSERT INTO bus_consumer (topic, group_name, consumer, seen_at_ms) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (topic, group_name, consumer) DO UPDATE SET seen_at_ms = ?4`,
    ),
    pruneConsumers: q(
      `DELETE FROM bus_consumer AS c WHERE c.topic = ?1 AND c.group_name = ?2 AND c.seen_at_ms < ?3
       AND NOT EXISTS (SELECT 1 FROM bus_pending p
         WHERE p.topic = ?1 AND p.group_name = ?2 AND p.consumer = c.consumer)`,
    ),
    ping: q("SELECT 1 AS ok"),
    insertEpoch: q("INSERT OR IGNORE INTO bus_meta (name, value) VALUES ('epoch', ?)"),
    selectEpoch: q("SELECT value FROM bus_meta WHERE name = 'epoch'"),
  };
}
