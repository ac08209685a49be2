import { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";

/**
 * How long a write waits for another process holding the file's write lock
 * (the two ingest instances share the nonce file). Writes here take
 * microseconds; a second means the other process is stuck, and the caller's
 * request fails rather than hang.
 */
export const dataFileBusyTimeoutMs = 1_000;

/**
 * `FULL`: a commit survives a power cut (carts a shopper filled, payments).
 * `NORMAL`: a commit survives a process crash, not a power cut (nonces that
 * live 30 s are not worth an fsync per request).
 */
export type Synchronous = "FULL" | "NORMAL";

export interface SqliteFileOptions {
  readonly synchronous: Synchronous;
  /** How long a statement waits, blocking the thread, for another process's lock. */
  readonly busyTimeoutMs: number;
  readonly foreignKeys?: boolean;
}

/**
 * How long opening may wait, blocking, for another process's lock: switching
 * a new file to WAL takes it, and opening happens once per process.
 */
const openBusyTimeoutMs = 5_000;

/**
 * Opens a SQLite file of the platform (its folder created when missing) the
 * one way every embedded file is opened: WAL, so several processes read while
 * one writes; `synchronous` as asked; foreign keys when asked. Deno's
 * built-in `node:sqlite`: no native addon. Needs read and write permission on
 * the folder.
 */
export function openSqliteFile(path: string, options: SqliteFileOptions): DatabaseSync {
  Deno.mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${openBusyTimeoutMs}`);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(`PRAGMA synchronous = ${options.synchronous}`);
    if (options.foreignKeys) db.exec("PRAGMA foreign_keys = ON");
    db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A file of the embedded profile's Redis roles under `dataDir` (nonces, the store's state). */
export function openDataFile(
  dataDir: string,
  fileName: string,
  synchronous: Synchronous,
): DatabaseSync {
  return openSqliteFile(join(dataDir, fileName), {
    synchronous,
    busyTimeoutMs: dataFileBusyTimeoutMs,
  });
}

/** Runs `work` in one write transaction (BEGIN IMMEDIATE takes the write lock first, so it never deadlocks on upgrade). */
export function inWriteTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
