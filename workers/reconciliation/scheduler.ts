import { type Db, withNamedLock } from "@pay/lib/db";
import type { Registry } from "@pay/lib/metrics";
import type { PgSettlementReport } from "@pay/lib/pg";
import { type RunningLoop, startIntervalLoop } from "../schedulers/loop.ts";
import type { WorkerLog } from "../settlement/log.ts";
import { utcDateOf } from "./reconcile.ts";
import { reconciliationMetrics, runReconciliation } from "./run.ts";

/** The MariaDB named lock that lets one worker process at a time run the scheduled reconciliation. */
export const reconciliationLockName = "pay:reconciliation";

const dayMs = 86_400_000;

export interface ReconciliationSchedulerDeps {
  readonly pool: Db;
  readonly fetchReport: (date: string) => Promise<PgSettlementReport>;
  readonly registry: Registry;
  readonly log: WorkerLog;
  readonly intervalMs: number;
  readonly now?: () => Date;
}

/**
 * Every interval, reconciles the previous UTC day (complete by then, so no
 * request is still in flight) and stores the run. With several worker
 * processes, the one holding the named lock runs it and the others skip the
 * tick (GET_LOCK with no wait: the equivalent of SKIP LOCKED).
 */
export function startReconciliationScheduler(deps: ReconciliationSchedulerDeps): RunningLoop {
  const now = deps.now ?? (() => new Date());
  // Exported from the start, so dashboards and alerts see the series before the first run.
  reconciliationMetrics(deps.registry);
  return startIntervalLoop({
    name: "reconciliation",
    intervalMs: deps.intervalMs,
    registry: deps.registry,
    log: deps.log,
    pass: async () => {
      const date = utcDateOf(new Date(now().getTime() - dayMs));
      const ran = await withNamedLock(deps.pool, reconciliationLockName, async () => {
        const { runId, report } = await runReconciliation(deps, date);
        deps.log("reconciled", { date, runId, clean: report.clean, ...report.counts });
      });
      return { items: ran ? 1 : 0, more: false };
    },
  });
}
