import type { DatabaseSync } from "node:sqlite";
import { retryWhileBusy, sqliteBlockingBusyMs } from "../embedded/busy.ts";
import { openSqliteFile } from "../embedded/data_file.ts";

/**
 * The SQLite file of the embedded bus: opening it (WAL, fsync on every
 * commit), its schema, and write transactions that wait for other processes'
 * writers without blocking the event loop.
 */

/** Bumped when the tables change; a file of a newer version is refused, not misread. */
export const busSchemaVersion = 1;

const schema = `
CREATE TABLE IF NOT EXISTS bus_entry (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  msg_key TEXT NOT NULL,
  value TEXT NOT NULL,
  headers TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS bus_entry_by_topic ON bus_entry (topic, seq);
CREATE TABLE IF NOT EXISTS bus_topic (
  topic TEXT PRIMARY KEY,
  entries INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bus_group (
  topic TEXT NOT NULL,
  group_name TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  PRIMARY KEY (topic, group_name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bus_pending (
  topic TEXT NOT NULL,
  group_name TEXT NOT NULL,
  seq INTEGER NOT NULL,
  consumer TEXT NOT NULL,
  delivered_at_ms INTEGER NOT NULL,
  delivery_count INTEGER NOT NULL,
  PRIMARY KEY (topic, group_name, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bus_pending_by_age ON bus_pending (topic, group_name, delivered_at_ms);
CREATE TABLE IF NOT EXISTS bus_consumer (
  topic TEXT NOT NULL,
  group_name TEXT NOT NULL,
  consumer TEXT NOT NULL,
  seen_at_ms INTEGER NOT NULL,
  PRIMARY KEY (topic, group_name, consumer)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bus_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

/**
 * Opens (creating folder, file and tables when missing) the bus file at
 * `path`. Several processes may open one file at once; schema creation is
 * one write transaction, so racing openers agree.
 */
export async function openBusDatabase(path: string): Promise<DatabaseSync> {
  // FULL: a commit (and so a publish or an ack) is on disk before it returns.
  const db = openSqliteFile(path, { synchronous: "FULL", busyTimeoutMs: sqliteBlockingBusyMs });
  try {
    await writeTransaction(db, () => {
      const version = Number(
        (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
      );
      if (version > busSchemaVersion) {
        throw new Error(
          `Embedded bus file was written by a newer version (schema ${version}): ${path}`,
        );
      }
      db.exec(schema);
      db.exec(`PRAGMA user_version = ${busSchemaVersion}`);
    });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs `body` (synchronous: nothing else may use the connection meanwhile)
 * in `BEGIN IMMEDIATE` … `COMMIT`, retrying while another process holds the
 * write lock. Resolves after the commit is on disk.
 */
export function writeTransaction<T>(db: DatabaseSync, body: () => T): Promise<T> {
  return retryWhileBusy(() => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = body();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  });
}
