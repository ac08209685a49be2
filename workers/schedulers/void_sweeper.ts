import { findUnvoidedPayments, insertMissingVoidRequest } from "@pay/lib/db";
import type { PassResult } from "./loop.ts";
import { reportRepairs, type SweepDeps, sweepWindow } from "./sweep_pass.ts";

/**
 * The void backstop: a CANCELLED or EXPIRED payment whose `payment.cancelled`
 * / `payment.expired` event left the outbox more than SWEEP_GRACE_MS ago and
 * that has no void_request gets the one the settlement consumer would have
 * created (one per payment, by its unique key, so a consumer racing the
 * sweeper leaves exactly one). The settlement retry scheduler then voids it
 * at the PG like any due request: it is created at the cancel time, older
 * than SETTLEMENT_RETRY_GRACE_MS, so the next retry pass claims it.
 */
export async function sweepVoids(deps: SweepDeps, now: Date): Promise<PassResult> {
  const payments = await findUnvoidedPayments(deps.pool, sweepWindow(deps.config, now));
  const repairedIds: string[] = [];
  for (const payment of payments) {
    if (await insertMissingVoidRequest(deps.pool, payment, now)) {
      repairedIds.push(payment.paymentId);
    }
  }
  return reportRepairs(deps, "void", payments.length, repairedIds);
}
