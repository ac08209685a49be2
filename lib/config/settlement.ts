import { ConfigError, durationVar, type Env, intVar, parseEnv } from "./env.ts";
import { ingestVars } from "./ingest.ts";

/**
 * Settlement and refunds at the PG, the schedulers around them, and
 * reconciliation (DESIGN §4, §6). Read by the workers and the reconcile command.
 */
export const settlementVars = {
  PG_URL: ingestVars.PG_URL,
  PG_TIMEOUT_MS: ingestVars.PG_TIMEOUT_MS,
  SETTLEMENT_PG_TIMEOUT_MS: intVar(
    5000,
    50,
    60000,
    "Timeout of one capture, refund or cancel call to the PG from the workers",
  ),
  SETTLEMENT_CONCURRENCY: intVar(
    16,
    1,
    512,
    "Settlement handler calls at once per process (PG calls in flight)",
  ),
  SETTLEMENT_ATTEMPTS_MAX: intVar(
    24,
    1,
    1000,
    "PG calls per capture/refund/void request before an unreachable PG fails it (FAILED, *_FAILED, DLQ); 24 with the default backoff spans a PG outage of ~40 min on average",
  ),
  SETTLEMENT_BACKOFF_BASE_MS: intVar(
    1000,
    1,
    3600000,
    "First retry delay of a request the PG could not answer (exponential, full jitter)",
  ),
  SETTLEMENT_BACKOFF_CAP_MS: intVar(
    300000,
    1,
    86400000,
    "Largest retry delay of a request the PG could not answer",
  ),
  SETTLEMENT_LEASE_MS: intVar(
    30000,
    100,
    3600000,
    "How long a claimed request is invisible to other workers; a crashed worker's claim returns after it",
  ),
  SETTLEMENT_RETRY_INTERVAL_MS: intVar(
    1000,
    10,
    3600000,
    "How often the retry scheduler looks for due PENDING requests",
  ),
  SETTLEMENT_RETRY_GRACE_MS: intVar(
    30000,
    0,
    86400000,
    "Age after which a never-attempted PENDING request is settled by the scheduler (its bus message is presumed lost)",
  ),
  SETTLEMENT_RETRY_BATCH_SIZE: intVar(
    100,
    1,
    5000,
    "Requests one retry-scheduler pass claims at once",
  ),
  EXPIRY_INTERVAL_MS: intVar(
    60000,
    10,
    86400000,
    "How often AUTHORIZED payments past auth_expires_at are expired",
  ),
  EXPIRY_BATCH_SIZE: intVar(500, 1, 10000, "Payments one expiry transaction expires at most"),
  IDEMPOTENCY_PURGE_INTERVAL_MS: intVar(
    60000,
    10,
    86400000,
    "How often expired idempotency records are deleted",
  ),
  IDEMPOTENCY_PURGE_BATCH_SIZE: intVar(
    1000,
    1,
    100000,
    "Idempotency records one DELETE removes at most",
  ),
  SWEEP_INTERVAL_MS: intVar(
    60000,
    1000,
    86400000,
    "How often the sweepers look for effects of lost bus messages (ledger postings, voids) and repair them",
  ),
  SWEEP_GRACE_MS: intVar(
    120000,
    1000,
    86400000,
    "How long after an event left the outbox its missing effect counts as lost; above normal consumer lag, so a slow consumer is not repaired (and alerted) for",
  ),
  SWEEP_LOOKBACK_MS: intVar(
    86400000,
    60000,
    2592000000,
    "How far back a sweeper starts (by completion or cancel time) and the most its cursor may lag; older rows are not checked",
  ),
  SWEEP_BATCH_SIZE: intVar(
    500,
    1,
    10000,
    "Rows one sweeper pass checks per source (captures, refunds, cancels, expiries) at most",
  ),
  AUTH_JANITOR_INTERVAL_MS: intVar(
    10000,
    10,
    3600000,
    "How often the authorization janitor looks for attempts whose PG outcome was never recorded",
  ),
  AUTH_ATTEMPT_RESOLVE_AFTER_MS: intVar(
    60000,
    1000,
    86400000,
    "Age of a PENDING authorization attempt before the janitor asks the PG (at least 2 x PG_TIMEOUT_MS)",
  ),
  AUTH_JANITOR_BATCH_SIZE: intVar(
    100,
    1,
    5000,
    "Authorization attempts one janitor pass claims (and resolved attempts it purges) at most",
  ),
  AUTH_ATTEMPT_RETENTION: durationVar(
    "7d",
    "How long resolved authorization attempts (and a voided key's 409 answer) are kept",
  ),
  RECONCILIATION_INTERVAL_MS: intVar(
    3600000,
    1000,
    604800000,
    "How often the workers reconcile the previous UTC day (and store the run)",
  ),
  RECONCILIATION_REPORT_TIMEOUT_MS: intVar(
    30000,
    100,
    600000,
    "Timeout of fetching one day's settlement report from the PG",
  ),
};

export interface SettlementConfig {
  readonly pgUrl: string;
  readonly pgTimeoutMs: number;
  readonly concurrency: number;
  readonly attemptsMax: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly leaseMs: number;
  readonly retryIntervalMs: number;
  readonly retryGraceMs: number;
  readonly retryBatchSize: number;
}

export interface SchedulersConfig {
  readonly expiryIntervalMs: number;
  readonly expiryBatchSize: number;
  readonly idempotencyPurgeIntervalMs: number;
  readonly idempotencyPurgeBatchSize: number;
  readonly sweep: SweepConfig;
  readonly reconciliationIntervalMs: number;
  readonly reconciliationReportTimeoutMs: number;
  readonly authorizationJanitor: AuthorizationJanitorConfig;
}

