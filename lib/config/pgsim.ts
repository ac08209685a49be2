import { z } from "zod";
import { ConfigError, type Env, intVar, parseEnv, rateVar } from "./env.ts";

/** Longest latency pgsim may inject: past any caller's PG timeout, short of a hung test. */
export const pgsimLatencyMsLimit = 60_000;

/**
 * Default cap of each kind of pgsim record (authorizations, operations,
 * idempotency records); the oldest is forgotten first. A record costs ~310
 * heap bytes (pgsim/bench/memory_per_record.ts), so all three kinds full hold
 * ~190 MB. A 60 s load test at 2,000 payments/s authorizes 120,000: their
 * authorizations all stay, and only the oldest authorize operations and keys
 * fall off once captures push operations past the cap.
 */
export const pgsimRecordsMaxDefault = 200_000;

export const pgsimVars = {
  PGSIM_PORT: intVar(8090, 1, 65535, "Port of the payment-gateway simulator"),
  PGSIM_LATENCY_MS_MIN: intVar(5, 0, pgsimLatencyMsLimit, "Least latency added to a /v1 call"),
  PGSIM_LATENCY_MS_MAX: intVar(15, 0, pgsimLatencyMsLimit, "Most latency added to a /v1 call"),
  PGSIM_FAILURE_RATE: rateVar(0, "Share of /v1 calls answered 503 without doing anything"),
  PGSIM_DECLINE_RATE: rateVar(0, "Share of approving-card authorizations declined"),
  PGSIM_SEED: z.coerce.number().int().min(0).max(2 ** 32 - 1).optional().describe(
    "Seed of the fault PRNG (random and logged when unset)",
  ),
  PGSIM_DATA_FILE: z.string().min(1).optional().describe(
    "SQLite file that keeps pgsim's records across restarts (memory only when unset)",
  ),
  PGSIM_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional().describe(
    "Bearer token required by /admin (open when unset, for development)",
  ),
  PGSIM_TIMEOUT_TOKEN_DELAY_MS: intVar(
    30_000,
    0,
    600_000,
    "How long pgsim holds the answer to a tok_timeout authorization",
  ),
  PGSIM_RECORDS_MAX: intVar(
    pgsimRecordsMaxDefault,
    1,
    10_000_000,
    "Records of each kind pgsim keeps; the oldest are forgotten first",
  ),
};

export interface PgsimFaults {
  readonly latencyMsMin: number;
  readonly latencyMsMax: number;
  readonly failureRate: number;
  readonly declineRate: number;
  readonly outage: boolean;
}

export interface PgsimConfig {
  readonly port: number;
  /** Faults at start-up (and after /admin/reset). */
  readonly faults: PgsimFaults;
  readonly seed: number | undefined;
  readonly dataFile: string | undefined;
  readonly adminToken: string | undefined;
  readonly timeoutTokenDelayMs: number;
  readonly recordsMax: number;
}

export function readPgsimConfig(env: Env): PgsimConfig {
  const v = parseEnv(pgsimVars, env);
  if (v.PGSIM_LATENCY_MS_MIN > v.PGSIM_LATENCY_MS_MAX) {
    throw new ConfigError([
      `PGSIM_LATENCY_MS_MIN: must not exceed PGSIM_LATENCY_MS_MAX (${v.PGSIM_LATENCY_MS_MAX}) (got ${
        JSON.stringify(env.PGSIM_LATENCY_MS_MIN ?? null)
      })`,
    ]);
  }
  return Object.freeze({
    port: v.PGSIM_PORT,
    faults: Object.freeze({
      latencyMsMin: v.PGSIM_LATENCY_MS_MIN,
      latencyMsMax: v.PGSIM_LATENCY_MS_MAX,
      failureRate: v.PGSIM_FAILURE_RATE,
      declineRate: v.PGSIM_DECLINE_RATE,
      outage: false,
    }),
    seed: v.PGSIM_SEED,
    dataFile: v.PGSIM_DATA_FILE,
    adminToken: v.PGSIM_ADMIN_TOKEN,
    timeoutTokenDelayMs: v.PGSIM_TIMEOUT_TOKEN_DELAY_MS,
    recordsMax: v.PGSIM_RECORDS_MAX,
  });
}
