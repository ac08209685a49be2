import {
  type Db,
  ledgerTotalsOfPayments,
  paymentsWithLedgerEntriesBetween,
  type PgRequestKind,
  type ReconciliationCountKey,
  reconciliationCountKeys,
  requestsByIds,
  settledRequestsBetween,
  settledTotalsOfPayments,
  unbalancedLedgerEntriesBetween,
} from "@pay/lib/db";
import { ValidationError } from "@pay/lib/domain";
import {
  type PgSettlementEntry,
  type PgSettlementReport,
  settlementDatePattern,
} from "@pay/lib/pg";
import {
  amountMismatch,
  classifyPgOnly,
  compareLedger,
  compareSettlements,
  type Mismatch,
  missingAtPg,
} from "./compare.ts";
import { reconcileAuthorizations } from "./authorizations.ts";

const dayMs = 86_400_000;

export interface ReconcileDeps {
  readonly pool: Db;
  /** The PG's settlement report of a UTC day (fetchPgSettlementReport against pgsim). */
  readonly fetchReport: (date: string) => Promise<PgSettlementReport>;
}

/** What reconciling one day found. */
export interface ReconciliationReport {
  /** `YYYY-MM-DD`, UTC. */
  readonly date: string;
  readonly counts: Readonly<Record<ReconciliationCountKey, number>>;
  readonly mismatches: readonly Mismatch[];
  readonly clean: boolean;
}

/** The UTC day `date` as [start, end), or a ValidationError naming the bad value. */
export function utcDay(date: string): { readonly from: Date; readonly to: Date } {
  const startMs = Date.parse(`${date}T00:00:00.000Z`);
  if (
    !settlementDatePattern.test(date) || Number.isNaN(startMs) ||
    new Date(startMs).toISOString().slice(0, 10) !== date
  ) {
    throw new ValidationError(`date must be a UTC date YYYY-MM-DD: ${date}`, "date");
  }
  return { from: new Date(startMs), to: new Date(startMs + dayMs) };
}

/** The UTC date of `at`, `YYYY-MM-DD`. */
export function utcDateOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Reconciles one UTC day (a library function ops can call; nothing is stored):
 * - our SUCCESS capture and refund requests completed that day against the
 *   PG's report of the day, by idempotency key (= our request id). A request
 *   we completed just after midnight is looked up in the previous day's
 *   report; a PG entry we settled on another day is looked up by id.
 * - every payment touched that day (by a settled request or a ledger entry):
 *   its settled capture and refund totals against its ledger postings.
 * - every journal entry written that day balances.
 * - the PG's approved authorizations of the day against our payments of the
 *   day (when the report lists them): holds without a payment, payments the
 *   PG does not know (authorizations.ts).
 */
export async function reconcileDay(
  deps: ReconcileDeps,
  date: string,
): Promise<ReconciliationReport> {
  const day = utcDay(date);
  const report = await deps.fetchReport(date);
  let previousDay: PgSettlementReport | undefined;
  const previousReport = async () =>
    previousDay ??= await deps.fetchReport(utcDateOf(new Date(day.from.getTime() - dayMs)));

  let matched = 0;
  const mismatches: Mismatch[] = [];
  const touchedPayments = new Set<string>();
  for (const kind of ["capture", "refund"] as const) {
    const ours = await settledRequestsBetween(deps.pool, kind, day.from, day.to);
    for (const request of ours) touchedPayments.add(request.paymentId);
    const comparison = compareSettlements(ours, entriesOf(report, kind));
    matched += comparison.matched;
    mismatches.push(...comparison.mismatches);
    if (comparison.unmatchedOurs.length > 0) {
      const earlier = new Map(
        entriesOf(await previousReport(), kind).map((e) => [e.idempotencyKey, e]),
      );
      for (const request of comparison.unmatchedOurs) {
        const entry = earlier.get(request.id);
        const mismatch = entry ? amountMismatch(request, entry) : missingAtPg(request);
        if (mismatch) mismatches.push(mismatch);
        else matched++;
      }
    }
    const known = new Map(
      (await requestsByIds(deps.pool, kind, comparison.unmatchedPg.map((e) => e.idempotencyKey)))
        .map((r) => [r.id, r]),
    );
    for (const entry of comparison.unmatchedPg) {
      const result = classifyPgOnly(kind, entry, known.get(entry.idempotencyKey));
      if (result === "matched") matched++;
      else mismatches.push(result);
    }
  }
  mismatches.push(...await ledgerMismatches(deps.pool, day, touchedPayments));
  const authorizations = await reconcileAuthorizations(deps.pool, day, report, previousReport);
  mismatches.push(...authorizations?.mismatches ?? []);
  return summarize(date, matched, authorizations?.matched ?? 0, mismatches);
}

function entriesOf(report: PgSettlementReport, kind: PgRequestKind): PgSettlementEntry[] {
  return kind === "capture" ? report.captures : report.refunds;
}

async function ledgerMismatches(
  pool: Db,
  day: { from: Date; to: Date },
  touchedPayments: Set<string>,
): Promise<Mismatch[]> {
  for (const paymentId of await paymentsWithLedgerEntriesBetween(pool, day.from, day.to)) {
    touchedPayments.add(paymentId);
  }
  const paymentIds = [...touchedPayments];
  const mismatches = compareLedger(
    paymentIds,
    await settledTotalsOfPayments(pool, paymentIds),
    await ledgerTotalsOfPayments(pool, paymentIds),
  );
  for (const entry of await unbalancedLedgerEntriesBetween(pool, day.from, day.to)) {
    mismatches.push({
      kind: "ledger_unbalanced",
      operation: entry.entryType === "refund" ? "refund" : "capture",
      requestId: null,
      paymentId: entry.paymentId,
      ourAmount: entry.debits,
      otherAmount: entry.credits,
      detail: `Journal entry ${entry.entryId} debits ${entry.debits}, credits ${entry.credits}`,
    });
  }
  return mismatches;
}

/** Every count at zero. */
export function zeroCounts(): Record<ReconciliationCountKey, number> {
  return Object.fromEntries(reconciliationCountKeys.map((key) => [key, 0])) as Record<
    ReconciliationCountKey,
    number
  >;
}

function summarize(
  date: string,
  matched: number,
  authorizationsMatched: number,
  mismatches: Mismatch[],
): ReconciliationReport {
  const counts = { ...zeroCounts(), matched, authorizations_matched: authorizationsMatched };
  for (const mismatch of mismatches) counts[mismatch.kind]++;
  return { date, counts, mismatches, clean: mismatches.length === 0 };
}
