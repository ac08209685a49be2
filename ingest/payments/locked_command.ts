import {
  affectedRows,
  type Connection,
  isDeadlock,
  isLockWaitTimeout,
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
import { DomainError, NotFoundError } from "@pay/lib/domain";
import type { RowDataPacket } from "mysql2/promise";

/** What a command decided for a locked payment. */
export interface Decision<T> {
  readonly transition: PlannedTransition;
  /** More statements for the same transaction (request rows, idempotency record). */
  readonly extra: readonly Statement[];
  readonly result: T;
}

/**
 * A keyed command's idempotency record: `claim` opens the transaction (it
 * waits while a concurrent request with the same key holds the record), and
 * the last of the decision's `extra` statements completes it.
 */
export interface KeyClaim {
  readonly claim: Statement;
  readonly key: string;
}

/**
 * Times a transaction is run when MariaDB picks it as a deadlock victim.
 * Several requests waiting on one claimed key deadlock among themselves when
 * its holder rolls back (InnoDB's shared-to-exclusive lock upgrade); the
 * victim lost nothing and runs again.
 */
export const commandDeadlockAttemptsMax = 3;

/**
 * Locks the merchant's payment (SELECT ... FOR UPDATE), lets `decide` check
 * the rules and plan the change, then writes it and commits: three round
 * trips, four with a key claim. `decide` throws a domain error to refuse;
 * nothing is written then. Another merchant's payment is not found (404,
 * never 403).
 */
export async function runLockedCommand<T>(
  pool: Pool,
  merchantId: string,
  paymentId: string,
  decide: (payment: PaymentRecord) => Decision<T>,
  claim?: KeyClaim,
): Promise<{ payment: PaymentRecord; decision: Decision<T> }> {
  for (let attempt = 1;; attempt++) {
    try {
      return await runOnce(pool, merchantId, paymentId, decide, claim);
    } catch (error) {
      if (!isDeadlock(error) || attempt >= commandDeadlockAttemptsMax) throw error;
    }
  }
}

async function runOnce<T>(
  pool: Pool,
  merchantId: string,
  paymentId: string,
  decide: (payment: PaymentRecord) => Decision<T>,
  claim: KeyClaim | undefined,
): Promise<{ payment: PaymentRecord; decision: Decision<T> }> {
  const connection = await pool.getConnection();
  try {
    const payment = await lockPayment(connection, merchantId, paymentId, claim);
    const decision = decide(payment);
    const results = await runBatch(connection, [
      ...decision.transition.statements,
      ...decision.extra,
    ]);
    if (affectedRows(results[0]) !== 1) {
      throw new Error(`Conditional update changed no row under lock: ${paymentId}`);
    }
    if (claim && affectedRows(results.at(-1)) !== 1) {
      throw new Error(`The claimed idempotency record was not completed: ${claim.key}`);
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

/** Opens the transaction, claims the key first when there is one, and locks the payment row. */
async function lockPayment(
  connection: Connection,
  merchantId: string,
  paymentId: string,
  claim: KeyClaim | undefined,
): Promise<PaymentRecord> {
  const select = selectPaymentStatement(merchantId, paymentId, true);
  let selected;
  if (claim) {
    // Its own round trip: a lock wait timeout here means "the key is busy",
    // which must not be confused with one on the payment row.
    await runBatch(connection, [sql("START TRANSACTION"), claim.claim]).catch((error) => {
      throw isLockWaitTimeout(error) ? keyInUse(claim.key) : error;
    });
    [selected] = await runBatch(connection, [select]);
  } else {
    [, selected] = await runBatch(connection, [sql("START TRANSACTION"), select]);
  }
  const row = rowsOf<RowDataPacket>(selected)[0];
  if (!row) throw new NotFoundError(`No such payment: ${paymentId}`, paymentId);
  return paymentFromRow(row);
}

function keyInUse(key: string): DomainError {
  return new DomainError(
    "idempotency_key_in_use",
    `A request with this idempotency key is still being processed: ${key}`,
  );
}
