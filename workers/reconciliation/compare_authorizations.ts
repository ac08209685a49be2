/**
 * Authorizations in reconciliation (DESIGN §10), as pure functions: the
 * holds the PG approved on a day against the payments we created that day,
 * matched by the PG's authorization id. No I/O here; authorizations.ts
 * gathers the inputs.
 */
import type { AttemptWithPayment, AuthorizedPaymentRow } from "@pay/lib/db";
import type { PgAuthorizationEntry } from "@pay/lib/pg";
import type { Mismatch } from "./compare.ts";

export interface AuthorizationComparison {
  readonly matched: number;
  readonly mismatches: Mismatch[];
  /** Our payments with no approval in the day's report: looked up in the previous day's. */
  readonly unmatchedOurs: AuthorizedPaymentRow[];
  /** The PG's approvals with no payment of the day: looked up through our attempts. */
  readonly unmatchedPg: PgAuthorizationEntry[];
}

export function compareAuthorizations(
  ours: readonly AuthorizedPaymentRow[],
  pg: readonly PgAuthorizationEntry[],
): AuthorizationComparison {
  const pgById = new Map(pg.map((entry) => [entry.authorizationId, entry]));
  const seen = new Set<string>();
  let matched = 0;
  const mismatches: Mismatch[] = [];
  const unmatchedOurs: AuthorizedPaymentRow[] = [];
  for (const payment of ours) {
    const entry = payment.pgAuthorizationId === null
      ? undefined
      : pgById.get(payment.pgAuthorizationId);
    if (!entry) {
      unmatchedOurs.push(payment);
      continue;
    }
    seen.add(entry.authorizationId);
    const mismatch = authorizationAmountMismatch(payment.id, payment, entry);
    if (mismatch) mismatches.push(mismatch);
    else matched++;
  }
  const unmatchedPg = pg.filter((entry) => !seen.has(entry.authorizationId));
  return { matched, mismatches, unmatchedOurs, unmatchedPg };
}

export function authorizationAmountMismatch(
  paymentId: string,
  ours: { readonly amount: number; readonly currency: string },
  entry: PgAuthorizationEntry,
): Mismatch | undefined {
  if (ours.amount === entry.amount && ours.currency === entry.currency) return undefined;
  return {
    kind: "amount_mismatch",
    operation: "authorize",
    requestId: entry.idempotencyKey,
    paymentId,
    ourAmount: ours.amount,
    otherAmount: entry.amount,
    detail:
      `Ours ${ours.amount} ${ours.currency}, PG ${entry.amount} ${entry.currency} (${entry.authorizationId})`,
  };
}

/**
 * A PG approval with no payment of the day: matched when its attempt led to
 * a payment (created on another day), harmless when the hold is voided (the
 * janitor's repair, or a cancel), else a hold without a payment: the
 * cardholder's funds are held for nothing.
 */
export function classifyPgOnlyAuthorization(
  entry: PgAuthorizationEntry,
  attempt: AttemptWithPayment | undefined,
): Mismatch | "matched" {
  if (attempt?.paymentId) {
    return authorizationAmountMismatch(attempt.paymentId, {
      amount: attempt.paymentAmount ?? 0,
      currency: attempt.paymentCurrency ?? "",
    }, entry) ?? "matched";
  }
  if (entry.status === "CANCELLED") return "matched";
  const here = attempt
    ? `our attempt is ${attempt.status}${attempt.outcome ? ` (${attempt.outcome})` : ""}`
    : "no attempt or payment here";
  return {
    kind: "hold_without_payment",
    operation: "authorize",
    requestId: entry.idempotencyKey,
    paymentId: null,
    ourAmount: null,
    otherAmount: entry.amount,
    detail: `PG authorization ${entry.authorizationId} is ${entry.status}; ${here}`,
  };
}

/** A payment whose authorization is in neither the day's nor the previous day's report. */
export function paymentUnknownAtPg(payment: AuthorizedPaymentRow): Mismatch {
  return {
    kind: "payment_unknown_at_pg",
    operation: "authorize",
    requestId: payment.pgAuthorizationId,
    paymentId: payment.id,
    ourAmount: payment.amount,
    otherAmount: null,
    detail: `Payment ${payment.status} here; the PG reports no approved authorization ${
      payment.pgAuthorizationId ?? "(none recorded)"
    }`,
  };
}
