import { insertReconciliationRun, type ReconciliationRunRecord } from "@pay/lib/db";
import { prom, type Registry } from "@pay/lib/metrics";
import { mismatchKinds } from "./compare.ts";
import {
  reconcileDay,
  type ReconcileDeps,
  type ReconciliationReport,
  zeroCounts,
} from "./reconcile.ts";

export interface ReconciliationMetrics {
  /** Mismatches of the last run, by kind. */
  readonly mismatches: prom.Gauge<"kind">;
  readonly matched: prom.Gauge;
  readonly authorizationsMatched: prom.Gauge;
  readonly runs: prom.Counter<"result">;
  readonly lastRun: prom.Gauge;
}

const metricsByRegistry = new WeakMap<Registry, ReconciliationMetrics>();

export function reconciliationMetrics(registry: Registry): ReconciliationMetrics {
  const known = metricsByRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const metrics: ReconciliationMetrics = {
    mismatches: new prom.Gauge({
      name: "reconciliation_mismatches",
      help: "Mismatches found by the last reconciliation run, by kind",
      labelNames: ["kind"],
      registers,
    }),
    matched: new prom.Gauge({
      name: "reconciliation_matched",
      help: "Captures and refunds the last reconciliation run matched with the PG's report",
      registers,
    }),
    authorizationsMatched: new prom.Gauge({
      name: "reconciliation_authorizations_matched",
      help: "Approved PG authorizations the last reconciliation run matched with our payments",
      registers,
    }),
    runs: new prom.Counter({
      name: "reconciliation_runs_total",
      help: "Reconciliation runs by result (clean, mismatched, failed)",
      labelNames: ["result"],
      registers,
    }),
    lastRun: new prom.Gauge({
      name: "reconciliation_last_run_timestamp_seconds",
      help: "When the last reconciliation run finished (Unix time)",
      registers,
    }),
  };
  metricsByRegistry.set(registry, metrics);
  return metrics;
}

export interface RunDeps extends ReconcileDeps {
  readonly registry?: Registry;
  readonly now?: () => Date;
}

export interface StoredReconciliation {
  readonly runId: number;
  readonly report: ReconciliationReport;
}

/**
 * Reconciles `date`, stores the run with its mismatches, and sets the
 * metrics. A run that cannot complete (PG unreachable) is stored as FAILED,
 * counted, and its error rethrown.
 */
export async function runReconciliation(
  deps: RunDeps,
  date: string,
): Promise<StoredReconciliation> {
  const now = deps.now ?? (() => new Date());
  const metrics = deps.registry && reconciliationMetrics(deps.registry);
  const startedAt = now();
  let report: ReconciliationReport;
  try {
    report = await reconcileDay(deps, date);
  } catch (error) {
    const failed: ReconciliationRunRecord = {
      date,
      status: "FAILED",
      counts: zeroCounts(),
      error: String(error),
      startedAt,
      finishedAt: now(),
    };
    await insertReconciliationRun(deps.pool, failed, []).catch(() => {});
    metrics?.runs.inc({ result: "failed" });
    throw error;
  }
  const runId = await insertReconciliationRun(deps.pool, {
    date,
    status: report.clean ? "CLEAN" : "MISMATCHED",
    counts: report.counts,
    error: null,
    startedAt,
    finishedAt: now(),
  }, report.mismatches);
  if (metrics) {
    for (const kind of mismatchKinds) metrics.mismatches.set({ kind }, report.counts[kind]);
    metrics.matched.set(report.counts.matched);
    metrics.authorizationsMatched.set(report.counts.authorizations_matched);
    metrics.runs.inc({ result: report.clean ? "clean" : "mismatched" });
    metrics.lastRun.set(now().getTime() / 1_000);
  }
  return { runId, report };
}
