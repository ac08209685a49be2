import { attemptsWithPaymentsByPgKeys, authorizedPaymentsBetween, type Db } from "@pay/lib/db";
import type { PgAuthorizationEntry, PgSettlementReport } from "@pay/lib/pg";
import type { Mismatch } from "./compare.ts";
import {
  authorizationAmountMismatch,
  classifyPgOnlyAuthorization,
  compareAuthorizations,
  paymentUnknownAtPg,
} from "./compare_authorizations.ts";

export interface AuthorizationReconciliation {
  readonly matched: number;
  readonly mismatches: Mismatch[];
}

/**
 * One UTC day of authorizations: the PG's approved holds of the day against
 * our payments created that day, by authorization id. A payment made just
 * after midnight for an approval just before is found in the previous day's
 * report; an approval whose payment was made the next day is found through
 * its authorization attempt (keyed by the PG idempotency key). Undefined when
 * the PG's report carries no authorizations (nothing to compare with).
 */
export async function reconcileAuthorizations(
  pool: Db,
  day: { readonly from: Date; readonly to: Date },
  report: PgSettlementReport,
  previousReport: () => Promise<PgSettlementReport>,
): Promise<AuthorizationReconciliation | undefined> {
  if (report.authorizations === undefined) return undefined;
  const ours = await authorizedPaymentsBetween(pool, day.from, day.to);
  const comparison = compareAuthorizations(ours, report.authorizations);
  let matched = comparison.matched;
  const mismatches = [...comparison.mismatches];

  if (comparison.unmatchedOurs.length > 0) {
    const earlier = new Map(
      ((await previousReport()).authorizations ?? []).map((e) => [e.authorizationId, e]),
    );
    for (const payment of comparison.unmatchedOurs) {
      const entry: PgAuthorizationEntry | undefined = payment.pgAuthorizationId === null
        ? undefined
        : earlier.get(payment.pgAuthorizationId);
      const mismatch = entry
        ? authorizationAmountMismatch(payment.id, payment, entry)
        : paymentUnknownAtPg(payment);
      if (mismatch) mismatches.push(mismatch);
      else matched++;
    }
  }

  const attempts = new Map(
    (await attemptsWithPaymentsByPgKeys(pool, comparison.unmatchedPg.map((e) => e.idempotencyKey)))
      .map((a) => [a.pgKey, a]),
  );
  for (const entry of comparison.unmatchedPg) {
    const result = classifyPgOnlyAuthorization(entry, attempts.get(entry.idempotencyKey));
    if (result === "matched") matched++;
    else mismatches.push(result);
  }
  return { matched, mismatches };
}
