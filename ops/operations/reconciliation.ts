import {
  type Db,
  latestReconciliationRuns,
  reconciliationMismatchesOf,
  type ReconciliationMismatchRecord,
  reconciliationRunById,
  type ReconciliationRunRecord,
} from "@pay/lib/db";
import { NotFoundError } from "@pay/lib/domain";
// workers/deno.json exports only ./dlq; the reconciliation library is reached by path.
import {
  reconcileDay,
  type ReconciliationReport,
  runReconciliation,
  utcDateOf,
} from "@pay/workers/reconciliation";
import type { OpsContext } from "./context.ts";

/** Mismatch rows a report shows; the run's counts stay exact beyond it. */
export const reportMismatchesMax = 200;

export interface ReconciliationReportView {
  readonly runs: readonly ReconciliationRunRecord[];
  /** The run whose mismatches are listed: `runId`, or the newest. */
  readonly run: ReconciliationRunRecord | null;
  readonly mismatches: readonly ReconciliationMismatchRecord[];
}

/** The latest runs, and the mismatches of one (the newest unless `runId` is given). */
export async function reconciliationReport(
  pool: Db,
  options: { limit: number; runId?: number },
): Promise<ReconciliationReportView> {
  const runs = await latestReconciliationRuns(pool, options.limit);
  let run: ReconciliationRunRecord | null = runs[0] ?? null;
  if (options.runId !== undefined) {
    run = runs.find((r) => r.id === options.runId) ??
      await reconciliationRunById(pool, options.runId);
    if (!run) throw new NotFoundError(`No reconciliation run with this id: ${options.runId}`);
  }
  const mismatches = run?.id === undefined
    ? []
    : await reconciliationMismatchesOf(pool, run.id, reportMismatchesMax);
  return { runs, run, mismatches };
}

/** Reconciles a day and stores the run (what the scheduler does), now. Default: yesterday (UTC). */
export async function triggerReconciliation(
  ctx: OpsContext,
  date?: string,
): Promise<{ runId: number } & ReconciliationReport> {
  const day = date ?? utcDateOf(new Date(ctx.now().getTime() - 86_400_000));
  const { runId, report } = await runReconciliation(
    { pool: ctx.pool, fetchReport: ctx.fetchReport, now: ctx.now },
    day,
  );
  return { runId, ...report };
}

/** Reconciles a day without storing anything (a read-only check). Default: today (UTC). */
export function reconciliationCheck(
  ctx: OpsContext,
  date?: string,
): Promise<ReconciliationReport> {
  return reconcileDay(
    { pool: ctx.pool, fetchReport: ctx.fetchReport },
    date ?? utcDateOf(ctx.now()),
  );
}
