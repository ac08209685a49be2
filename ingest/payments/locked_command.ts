import {
  affectedRows,
  paymentFromRow,
  type PaymentRecord,
  type PlannedTransition,
  type Pool,
  rowsOf,
  runBatch,
  selectPaymentStatement,
  sql,
  type Statement,
} from "@pay/lib/db";
import { NotFoundError } from "@pay/lib/domain";
import type { RowDataPacket } from "mysql2/promise";

/** What a command decided for a locked payment. */
export interface Decision<T> {
  readonly transition: PlannedTransition;
  /** More statements for the same transaction (request rows, idempotency record). */
  readonly extra: readonly Statement[];
  readonly result: T;
}

/**
 * Locks the merchant's payment (SELECT ... FOR UPDATE), lets `decide` check
 * the rules and plan the change, then writes it and commits: three round
 * trips. `decide` throws a domain error to refuse; nothing is written then.
 * Another merchant's payment is not found (404, never 403).
 */
export async function runLockedCommand<T>(
  pool: Pool,
  merchantId: string,
  paymentId: string,
  decide: (payment: PaymentRecord) => Decision<T>,
): Promise<{ payment: PaymentRecord; decision: Decision<T> }> {
  const connection = await pool.getConnection();
  try {
    const [, selected] = await runBatch(connection, [
      sql("START TRANSACTION"),
      selectPaymentStatement(merchantId, paymentId, true),
    ]);
    const row = rowsOf<RowDataPacket>(selected)[0];
    if (!row) throw new NotFoundError(`No such payment: ${paymentId}`, paymentId);
    const payment = paymentFromRow(row);
    const decision = decide(payment);
    const results = await runBatch(connection, [
      ...decision.transition.statements,
      ...decision.extra,
    ]);
    if (affectedRows(results[0]) !== 1) {
      throw new Error(`Conditional update changed no row under lock: ${paymentId}`);
    }
    await connection.query("COMMIT");
    return { payment, decision };
  } catch (error) {
    await connection.query("ROLLBACK").catch(() => connection.destroy());
    throw error;
  } finally {
    connection.release();
  }
}
