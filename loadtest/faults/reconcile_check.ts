/**
 * Reconciliation, run in-process (workers/reconciliation `reconcileDay`, the
 * function `deno task reconcile` runs, read-only) against the private
 * database and pgsim's settlement report, for every UTC day the scenario
 * touched. Mismatches of the scenario's payments are violations.
 */
import type { Db } from "@pay/lib/db";
import { fetchPgSettlementReport } from "@pay/lib/pg";
import { reconcileDay, utcDateOf } from "../../workers/reconciliation/mod.ts";
import type { Violation } from "./violations.ts";

/** Timeout of fetching one day's settlement report from pgsim. */
const reportTimeoutMs = 10_000;

export async function reconcileViolations(
  pool: Db,
  pgsimUrl: string,
  paymentIds: ReadonlySet<string>,
  sinceMs: number,
): Promise<Violation[]> {
  const dates = [...new Set([utcDateOf(new Date(sinceMs)), utcDateOf(new Date())])];
  const violations: Violation[] = [];
  for (const date of dates) {
    const report = await reconcileDay({
      pool,
      fetchReport: (day) =>
        fetchPgSettlementReport({ baseUrl: pgsimUrl, timeoutMs: reportTimeoutMs }, day),
    }, date);
    for (const mismatch of report.mismatches) {
      if (mismatch.paymentId === null || !paymentIds.has(mismatch.paymentId)) continue;
      violations.push({
        invariant: "reconcile-clean",
        subject: mismatch.paymentId,
        detail: `${mismatch.kind} ${mismatch.operation}: ${mismatch.detail}`,
      });
    }
  }
  return violations;
}
