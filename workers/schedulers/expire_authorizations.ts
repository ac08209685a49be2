import type { RowDataPacket } from "mysql2/promise";
import {
  affectedRows,
  paymentFromRow,
  type PlannedTransition,
  planTransition,
  type Pool,
  rowsOf,
  runBatch,
  sql,
} from "@pay/lib/db";
import { countPaymentTransition, type Registry } from "@pay/lib/metrics";
import type { PassResult } from "./loop.ts";

export interface ExpiryPass {
  readonly now: Date;
  readonly batchSize: number;
}

/**
 * AUTHORIZED payments whose `auth_expires_at` passed → EXPIRED, with
 * `payment.expired` in the outbox, at most `batchSize` per transaction.
 * Payments another scheduler (or a capture in ingest) has locked are skipped
 * (SKIP LOCKED) and looked at again next pass, so several worker processes
 * never expire one payment twice and never wait on each other.
 */
export async function expireAuthorizations(
  pool: Pool,
  pass: ExpiryPass,
  registry: Registry,
): Promise<PassResult> {
  const connection = await pool.getConnection();
  let planned: PlannedTransition[] = [];
  try {
    const [, selected] = await runBatch(connection, [
      sql("START TRANSACTION"),
      sql(
        `SELECT * FROM payment WHERE status = 'AUTHORIZED' AND auth_expires_at <= ?
         ORDER BY auth_expires_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        pass.now,
        pass.batchSize,
      ),
    ]);
    const payments = rowsOf<RowDataPacket>(selected).map(paymentFromRow);
    planned = payments.map((payment) =>
      planTransition({ payment, action: "expire", amount: payment.amount, at: pass.now })
    );
    if (planned.length > 0) {
      const results = await runBatch(connection, planned.flatMap((p) => p.statements));
      let index = 0;
      for (const p of planned) {
        if (affectedRows(results[index]) !== 1) {
          throw new Error(`Conditional update changed no row under lock: expiry of a payment`);
        }
        index += p.statements.length;
      }
    }
    await connection.query("COMMIT");
  } catch (error) {
    await connection.query("ROLLBACK").catch(() => connection.destroy());
    throw error;
  } finally {
    connection.release();
  }
  for (const p of planned) countPaymentTransition(registry, p.from, p.to);
  return { items: planned.length, more: planned.length === pass.batchSize };
}
