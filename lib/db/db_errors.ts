/**
 * What a driver's error means, for both adapters: mysql2 sets MariaDB's
 * `code`; node:sqlite throws `ERR_SQLITE_ERROR` with SQLite's message.
 */
interface DriverError {
  readonly code?: string;
  readonly message?: string;
}

const sqliteErrorCode = "ERR_SQLITE_ERROR";

function sqliteMessage(error: unknown): string | undefined {
  const e = error as DriverError | undefined;
  return e?.code === sqliteErrorCode ? String(e.message ?? "") : undefined;
}

/** A duplicate key on a unique index or primary key. */
export function isDuplicateKey(error: unknown): boolean {
  if ((error as DriverError)?.code === "ER_DUP_ENTRY") return true;
  return /^(UNIQUE|PRIMARY KEY) constraint failed/.test(sqliteMessage(error) ?? "");
}

/**
 * The statement waited too long for a lock: MariaDB's innodb_lock_wait_timeout
 * on a row, or SQLite's busy timeout on the file's write lock.
 */
export function isLockWaitTimeout(error: unknown): boolean {
  if ((error as DriverError)?.code === "ER_LOCK_WAIT_TIMEOUT") return true;
  return isSqliteBusy(error);
}

/** MariaDB chose this transaction as a deadlock victim and rolled it back: it may simply run again. */
export function isDeadlock(error: unknown): boolean {
  return (error as DriverError)?.code === "ER_LOCK_DEADLOCK";
}

/** SQLite: another connection holds the lock past the busy timeout (SQLITE_BUSY / SQLITE_LOCKED). */
export function isSqliteBusy(error: unknown): boolean {
  return /^database (table )?is locked/.test(sqliteMessage(error) ?? "");
}
