import { sql } from "./batch.ts";
import type { Db } from "./port.ts";

/** Payments of one status and currency: how many, and their amounts in minor units. */
export interface StatusTotals {
  readonly status: string;
  readonly currency: string;
  readonly count: number;
  /** Authorized amount, minor units. */
  readonly amount: number;
  readonly capturedAmount: number;
  readonly refundedAmount: number;
}

/**
 * Payments with an id at or above `idFrom` (created since then: ids start
 * with their creation time), of one merchant or all, counted and summed by
 * status and currency. Amounts are never added across currencies.
 */
export async function paymentTotalsByStatus(
  pool: Db,
  idFrom: string,
  merchantId?: string,
): Promise<StatusTotals[]> {
  const rows = await pool.query(sql(
    `SELECT status, currency, COUNT(*) AS n, SUM(amount) AS amount,
            SUM(captured_amount) AS captured, SUM(refunded_amount) AS refunded
     FROM payment WHERE id >= ? ${merchantId ? "AND merchant_id = ?" : ""}
     GROUP BY status, currency ORDER BY status, currency`,
    ...(merchantId ? [idFrom, merchantId] : [idFrom]),
  ));
  return rows.map((r) => ({
    status: r.status,
    currency: r.currency,
    count: Number(r.n),
    amount: Number(r.amount),
    capturedAmount: Number(r.captured),
    refundedAmount: Number(r.refunded),
  }));
}
