import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";

/**
 * How long a write waits for another process holding the file's write lock
 * (the two ingest instances share the nonce file). Writes here take
 * microseconds; a second means the other process is stuck, and the caller's
 * request fails rather than hang.
 */
export const dataFileBusyTimeoutMs = 1_000;

/**
 * `FULL`: a commit survives a power cut (carts a shopper filled).
 * `NORMAL`: a commit survives a process crash, not a power cut (nonces that
 * live 30 s are not worth an fsync per request).
 */
export type Synchronous = "FULL" | "NORMAL";

/**
 * A SQLite file of the embedded profile under `dataDir` (created when
 * missing), in WAL mode so several processes can read while one writes.
 * Deno's built-in `node:sqlite`: no native addon. Needs read and write
 * permission on `dataDir`.
 */
export function openDataFile(
  dataDir: string,
  fileName: string,
  synchronous: Synchronous,
): DatabaseSync {
  Deno.mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, fileName));
  db.exec(`PRAGMA busy_timeout = ${dataFileBusyTimeoutMs}`);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(`PRAGMA synchronous = ${synchronous}`);
  return db;
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
