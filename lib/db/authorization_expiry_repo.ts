import type { RowDataPacket } from "mysql2/promise";
import { affectedRows, rowsOf, sql } from "./batch.ts";
import { paymentFromRow } from "./payment_repo.ts";
import type { Db } from "./port.ts";
import { inTransaction } from "./transaction.ts";
import { type PlannedTransition, planTransition } from "./transition.ts";

export interface ExpiryClaim {
  readonly now: Date;
  readonly batchSize: number;
}

/**
 * AUTHORIZED payments whose `auth_expires_at` passed → EXPIRED (with their
 * history row and `payment.expired` in the outbox), at most `batchSize` in
 * one transaction; returns the transitions made. Payments another scheduler
 * (or a capture in ingest) has locked are skipped (SKIP LOCKED) and looked at
 * again next pass, so several worker processes never expire one payment twice
 * and never wait on each other.
 */
export async function expireDueAuthorizations(
  pool: Db,
  claim: ExpiryClaim,
): Promise<PlannedTransition[]> {
  return await inTransaction(pool, async (tx) => {
    const [selected] = await tx.run([
      sql(
        `SELECT * FROM payment WHERE status = 'AUTHORIZED' AND auth_expires_at <= ?
         ORDER BY auth_expires_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        claim.now,
        claim.batchSize,
      ),
    ]);
    const planned = rowsOf<RowDataPacket>(selected).map(paymentFromRow).map((payment) =>
      planTransition({ payment, action: "expire", amount: payment.amount, at: claim.now })
    );
    if (planned.length === 0) return planned;
    const results = await tx.run(planned.flatMap((p) => p.statements));
    let index = 0;
    for (const p of planned) {
      if (affectedRows(results[index]) !== 1) {
        throw new Error(`Conditional update changed no row under lock: expiry of a payment`);
      }
      index += p.statements.length;
    }
    return planned;
  });
}
