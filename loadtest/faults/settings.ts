/**
 * Every bound of the fault suite in one place. The suite must finish in under
 * 10 minutes on a 2-core machine shared with other work, so traffic is modest
 * and the platform's timers are shortened to match the short faults (the
 * faults last seconds; production timers are sized for minutes to hours).
 */
import { type PlatformPorts, shiftedPorts } from "../../ops/supervisor/services.ts";

/** Ports: the platform's defaults moved by 700, beside a developer's `deno task start`. */
export const portOffset = 700;
export const platformPorts: PlatformPorts = shiftedPorts(portOffset);
/** Private MariaDB and Redis: never the shared 3306 and 6379. */
export const privateMariaDbPort = 3327;
export const privateRedisPort = 6397;
/** InnoDB buffer pool of the private server: the suite's data is a few MB. */
export const privateMariaDbBufferPoolSizeMb = 128;
/** Four service pools of 16 connections, the suite's own, and room for reconnect storms. */
export const privateMariaDbConnectionsMax = 400;
/** A second workers process that runs only the outbox relay (see platform.ts). */
export const relayPort = platformPorts.workers + 1;

/** New flows started per second during a scenario's traffic (open model). */
export const flowRatePerSecond = 20;
/**
 * Flows running at once at most; a flow that would exceed it is counted as
 * dropped. During a MariaDB outage every flow retries for up to
 * `operationDeadlineMs`, so about rate × that many are in flight.
 */
export const flowsInFlightMax = 800;
/** Traffic before the fault starts, so the fault hits flows in every stage. */
export const trafficBeforeFaultMs = 5_000;
/** Traffic after the fault was undone (process back, healthy), so recovery is under load. */
export const trafficAfterFaultMs = 8_000;

/** Timeout of one HTTP attempt: above the gateway's upstream timeout (5 s) and its failovers. */
export const attemptTimeoutMs = 12_000;
/**
 * How long one keyed POST is retried before the client gives up on it
 * (unresolved: neither acknowledged nor refused). An authorize and then a
 * capture, each at most this plus one attempt, stay under `authExpiry`, so a
 * capture never meets an expired authorization.
 */
export const operationDeadlineMs = 20_000;
/** Retry delay: exponential from the base, capped, half of it jittered. */
export const retryDelayMsBase = 200;
export const retryDelayMsCap = 2_000;
/** How long a flow waits for its capture to settle before it skips the refund. */
export const captureSettleWaitMs = 30_000;

/** Age at which an uncaptured (abandoned) authorization expires, as AUTH_EXPIRY. */
export const authExpiry = "75s";
export const authExpiryMs = 75_000;
/** An AUTHORIZED payment this far past its expiry is a violation (the expiry pass runs every 1 s). */
export const expiryGraceMs = 15_000;

/** Longest wait for the system to converge after a scenario's traffic. */
export const convergenceWaitMsMax = 60_000;
/** The wait ends early when the number of violations has not fallen for this long. */
export const convergenceStallMs = 15_000;
/** Pause between two convergence checks. */
export const convergencePollMs = 1_000;
/** How long the final check waits for the last abandoned authorizations to expire. */
export const finalExpiryWaitMsMax = authExpiryMs + 30_000;

/** Violations listed per invariant in a failure message (the count is always exact). */
export const violationsListedMax = 8;

/** pgsim keeps this many records of each kind; the suite makes well under it. */
export const pgsimRecordsMax = 200_000;
/** Fault PRNG seed of pgsim (no injected failures are configured; kept for replays). */
export const pgsimSeed = 11;

/**
 * Workers settings that make recovery fast: short polls, backoff capped at
 * 1 s, short leases and grace periods. Attempt budgets are raised so that a
 * 30 s outage stays well inside them (production's defaults span hours); a
 * row that still goes DEAD or a message that still reaches the DLQ is then
 * the platform's doing, not the suite's timing. Sweeper settings added by
 * later work belong here too.
 */
export const workersFastEnv: Readonly<Record<string, string>> = {
  OUTBOX_POLL_IDLE_MS: "20",
  OUTBOX_BACKOFF_BASE_MS: "200",
  OUTBOX_BACKOFF_CAP_MS: "1000",
  OUTBOX_LEASE_MS: "5000",
  OUTBOX_ATTEMPTS_MAX: "200",
  BUS_PUBLISH_TIMEOUT_MS: "2000",
  BUS_CLAIM_IDLE: "5s",
  SETTLEMENT_PG_TIMEOUT_MS: "2000",
  SETTLEMENT_BACKOFF_BASE_MS: "200",
  SETTLEMENT_BACKOFF_CAP_MS: "1000",
  SETTLEMENT_ATTEMPTS_MAX: "200",
  SETTLEMENT_LEASE_MS: "5000",
  SETTLEMENT_RETRY_INTERVAL_MS: "500",
  SETTLEMENT_RETRY_GRACE_MS: "3000",
  EXPIRY_INTERVAL_MS: "1000",
  WORKERS_SHUTDOWN_TIMEOUT_MS: "5000",
  // A consumer whose dependency is down probes again within a second of recovery.
  BUS_TRANSIENT_BACKOFF_CAP_MS: "1000",
  // Sweepers: a lost message's effect is repaired 10 s after its event left the outbox.
  SWEEP_INTERVAL_MS: "1000",
  SWEEP_GRACE_MS: "10000",
  // Janitor: after the client's own retries of an authorize (operationDeadlineMs) gave up.
  AUTH_JANITOR_INTERVAL_MS: "1000",
  AUTH_ATTEMPT_RESOLVE_AFTER_MS: "30000",
  // Bus-loss detection within a second of Redis coming back empty.
  BUS_EPOCH_CHECK_INTERVAL_MS: "1000",
};

/**
 * The gateway's per-merchant limits, raised far above the suite's rate: the
 * limiter stays in the path (it fails open while Redis is down), but the
 * retries that pile up during an outage must not turn into 429s.
 */
export const gatewayRateLimitEnv: Readonly<Record<string, string>> = Object.fromEntries(
  ["AUTHORIZE", "CAPTURE", "REFUND", "READ"].flatMap((name) => [
    [`RATE_LIMIT_${name}_PER_MIN`, "600000"],
    [`RATE_LIMIT_${name}_BURST`, "10000"],
  ]),
);

/** Prefixes of the workers' counters printed per scenario as repairs (read generically). */
export const repairMetricPrefixes = [
  "sweeper_",
  "authorization_janitor_",
  // The relay's replay of the outbox window after the bus lost its data.
  "bus_epoch_changes_total",
  "outbox_replayed_total",
] as const;
/** Scheduler counters shown in the details (settlement retries, expiries). */
export const schedulerMetricPrefixes = ["scheduler_items_total"] as const;
/** Counters printed per scenario as dead-lettered. */
export const deadLetterMetricPrefixes = ["bus_dlq_messages_total", "settlement_dlq_records_total"];

/** Every port the suite listens on, checked against the bad ports at start. */
export function suitePorts(): number[] {
  const p = platformPorts;
  return [
    privateMariaDbPort,
    privateRedisPort,
    p.pgsim,
    ...p.ingest,
    p.gateway,
    p.workers,
    relayPort,
  ];
}
