import type { DatabaseSync, StatementSync } from "node:sqlite";

/** A row of bus_entry as the log reads it. */
export interface EntryRow {
  readonly seq: number;
  readonly msg_key: string;
  readonly value: string;
  readonly headers: string;
}

/** The prepared statements of the embedded log (sqlite_db.ts has the tables). */
export function statementsOf(db: DatabaseSync) {
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
