import { type Db, purgeExpiredIdempotencyRecords } from "@pay/lib/db";
import type { PassResult } from "./loop.ts";

/**
 * Deletes idempotency records past their retention (IDEMPOTENCY_RETENTION),
 * one bounded DELETE per pass. Several workers may run it at once: each
 * DELETE removes rows nobody else is deleting, or waits briefly and finds
 * them gone.
 */
export async function purgeIdempotencyRecords(
  pool: Db,
  now: Date,
  batchSize: number,
): Promise<PassResult> {
  const items = await purgeExpiredIdempotencyRecords(pool, now, batchSize);
  return { items, more: items === batchSize };
}
