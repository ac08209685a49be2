import type { BusMessage } from "./port.ts";

/**
 * An append-only log per topic with consumer groups and a pending list per
 * group: the model of Redis Streams. The redis, embedded (SQLite) and memory
 * adapters implement it; one consumer loop (stream_consumer.ts) runs on each,
 * so unit tests on memory exercise the same delivery logic production runs.
 */
export interface StreamEntry {
  readonly topic: string;
  /** Entry id, e.g. `1718000000000-0`; ids increase within a topic. */
  readonly id: string;
  /** Deliveries of this entry to the group, counting this one. */
  readonly deliveryCount: number;
  /** Null when the stored entry is not a bus message (fields missing or unreadable). */
  readonly message: BusMessage | null;
  /** The entry as stored, kept for the DLQ when it is malformed. */
  readonly raw: string;
}

/** A consumer's reader; on Redis it owns a dedicated connection for blocking reads. */
export interface StreamReader {
  /** New entries for this consumer (at most `countMax` per topic), waiting up to `blockMs` for some. */
  read(countMax: number, blockMs: number): Promise<StreamEntry[]>;
  /** Ends a blocked `read` early (it returns no entries). */
  interrupt(): Promise<void>;
  close(): Promise<void>;
}

export interface StreamLog {
  append(messages: readonly BusMessage[]): Promise<void>;
  /** Creates the group if missing, reading from the start of the retained stream. */
  ensureGroup(topic: string, group: string): Promise<void>;
  openReader(group: string, consumer: string, topics: readonly string[]): Promise<StreamReader>;
  /** Takes over entries pending longer than `minIdleMs` with any consumer (a dead one). */
  claimIdle(
    topic: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    countMax: number,
  ): Promise<StreamEntry[]>;
  /** Resets the idle time of entries this consumer is still handling, so nobody claims them. */
  touch(topic: string, group: string, consumer: string, ids: readonly string[]): Promise<void>;
  /**
   * Hands an entry back undone (its consumer stops while its dependencies are
   * down): it becomes idle for `idleMs`, so the next claim sweep of any
   * consumer takes it at once, and its delivery count returns to what it was
   * before this delivery, so the hand-back does not count as a failed delivery.
   */
  release(
    topic: string,
    group: string,
    consumer: string,
    entry: { readonly id: string; readonly deliveryCount: number },
    idleMs: number,
  ): Promise<void>;
  ack(topic: string, group: string, ids: readonly string[]): Promise<void>;
  /** Entries of `topic` the group has not acknowledged yet (undelivered + pending). */
  lag(topic: string, group: string): Promise<number>;
  /** Forgets consumers idle longer than `idleMs` with nothing pending (dead processes). */
  pruneConsumers(topic: string, group: string, idleMs: number): Promise<void>;
  ping(): Promise<void>;
  /**
   * The bus's epoch marker, created (random) when the bus has none. It lives
   * with the streams, so a bus that lost its data (Redis restarted empty)
   * answers a new epoch: the relay then re-publishes its replay window.
   */
  ensureEpoch(): Promise<string>;
  close(): Promise<void>;
}
