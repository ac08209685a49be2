import { rowsOf, runBatch, sql, type Statement } from "./batch.ts";
import { insertedValue, nowPlusMs, onDuplicateUpdate } from "./dialect.ts";
import type { Db, Dialect } from "./port.ts";

/**
 * Scheduler leases (`scheduler_lease`): of several worker processes running
 * one sweeper, the lease holder does the passes. Times are the database's
 * clock, so workers with skewed clocks agree on who holds a lease.
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
  const [, selected] = await runBatch(pool, [
    leaseUpsert(pool.dialect, lease),
    sql("SELECT owner FROM scheduler_lease WHERE name = ?", lease.name),
  ]);
  return rowsOf(selected)[0]?.owner === lease.owner;
}

/**
 * Takes or renews the lease row. The lease changes hands only when it ran
 * out; its holder extends it. MariaDB evaluates an UPDATE's assignments left
 * to right (`expires_at` sees the new `owner`), SQLite against the old row,
 * so each dialect states the same rule in its own order.
 */
function leaseUpsert(
  dialect: Dialect,
  lease: { readonly name: string; readonly owner: string; readonly durationMs: number },
): Statement {
  const owner = insertedValue(dialect, "owner");
  const expiresAt = insertedValue(dialect, "expires_at");
  const assignments = dialect === "mariadb"
    ? `acquired_at = IF(owner <> ${owner} AND expires_at <= NOW(3), NOW(3), acquired_at),
       owner = IF(owner = ${owner} OR expires_at <= NOW(3), ${owner}, owner),
       expires_at = IF(owner = ${owner}, ${expiresAt}, expires_at)`
    : `acquired_at = CASE WHEN owner <> ${owner} AND expires_at <= NOW(3) THEN NOW(3) ELSE acquired_at END,
       owner = CASE WHEN owner = ${owner} OR expires_at <= NOW(3) THEN ${owner} ELSE owner END,
       expires_at = CASE WHEN owner = ${owner} OR expires_at <= NOW(3) THEN ${expiresAt} ELSE expires_at END`;
  return sql(
    `INSERT INTO scheduler_lease (name, owner, expires_at, acquired_at)
     VALUES (?, ?, ${nowPlusMs(dialect)}, NOW(3))
     ${onDuplicateUpdate(dialect, ["name"], assignments)}`,
    lease.name,
    lease.owner,
    lease.durationMs,
  );
}

/** Gives a lease up (clean shutdown), so another process takes over at once. */
export async function releaseSchedulerLease(
  pool: Db,
  lease: { readonly name: string; readonly owner: string },
): Promise<void> {
  await pool.execute(
    sql(
      "UPDATE scheduler_lease SET expires_at = NOW(3) WHERE name = ? AND owner = ?",
      lease.name,
      lease.owner,
    ),
  );
}
