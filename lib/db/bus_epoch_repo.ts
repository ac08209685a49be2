import { affectedRows, rowsOf, sql } from "./batch.ts";
import { isDuplicateKey } from "./db_errors.ts";
import { nowPlusMs } from "./dialect.ts";
import type { Db } from "./port.ts";
import { inTransaction } from "./transaction.ts";
import type { Dialect, Transaction } from "./port.ts";

/**
 * The bus epoch the outbox was published into (`bus_epoch`), and the replay
 * of the outbox window a bus that lost its data may not have delivered.
 */
export type BusEpochOutcome =
  /** First sight of this bus: the epoch is recorded, nothing replayed. */
  | { readonly kind: "recorded" }
  | { readonly kind: "unchanged" }
  /** The epoch changed and this call moved the window back to NEW. */
  | { readonly kind: "replayed"; readonly previousEpoch: string; readonly rows: number };

export interface BusEpochCheck {
  /** The bus adapter's name, e.g. `redis`. */
  readonly bus: string;
  /** The epoch the bus reports now. */
  readonly epoch: string;
  /** Rows published within this window before now are re-published on a change. */
  readonly replayWindowMs: number;
}

/**
 * Compares the bus's epoch with the recorded one. On a change, ONE
 * transaction records the new epoch (under the row lock, so of several
 * relays exactly one sees the change) and sets the outbox rows PUBLISHED within the window back
 * to NEW, due at their creation time so the relays send them again first and
 * in their original order. Consumers are idempotent: rows the bus did deliver
 * are absorbed as duplicates.
 *
 * READ COMMITTED takes no gap locks, so ingest's inserts never wait on it.
 * `next_attempt_at` of a PUBLISHED row is its claim time plus the relay
 * lease, never before its `published_at`, so the window is an index range of
 * ix_outbox_due.
 */
export async function checkBusEpoch(pool: Db, check: BusEpochCheck): Promise<BusEpochOutcome> {
  try {
    return await inTransaction(pool, (tx) => recordBusEpoch(tx, pool.dialect, check), {
      isolation: "READ COMMITTED",
    });
  } catch (error) {
    // Two relays recording a new bus at once: the other one's row is the same epoch.
    if (isDuplicateKey(error)) return { kind: "recorded" };
    throw error;
  }
}

async function recordBusEpoch(
  tx: Transaction,
  dialect: Dialect,
  check: BusEpochCheck,
): Promise<BusEpochOutcome> {
  const [selected] = await tx.run([
    sql("SELECT epoch FROM bus_epoch WHERE bus = ? FOR UPDATE", check.bus),
  ]);
  const recorded = rowsOf(selected)[0];
  if (!recorded) {
    await tx.commit([
      sql(
        "INSERT INTO bus_epoch (bus, epoch, recorded_at) VALUES (?, ?, NOW(3))",
        check.bus,
        check.epoch,
      ),
    ]);
    return { kind: "recorded" };
  }
  if (recorded.epoch === check.epoch) return { kind: "unchanged" };
  const [, replayed] = await tx.commit([
    sql(
      "UPDATE bus_epoch SET epoch = ?, recorded_at = NOW(3) WHERE bus = ?",
      check.epoch,
      check.bus,
    ),
    sql(
      `UPDATE outbox_event SET status = 'NEW', next_attempt_at = created_at
         WHERE status = 'PUBLISHED'
           AND next_attempt_at >= ${nowPlusMs(dialect)}
           AND published_at >= ${nowPlusMs(dialect)}`,
      -check.replayWindowMs,
      -check.replayWindowMs,
    ),
  ]);
  return { kind: "replayed", previousEpoch: recorded.epoch, rows: affectedRows(replayed) };
}
