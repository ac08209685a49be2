/**
 * Periodic jobs of the workers (DESIGN §6), each a loop with a named interval,
 * safe with several worker processes. The settlement retry loop is started by
 * the settlement worker (it shares its PG breaker); reconciliation's by
 * workers/reconciliation.
 */
import type { SchedulersConfig } from "@pay/lib/config";
import type { Pool } from "@pay/lib/db";
import type { Registry } from "@pay/lib/metrics";
import type { WorkerLog } from "../settlement/log.ts";
import { expireAuthorizations } from "./expire_authorizations.ts";
import { type RunningLoop, startIntervalLoop } from "./loop.ts";
import { purgeIdempotencyRecords } from "./purge_idempotency.ts";

export { type PassResult, type RunningLoop, startIntervalLoop } from "./loop.ts";
export { expireAuthorizations } from "./expire_authorizations.ts";
export { purgeIdempotencyRecords } from "./purge_idempotency.ts";
export { retryDueRequests } from "./settlement_retry.ts";

export interface SchedulerDeps {
  readonly pool: Pool;
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
