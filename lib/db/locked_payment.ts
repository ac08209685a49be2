import type { RowDataPacket } from "mysql2/promise";
import { DomainError, NotFoundError } from "../domain/mod.ts";
import { affectedRows, rowsOf, type Statement } from "./batch.ts";
import {
  paymentFromRow,
  type PaymentOwner,
  type PaymentRecord,
  selectPaymentStatement,
} from "./payment_repo.ts";
import { refundFromRow, type RefundRecord, selectRefundsStatement } from "./refund_repo.ts";
import { isLockWaitTimeout } from "./db_errors.ts";
import type { Db } from "./port.ts";
import { inTransaction } from "./transaction.ts";
import type { Transaction } from "./port.ts";
import type { PlannedTransition } from "./transition.ts";

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

/** A payment under its row lock, with its refunds (only written under that lock). */
export interface LockedPayment {
  readonly payment: PaymentRecord;
  readonly refunds: readonly RefundRecord[];
}

/**
 * Locks the owner's payment (SELECT ... FOR UPDATE) and reads its refunds,
 * lets `decide` check the rules and plan the change, then writes it and
 * commits: three round trips, four with a key claim. `decide` throws a
 * domain error to refuse; nothing is written then. Another merchant's
 * payment, or one of the other mode, is not found (404, never 403).
 */
export async function runLockedCommand<T>(
  pool: Db,
  owner: PaymentOwner,
  paymentId: string,
  decide: (locked: LockedPayment) => Decision<T>,
  claim?: KeyClaim,
): Promise<{ payment: PaymentRecord; decision: Decision<T> }> {
  return await inTransaction(pool, async (tx) => {
    const locked = await lockPayment(tx, owner, paymentId, claim);
    const decision = decide(locked);
    await writeDecision(tx, paymentId, decision, claim);
    return { payment: locked.payment, decision };
  }, { deadlockAttemptsMax: commandDeadlockAttemptsMax });
}

/** Claims the key first when there is one, and locks the payment row. */
async function lockPayment(
  tx: Transaction,
  owner: PaymentOwner,
  paymentId: string,
  claim: KeyClaim | undefined,
): Promise<LockedPayment> {
  if (claim) {
    // Its own round trip: a lock wait timeout here means "the key is busy",
    // which must not be confused with one on the payment row.
    await tx.run([claim.claim]).catch((error) => {
      throw isLockWaitTimeout(error) ? keyInUse(claim.key) : error;
    });
  }
  const [selected, refunds] = await tx.run([
    selectPaymentStatement(owner, paymentId, true),
    selectRefundsStatement([paymentId]),
  ]);
  const row = rowsOf<RowDataPacket>(selected)[0];
  if (!row) throw new NotFoundError(`No such payment: ${paymentId}`, paymentId);
  return {
    payment: paymentFromRow(row),
    refunds: rowsOf<RowDataPacket>(refunds).map(refundFromRow),
  };
}

async function writeDecision<T>(
  tx: Transaction,
  paymentId: string,
  decision: Decision<T>,
  claim: KeyClaim | undefined,
): Promise<void> {
  const results = await tx.run([...decision.transition.statements, ...decision.extra]);
  if (affectedRows(results[0]) !== 1) {
    throw new Error(`Conditional update changed no row under lock: ${paymentId}`);
  }
  if (claim && affectedRows(results.at(-1)) !== 1) {
    throw new Error(`The claimed idempotency record was not completed: ${claim.key}`);
  }
}

function keyInUse(key: string): DomainError {
  return new DomainError(
    "idempotency_key_in_use",
    `A request with this idempotency key is still being processed: ${key}`,
  );
}
