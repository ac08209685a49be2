import type { DatabaseSync, StatementSync } from "node:sqlite";

/**
 * How long an entry every group has acknowledged stays in the embedded log.
 * Groups are created when their consumer starts: a relay that publishes
 * before the ledger consumer has started must not see its events trimmed
 * before that group exists and reads them. Ten minutes also leaves recent
 * history to inspect in the file.
 */
export const ackedRetentionMs = 600_000;

/**
 * Entries trimmed per entry appended, at most: more than one, so a backlog of
 * trimmable entries (a group that caught up) shrinks while publishing goes on.
 */
export const trimRowsPerAppended = 2;

/** Entries a single append may trim at least (bursts of one-message publishes). */
export const trimRowsMin = 100;

/** Bounds of one topic's log, enforced on every append (see trim). */
export interface TrimBounds {
  /** Entries kept per topic at most, acknowledged or not (BUS_STREAM_MAXLEN). */
  readonly entriesMax: number;
  readonly ackedRetentionMs: number;
}

/**
 * Deletes old entries of a topic, inside the append's own transaction (no
 * extra commit, no extra fsync), a bounded number per call:
 * 1. entries acknowledged by every group of the topic and older than
 *    `ackedRetentionMs` (a topic without groups: older than that);
 * 2. beyond `entriesMax` entries, the oldest, acknowledged or not (a group
 *    lagging that far, or abandoned, loses them, as on Redis with MAXLEN;
 *    the outbox still holds them as PUBLISHED). Their pending rows go too.
 */
export class Trimmer {
  readonly #lowWatermark: StatementSync;
  readonly #deleteAcked: StatementSync;
  readonly #entries: StatementSync;
  readonly #nthOldest: StatementSync;
  readonly #deleteUpTo: StatementSync;
  readonly #deletePendingUpTo: StatementSync;
  readonly #subtract: StatementSync;

  constructor(db: DatabaseSync, private readonly bounds: TrimBounds) {
    // Per group: its oldest unacknowledged entry, else the first it has not been given.
    this.#lowWatermark = db.prepare(
      `SELECT MIN(COALESCE(
         (SELECT MIN(p.seq) FROM bus_pending p WHERE p.topic = g.topic AND p.group_name = g.group_name),
         g.last_seq + 1)) AS low
       FROM bus_group g WHERE g.topic = ?`,
    );
    // The inner LIMIT bounds the rows visited, not only the rows deleted.
    this.#deleteAcked = db.prepare(
      `DELETE FROM bus_entry WHERE seq IN (
         SELECT seq FROM (
           SELECT seq, created_at_ms FROM bus_entry WHERE topic = ? AND seq < ? ORDER BY seq LIMIT ?
         ) WHERE created_at_ms < ?)`,
    );
    this.#entries = db.prepare("SELECT entries FROM bus_topic WHERE topic = ?");
    this.#nthOldest = db.prepare(
      "SELECT seq FROM bus_entry WHERE topic = ? ORDER BY seq LIMIT 1 OFFSET ?",
    );
    this.#deleteUpTo = db.prepare("DELETE FROM bus_entry WHERE topic = ? AND seq <= ?");
    this.#deletePendingUpTo = db.prepare("DELETE FROM bus_pending WHERE topic = ? AND seq <= ?");
    this.#subtract = db.prepare("UPDATE bus_topic SET entries = entries - ? WHERE topic = ?");
  }

  /** Trims `topic` by at most `rowsMax` entries; call inside a write transaction. */
  trim(topic: string, rowsMax: number, nowMs: number): void {
    const low = (this.#lowWatermark.get(topic) as { low: number | null }).low ??
      Number.MAX_SAFE_INTEGER;
    const acked = Number(
      this.#deleteAcked.run(topic, low, rowsMax, nowMs - this.bounds.ackedRetentionMs).changes,
    );
    if (acked > 0) this.#subtract.run(acked, topic);
    const entries = (this.#entries.get(topic) as { entries: number } | undefined)?.entries ?? 0;
    const excess = Math.min(entries - this.bounds.entriesMax, rowsMax - acked);
    if (excess <= 0) return;
    const cut = this.#nthOldest.get(topic, excess - 1) as { seq: number } | undefined;
    if (!cut) return;
    const dropped = Number(this.#deleteUpTo.run(topic, cut.seq).changes);
    this.#deletePendingUpTo.run(topic, cut.seq);
    this.#subtract.run(dropped, topic);
  }
}
