/**
 * The comparisons of reconciliation, as pure functions: our settled requests
 * against the PG's settlement report, and our settled totals against the
 * ledger's. No I/O here; reconcile.ts gathers the inputs.
 */
import type { PgRequestKind, SettledRequest } from "@pay/lib/db";
import type { PgSettlementEntry } from "@pay/lib/pg";

export const mismatchKinds = [
  /** We recorded a SUCCESS the PG has no record of. */
  "missing_at_pg",
  /** The PG settled something we have no SUCCESS for. */
  "missing_here",
  /** Both sides have it, with different amounts or currencies. */
  "amount_mismatch",
  /** A payment's ledger postings differ from its settled requests. */
  "ledger_mismatch",
  /** A journal entry whose debits and credits differ. */
  "ledger_unbalanced",
  /** The PG holds an approved authorization (not voided) we have no payment for. */
  "hold_without_payment",
  /** A payment here whose authorization the PG does not report. */
  "payment_unknown_at_pg",
] as const;

export type MismatchKind = typeof mismatchKinds[number];

export interface Mismatch {
  readonly kind: MismatchKind;
  readonly operation: PgRequestKind | "authorize";
  readonly requestId: string | null;
  readonly paymentId: string | null;
  /** Ours: the request's amount, or the payment's settled total. */
  readonly ourAmount: number | null;
  /** Theirs: the PG's amount, or the ledger's total. */
  readonly otherAmount: number | null;
  readonly detail: string;
}

export interface SettlementComparison {
  readonly matched: number;
  readonly mismatches: Mismatch[];
  /** Ours with no entry in the report: looked up in the previous day's report before reporting. */
  readonly unmatchedOurs: SettledRequest[];
  /** PG entries with no request of ours of the day: looked up by id before reporting. */
  readonly unmatchedPg: PgSettlementEntry[];
}

/** Matches our settled requests of one kind with the PG's entries of the same kind, by idempotency key. */
export function compareSettlements(
  ours: readonly SettledRequest[],
  pg: readonly PgSettlementEntry[],
): SettlementComparison {
  const pgByKey = new Map(pg.map((entry) => [entry.idempotencyKey, entry]));
  const seen = new Set<string>();
  let matched = 0;
  const mismatches: Mismatch[] = [];
  const unmatchedOurs: SettledRequest[] = [];
  for (const request of ours) {
    const entry = pgByKey.get(request.id);
    if (!entry) {
      unmatchedOurs.push(request);
      continue;
    }
    seen.add(request.id);
    const mismatch = amountMismatch(request, entry);
    if (mismatch) mismatches.push(mismatch);
    else matched++;
  }
  const unmatchedPg = pg.filter((entry) => !seen.has(entry.idempotencyKey));
  return { matched, mismatches, unmatchedOurs, unmatchedPg };
}

export function amountMismatch(
  request: SettledRequest,
  entry: PgSettlementEntry,
): Mismatch | undefined {
  if (request.amount === entry.amount && request.currency === entry.currency) return undefined;
  return {
    kind: "amount_mismatch",
    operation: request.kind,
    requestId: request.id,
    paymentId: request.paymentId,
    ourAmount: request.amount,
    otherAmount: entry.amount,
    detail:
      `Ours ${request.amount} ${request.currency}, PG ${entry.amount} ${entry.currency} (${entry.pgId})`,
  };
}

export function missingAtPg(request: SettledRequest): Mismatch {
  return {
    kind: "missing_at_pg",
    operation: request.kind,
    requestId: request.id,
    paymentId: request.paymentId,
    ourAmount: request.amount,
    otherAmount: null,
    detail: `SUCCESS here, no ${request.kind} with this idempotency key in the PG's report`,
  };
}

/**
 * A PG entry with no request of ours settled that day: matched when we
 * settled it on another day (a call straddling midnight), an amount mismatch
 * when our amount differs, else missing here (we have no SUCCESS for it).
 */
export function classifyPgOnly(
  kind: PgRequestKind,
  entry: PgSettlementEntry,
  ours: SettledRequest | undefined,
): Mismatch | "matched" {
  if (ours?.status === "SUCCESS") return amountMismatch(ours, entry) ?? "matched";
  return {
    kind: "missing_here",
    operation: kind,
    requestId: entry.idempotencyKey,
    paymentId: ours?.paymentId ?? entry.reference,
    ourAmount: null,
    otherAmount: entry.amount,
    detail: ours
      ? `PG ${kind} ${entry.pgId} settled; our request is ${ours.status}`
      : `PG ${kind} ${entry.pgId} settled; no such request here`,
  };
}

export interface PaymentTotals {
  readonly capture: number;
  readonly refund: number;
}

/** Per payment and kind: what the settled requests add up to against what the ledger posted. */
export function compareLedger(
  paymentIds: Iterable<string>,
  settled: ReadonlyMap<string, PaymentTotals>,
  posted: ReadonlyMap<string, PaymentTotals>,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const paymentId of paymentIds) {
    for (const kind of ["capture", "refund"] as const) {
      const ours = settled.get(paymentId)?.[kind] ?? 0;
      const ledger = posted.get(paymentId)?.[kind] ?? 0;
      if (ours === ledger) continue;
      mismatches.push({
        kind: "ledger_mismatch",
        operation: kind,
        requestId: null,
        paymentId,
        ourAmount: ours,
        otherAmount: ledger,
        detail: `Settled ${kind}s total ${ours}, ledger ${kind} entries total ${ledger}`,
      });
    }
  }
  return mismatches;
}
