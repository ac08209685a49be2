import type { SweepConfig } from "@pay/lib/config";
import type { Pool, RepairWindow } from "@pay/lib/db";
import type { Registry } from "@pay/lib/metrics";
import type { WorkerLog } from "../settlement/log.ts";
import type { PassResult } from "./loop.ts";
import { sweeperMetrics } from "./sweeper_metrics.ts";

/** What a sweeper pass needs. */
export interface SweepDeps {
  readonly pool: Pool;
  readonly config: SweepConfig;
  readonly registry: Registry;
  readonly log: WorkerLog;
}

/** Ids one repair log line names at most; the counters carry the totals. */
export const loggedIdsMax = 20;

/** The rows a pass at `now` looks at: SWEEP_LOOKBACK_MS back, none younger than SWEEP_GRACE_MS. */
export function sweepWindow(config: SweepConfig, now: Date): RepairWindow {
  return {
    from: new Date(now.getTime() - config.lookbackMs),
    settledBefore: new Date(now.getTime() - config.graceMs),
    limit: config.batchSize,
  };
}

/** Counts and logs one pass of `sweeper`; `more` while a full batch was repaired. */
export function reportRepairs(
  deps: SweepDeps,
  sweeper: string,
  found: number,
  repairedIds: readonly string[],
): PassResult {
  const metrics = sweeperMetrics(deps.registry);
  if (found > 0) metrics.found.inc({ sweeper }, found);
  if (repairedIds.length > 0) {
    metrics.repaired.inc({ sweeper }, repairedIds.length);
    deps.log("sweeper_repaired", {
      sweeper,
      found,
      repaired: repairedIds.length,
      ids: repairedIds.slice(0, loggedIdsMax),
    });
  }
  return { items: repairedIds.length, more: repairedIds.length === deps.config.batchSize };
}