/** The authorization janitor (DESIGN §10): resolves authorizations whose PG outcome was lost. */
export interface AuthorizationJanitorConfig {
  readonly intervalMs: number;
  /** A PENDING attempt presented less than this long ago is left to its request. */
  readonly resolveAfterMs: number;
  /** How long claimed attempts are the claimant's (SETTLEMENT_LEASE_MS: two PG calls fit). */
  readonly leaseMs: number;
  readonly batchSize: number;
  readonly retentionMs: number;
}

/** The sweepers that repair what lost bus messages left undone (DESIGN §10). */
export interface SweepConfig {
  readonly intervalMs: number;
  readonly graceMs: number;
  readonly lookbackMs: number;
  readonly batchSize: number;
}

export interface SettlementSectionConfig {
  readonly settlement: SettlementConfig;
  readonly schedulers: SchedulersConfig;
}

/**
 * A lease shorter than two PG timeouts could run out while the PG call it
 * covers is still waiting for an answer, letting a second worker call too.
 * (The PG idempotency key would still prevent a double capture; the lease
 * keeps the second call from happening at all.)
 */
const leaseToPgTimeoutRatioMin = 2;

/**
 * The janitor must not second-guess an authorization still in flight: ingest's
 * PG call (PG_TIMEOUT_MS) and a merchant's prompt retry of it must both be
 * over before it asks the PG, or it could void a hold a request is about to use.
 * (A request that does race it loses cleanly: the key then answers 409.)
 */
const resolveAfterToPgTimeoutRatioMin = 2;

export function readSettlementConfig(env: Env): SettlementSectionConfig {
  const v = parseEnv(settlementVars, env);
  const problems: string[] = [];
  if (v.SETTLEMENT_BACKOFF_CAP_MS < v.SETTLEMENT_BACKOFF_BASE_MS) {
    problems.push(
      `SETTLEMENT_BACKOFF_CAP_MS: must be at least SETTLEMENT_BACKOFF_BASE_MS (got ${v.SETTLEMENT_BACKOFF_CAP_MS})`,
    );
  }
  if (v.SETTLEMENT_LEASE_MS < leaseToPgTimeoutRatioMin * v.SETTLEMENT_PG_TIMEOUT_MS) {
    problems.push(
      `SETTLEMENT_LEASE_MS: must be at least ${leaseToPgTimeoutRatioMin} x SETTLEMENT_PG_TIMEOUT_MS (got ${v.SETTLEMENT_LEASE_MS})`,
    );
  }
  if (v.SWEEP_LOOKBACK_MS <= v.SWEEP_GRACE_MS) {
    problems.push(
      `SWEEP_LOOKBACK_MS: must be longer than SWEEP_GRACE_MS (got ${v.SWEEP_LOOKBACK_MS})`,
    );
  }
  if (v.AUTH_ATTEMPT_RESOLVE_AFTER_MS < resolveAfterToPgTimeoutRatioMin * v.PG_TIMEOUT_MS) {
    problems.push(
      `AUTH_ATTEMPT_RESOLVE_AFTER_MS: must be at least ${resolveAfterToPgTimeoutRatioMin} x PG_TIMEOUT_MS (got ${v.AUTH_ATTEMPT_RESOLVE_AFTER_MS})`,
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({
    settlement: Object.freeze({
      pgUrl: v.PG_URL,
      pgTimeoutMs: v.SETTLEMENT_PG_TIMEOUT_MS,
      concurrency: v.SETTLEMENT_CONCURRENCY,
      attemptsMax: v.SETTLEMENT_ATTEMPTS_MAX,
      backoffBaseMs: v.SETTLEMENT_BACKOFF_BASE_MS,
      backoffCapMs: v.SETTLEMENT_BACKOFF_CAP_MS,
      leaseMs: v.SETTLEMENT_LEASE_MS,
      retryIntervalMs: v.SETTLEMENT_RETRY_INTERVAL_MS,
      retryGraceMs: v.SETTLEMENT_RETRY_GRACE_MS,
      retryBatchSize: v.SETTLEMENT_RETRY_BATCH_SIZE,
    }),
    schedulers: Object.freeze({
      expiryIntervalMs: v.EXPIRY_INTERVAL_MS,
      expiryBatchSize: v.EXPIRY_BATCH_SIZE,
      idempotencyPurgeIntervalMs: v.IDEMPOTENCY_PURGE_INTERVAL_MS,
      idempotencyPurgeBatchSize: v.IDEMPOTENCY_PURGE_BATCH_SIZE,
      sweep: Object.freeze({
        intervalMs: v.SWEEP_INTERVAL_MS,
        graceMs: v.SWEEP_GRACE_MS,
        lookbackMs: v.SWEEP_LOOKBACK_MS,
        batchSize: v.SWEEP_BATCH_SIZE,
      }),
      reconciliationIntervalMs: v.RECONCILIATION_INTERVAL_MS,
      reconciliationReportTimeoutMs: v.RECONCILIATION_REPORT_TIMEOUT_MS,
      authorizationJanitor: Object.freeze({
        intervalMs: v.AUTH_JANITOR_INTERVAL_MS,
        resolveAfterMs: v.AUTH_ATTEMPT_RESOLVE_AFTER_MS,
        leaseMs: v.SETTLEMENT_LEASE_MS,
        batchSize: v.AUTH_JANITOR_BATCH_SIZE,
        retentionMs: v.AUTH_ATTEMPT_RETENTION,
      }),
    }),
  });
}
