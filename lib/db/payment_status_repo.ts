import { sql } from "./batch.ts";
import type { PaymentStatus } from "../domain/mod.ts";
import type { Db } from "./port.ts";

/** Where one payment stands now. */
export interface PaymentState {
  readonly id: string;
  readonly status: PaymentStatus;
  readonly updatedAt: Date;
}

/** The states of these payments (one query: callers keep the list to a few thousand ids). */
export async function paymentStatesByIds(
  pool: Db,
  paymentIds: readonly string[],
): Promise<PaymentState[]> {
  if (paymentIds.length === 0) return [];
  const rows = await pool.query(
    sql("SELECT id, status, updated_at FROM payment WHERE id IN (?) ORDER BY id", paymentIds),
  );
  return rows.map((row) => ({ id: row.id, status: row.status, updatedAt: row.updated_at }));
}

/** How many payments of these merchants are in each status (statuses with none are absent). */
export async function paymentCountsByStatus(
  pool: Db,
  merchantIds: readonly string[],
): Promise<Array<{ readonly status: PaymentStatus; readonly count: number }>> {
  if (merchantIds.length === 0) return [];
  const rows = await pool.query(sql(
    "SELECT status, COUNT(*) AS n FROM payment WHERE merchant_id IN (?) GROUP BY status ORDER BY status",
    merchantIds,
  ));
  return rows.map((row) => ({ status: row.status, count: Number(row.n) }));
}

/** How many payments of these merchants are in one of `statuses`. */
export async function countPaymentsInStatuses(
  pool: Db,
  merchantIds: readonly string[],
  statuses: readonly string[],
): Promise<number> {
  if (merchantIds.length === 0 || statuses.length === 0) return 0;
  const rows = await pool.query(sql(
    "SELECT COUNT(*) AS n FROM payment WHERE merchant_id IN (?) AND status IN (?)",
    merchantIds,
    statuses,
  ));
  return Number(rows[0]?.n ?? 0);
}
