import { mariadbDriver } from "./mariadb_db.ts";
import type { RowDataPacket } from "mysql2/promise";
import { releaseSchedulerLease, tryAcquireSchedulerLease } from "./lease_repo.ts";
import type { Db } from "./port.ts";

/**
 * SQLite: how long a named lock's row holds when its holder never releases it
 * (the process died). Longer than any reconciliation run.
 */
export const sqliteNamedLockLeaseMs = 30 * 60_000;

/**
 * Runs `work` while holding a named lock (no wait); false (without running
 * it) when another holder has it.
 *
 * MariaDB: GET_LOCK. The lock is the session's: it goes when the connection
 * does, so a crashed holder frees it at once.
 *
 * SQLite has no named locks, and its write lock cannot be held across `work`
 * (work runs its own transactions on the process's one connection, and every
 * other writer of the file would wait on it). The lock is a row of the lease
 * table (`named-lock:<name>`) with a fresh owner per call: taken when free or
 * run out, given up when `work` ends; a crashed holder's lock frees after
 * `sqliteNamedLockLeaseMs`.
 */
export async function withNamedLock(
  pool: Db,
  name: string,
  work: () => Promise<void>,
): Promise<boolean> {
  if (pool.dialect === "sqlite") return await withLeaseLock(pool, name, work);
  const connection = await mariadbDriver(pool).getConnection();
  try {
    const [rows] = await connection.query<RowDataPacket[]>("SELECT GET_LOCK(?, 0) AS ok", [name]);
    if (rows[0]?.ok !== 1) return false;
    try {
      await work();
    } finally {
      await connection.query("SELECT RELEASE_LOCK(?)", [name]);
    }
    return true;
  } finally {
    connection.release();
  }
}

async function withLeaseLock(
  pool: Db,
  name: string,
  work: () => Promise<void>,
): Promise<boolean> {
  const lease = { name: `named-lock:${name}`, owner: crypto.randomUUID() };
  const held = await tryAcquireSchedulerLease(pool, {
    ...lease,
    durationMs: sqliteNamedLockLeaseMs,
  });
  if (!held) return false;
  try {
    await work();
  } finally {
    await releaseSchedulerLease(pool, lease);
  }
  return true;
}
