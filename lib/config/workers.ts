import { ConfigError, type Env, intVar, parseEnv, stringVar } from "./env.ts";

export const workersVars = {
  WORKERS_PORT: intVar(8084, 0, 65535, "Port of the workers' /health, /ready and /metrics"),
  WORKERS_DISABLED: stringVar(
    "",
    "Comma-separated worker modules this process does not run (e.g. relay,dlq-archive)",
  ),
  WORKERS_SHUTDOWN_TIMEOUT_MS: intVar(
    30000,
    100,
    600000,
    "How long shutdown waits for in-flight work to drain before the process exits anyway",
  ),
  OUTBOX_BATCH_SIZE: intVar(
    500,
    1,
    5000,
    "Outbox rows one relay lane claims and publishes at once",
  ),
  OUTBOX_POLL_IDLE_MS: intVar(
    100,
    1,
    60000,
    "Sleep of a relay lane that found nothing due (bounds publish latency when idle)",
  ),
  OUTBOX_RELAY_LANES: intVar(
    2,
    1,
    64,
    "Relay loops per process (claim/publish/mark overlap across lanes)",
  ),
  OUTBOX_ATTEMPTS_MAX: intVar(
    20,
    1,
    1000,
    "Failed publishes after which an outbox row becomes DEAD (kept, replayable)",
  ),
  OUTBOX_BACKOFF_BASE_MS: intVar(1000, 1, 3600000, "First retry delay of a failed outbox row"),
  OUTBOX_BACKOFF_CAP_MS: intVar(300000, 1, 86400000, "Largest retry delay of a failed outbox row"),
  OUTBOX_LEASE_MS: intVar(
    30000,
    100,
    3600000,
    "How long claimed rows stay invisible to other relays; a crashed relay's rows return after it",
  ),
  BUS_PUBLISH_TIMEOUT_MS: intVar(
    5000,
    10,
    120000,
    "Timeout of one batch publish through the bus-publish breaker",
  ),
  BUS_EPOCH_CHECK_INTERVAL_MS: intVar(
    5000,
    100,
    3600000,
    "How often the relay checks the bus's epoch marker to notice a bus that restarted empty (redis, memory)",
  ),
  BUS_REPLAY_WINDOW_MS: intVar(
    3600000,
    0,
    604800000,
    "Outbox rows published within this window are published again when the bus lost its data; cover the longest consumer lag you tolerate",
  ),
  LEDGER_CONCURRENCY: intVar(
    16,
    1,
    512,
    "Ledger handler calls at once per process (bounded by DB_POOL_SIZE in practice)",
  ),
};

export interface OutboxRelayConfig {
  readonly batchSize: number;
  readonly pollIdleMs: number;
  readonly lanes: number;
  readonly attemptsMax: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly leaseMs: number;
  readonly publishTimeoutMs: number;
  readonly epochCheckIntervalMs: number;
  readonly replayWindowMs: number;
}

export interface WorkersConfig {
  readonly port: number;
  readonly disabled: readonly string[];
  readonly shutdownTimeoutMs: number;
  readonly relay: OutboxRelayConfig;
  readonly ledgerConcurrency: number;
}

/**
 * A lease shorter than two publish timeouts could expire while a slow publish
 * is still running, letting a second relay publish the same rows.
 */
const leaseToPublishTimeoutRatioMin = 2;

export function readWorkersConfig(env: Env): WorkersConfig {
  const v = parseEnv(workersVars, env);
  const problems: string[] = [];
  if (v.OUTBOX_BACKOFF_CAP_MS < v.OUTBOX_BACKOFF_BASE_MS) {
    problems.push(
      `OUTBOX_BACKOFF_CAP_MS: must be at least OUTBOX_BACKOFF_BASE_MS (got ${v.OUTBOX_BACKOFF_CAP_MS})`,
    );
  }
  if (v.OUTBOX_LEASE_MS < leaseToPublishTimeoutRatioMin * v.BUS_PUBLISH_TIMEOUT_MS) {
    problems.push(
      `OUTBOX_LEASE_MS: must be at least ${leaseToPublishTimeoutRatioMin} x BUS_PUBLISH_TIMEOUT_MS (got ${v.OUTBOX_LEASE_MS})`,
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({
    port: v.WORKERS_PORT,
    disabled: Object.freeze(v.WORKERS_DISABLED.split(",").map((s) => s.trim()).filter(Boolean)),
    shutdownTimeoutMs: v.WORKERS_SHUTDOWN_TIMEOUT_MS,
    relay: Object.freeze({
      batchSize: v.OUTBOX_BATCH_SIZE,
      pollIdleMs: v.OUTBOX_POLL_IDLE_MS,
      lanes: v.OUTBOX_RELAY_LANES,
      attemptsMax: v.OUTBOX_ATTEMPTS_MAX,
      backoffBaseMs: v.OUTBOX_BACKOFF_BASE_MS,
      backoffCapMs: v.OUTBOX_BACKOFF_CAP_MS,
      leaseMs: v.OUTBOX_LEASE_MS,
      publishTimeoutMs: v.BUS_PUBLISH_TIMEOUT_MS,
      epochCheckIntervalMs: v.BUS_EPOCH_CHECK_INTERVAL_MS,
      replayWindowMs: v.BUS_REPLAY_WINDOW_MS,
    }),
    ledgerConcurrency: v.LEDGER_CONCURRENCY,
  });
}
