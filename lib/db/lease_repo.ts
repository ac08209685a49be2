import { mariadbDriver } from "./mariadb_db.ts";
import type { RowDataPacket } from "mysql2/promise";
import { rowsOf, runBatch, sql } from "./batch.ts";
import type { Db } from "./port.ts";

/**
 * Scheduler leases (`scheduler_lease`): of several worker processes running
 * one sweeper, the lease holder does the passes. Times are MariaDB's clock,
 * so workers with skewed clocks agree on who holds a lease.
 *
 * The holder renews its lease on every pass; a lease that ran out (its holder
 * stopped or hung) goes to the next process that asks. Correctness never
 * rests on the lease: every repair is idempotent by a unique key, so two
 * passes overlapping (a holder paused past its lease) do the work once.
 */
export async function tryAcquireSchedulerLease(
  pool: Db,
  lease: { readonly name: string; readonly owner: string; readonly durationMs: number },
): Promise<boolean> {
  const durationUs = lease.durationMs * 1_000;
  // Assignments run left to right: `expires_at` sees the new `owner`, so it is
  // extended exactly when this owner holds the lease after the first one.
  const [, selected] = await runBatch(pool, [
    sql(
      `INSERT INTO scheduler_lease (name, owner, expires_at, acquired_at)
       VALUES (?, ?, NOW(3) + INTERVAL ? MICROSECOND, NOW(3))
       ON DUPLICATE KEY UPDATE
         acquired_at = IF(owner <> VALUES(owner) AND expires_at <= NOW(3), NOW(3), acquired_at),
         owner = IF(owner = VALUES(owner) OR expires_at <= NOW(3), VALUES(owner), owner),
         expires_at = IF(owner = VALUES(owner), VALUES(expires_at), expires_at)`,
      lease.name,
      lease.owner,
      durationUs,
    ),
    sql("SELECT owner FROM scheduler_lease WHERE name = ?", lease.name),
  ]);
  return rowsOf<RowDataPacket>(selected)[0]?.owner === lease.owner;
}

/** Gives a lease up (clean shutdown), so another process takes over at once. */
export async function releaseSchedulerLease(
  pool: Db,
  lease: { readonly name: string; readonly owner: string },
): Promise<void> {
  await mariadbDriver(pool).query(
    "UPDATE scheduler_lease SET expires_at = NOW(3) WHERE name = ? AND owner = ?",
    [lease.name, lease.owner],
  );
}
