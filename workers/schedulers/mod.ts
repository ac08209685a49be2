/**
 * Periodic jobs of the workers (DESIGN §6), each a loop with a named interval,
 * safe with several worker processes. The settlement retry loop is started by
 * the settlement worker (it shares its PG breaker); reconciliation's by
 * workers/reconciliation.
 */
import type { SchedulersConfig } from "@pay/lib/config";
import type { Db } from "@pay/lib/db";
import type { Registry } from "@pay/lib/metrics";
import type { WorkerLog } from "../settlement/log.ts";
import { expireAuthorizations } from "./expire_authorizations.ts";
import { leasedPass, processLeaseOwner } from "./lease.ts";
import { sweepLedger } from "./ledger_sweeper.ts";
import { type RunningLoop, startIntervalLoop } from "./loop.ts";
import { purgeIdempotencyRecords } from "./purge_idempotency.ts";
import { sweeperMetrics } from "./sweeper_metrics.ts";
import { sweepVoids } from "./void_sweeper.ts";

export { type PassResult, type RunningLoop, startIntervalLoop } from "./loop.ts";
export { expireAuthorizations } from "./expire_authorizations.ts";
export { purgeIdempotencyRecords } from "./purge_idempotency.ts";
export { retryDueRequests } from "./settlement_retry.ts";
export { sweepLedger } from "./ledger_sweeper.ts";
export { sweepVoids } from "./void_sweeper.ts";

export interface SchedulerDeps {
  readonly pool: Db;
  readonly config: SchedulersConfig;
  readonly registry: Registry;
  readonly log: WorkerLog;
  readonly now?: () => Date;
}

/** AUTHORIZED past auth_expires_at → EXPIRED, every EXPIRY_INTERVAL_MS. */
export function startExpiryScheduler(deps: SchedulerDeps): RunningLoop {
  const now = deps.now ?? (() => new Date());
  return startIntervalLoop({
    name: "authorization-expiry",
    intervalMs: deps.config.expiryIntervalMs,
    registry: deps.registry,
    log: deps.log,
    pass: () =>
      expireAuthorizations(
        deps.pool,
        { now: now(), batchSize: deps.config.expiryBatchSize },
        deps.registry,
      ),
  });
}

/** Expired idempotency records deleted, every IDEMPOTENCY_PURGE_INTERVAL_MS. */
export function startIdempotencyPurgeScheduler(deps: SchedulerDeps): RunningLoop {
  const now = deps.now ?? (() => new Date());
  return startIntervalLoop({
    name: "idempotency-purge",
    intervalMs: deps.config.idempotencyPurgeIntervalMs,
    registry: deps.registry,
    log: deps.log,
    pass: () => purgeIdempotencyRecords(deps.pool, now(), deps.config.idempotencyPurgeBatchSize),
  });
}

/**
 * Posts captures and refunds whose ledger event was lost, every
 * SWEEP_INTERVAL_MS, in the one worker process holding the `ledger-sweeper` lease.
 */
export function startLedgerSweeper(deps: SchedulerDeps): RunningLoop {
  return startSweeper(deps, "ledger-sweeper", sweepLedger);
}

/**
 * Creates the void requests of cancelled and expired payments whose event was
 * lost, every SWEEP_INTERVAL_MS, in the process holding the `void-sweeper` lease.
 */
export function startVoidSweeper(deps: SchedulerDeps): RunningLoop {
  return startSweeper(deps, "void-sweeper", sweepVoids);
}

function startSweeper(
  deps: SchedulerDeps,
  name: string,
  sweep: typeof sweepLedger,
): RunningLoop {
  const now = deps.now ?? (() => new Date());
  const config = deps.config.sweep;
  // Declared at start, so dashboards and alerts see the series before the first repair.
  sweeperMetrics(deps.registry);
  return startIntervalLoop({
    name,
    intervalMs: config.intervalMs,
    registry: deps.registry,
    log: deps.log,
    pass: leasedPass({
      pool: deps.pool,
      name,
      owner: processLeaseOwner,
      intervalMs: config.intervalMs,
      pass: () => sweep({ pool: deps.pool, config, registry: deps.registry, log: deps.log }, now()),
    }),
  });
}
