import { devInternalSecret } from "@pay/lib/config";
import { type Db, outboxStats } from "@pay/lib/db";
import { fetchPgSettlementReport } from "@pay/lib/pg";
import { freshMariaDatabase, freshTestRedis, type MariaTestDatabase } from "@pay/lib/testing";
import { cliDefaults } from "../cli/flags.ts";
import { requestTotals } from "../metrics/recorder.ts";
import type { LoadRunResult } from "../run/load_run.ts";
import type { PaymentExpectation } from "../scenario/expectation.ts";
import { verifyRun } from "../verify/checks.ts";
import type { Verdict } from "../verify/verdict.ts";
import { choosePorts, type Stack, startStack } from "./stack.ts";

/** Where a bench runs: its databases' base name and whether it may take the default ports. */
export interface BenchPlace {
  /** `freshMariaDatabase` name (pay_t_<name>); the raw and relay runs add `_raw` and `_relay`. */
  readonly databaseName: string;
  readonly preferDefaultPorts: boolean;
}

export interface BenchStack {
  readonly stack: Stack;
  readonly db: MariaTestDatabase;
  close(): Promise<void>;
}

/** Rate limits of the bench stack: far above what it can carry, so the limiter runs but never denies. */
const unlimited = { perMinute: "10000000", burst: "1000000" };

/** What every bench stack runs with, whatever its profile. */
export const benchStackEnv: Readonly<Record<string, string>> = {
  // One JSON line per request on a pipe costs the gateway CPU the measurement should get.
  LOG_ACCESS: "false",
  INTERNAL_AUTH_SECRET: devInternalSecret,
  ...Object.fromEntries(
    ["AUTHORIZE", "CAPTURE", "REFUND", "READ"].flatMap((c) => [
      [`RATE_LIMIT_${c}_PER_MIN`, unlimited.perMinute],
      [`RATE_LIMIT_${c}_BURST`, unlimited.burst],
    ]),
  ),
};
/** Between phases, how long the workers get to catch up so one phase's backlog does not slow the next. */
const settleTimeoutMs = 30_000;
const settlePollMs = 250;
/** Settlement report fetch timeout during the final checks. */
const reportTimeoutMs = 10_000;

/**
 * A fresh MariaDB database and Redis prefix, and pgsim, 2 ingest, the gateway
 * and the workers of the scale-out profile on them: the bench measures the
 * deployment that scales (DESIGN §1), next to raw MariaDB transactions.
 */
export async function startBenchStack(
  place: BenchPlace,
  print: (line: string) => void,
): Promise<BenchStack> {
  const db = await freshMariaDatabase(place.databaseName);
  const redis = await freshTestRedis(place.databaseName);
  const redisPrefix = redis.config.keyPrefix;
  await redis.close();
  const ports = choosePorts(2, place.preferDefaultPorts);
  print(`Starting the stack (database ${db.config.database}, gateway :${ports.gateway})...`);
  try {
    const stack = await startStack({
      ports,
      env: {
        ...db.env,
        PROFILE: "scale-out",
        REDIS_KEY_PREFIX: redisPrefix,
        ...benchStackEnv,
      },
    });
    return {
      stack,
      db,
      close: async () => {
        await stack.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Waits (bounded) until the outbox is empty, so a phase starts on an idle system. */
export async function settle(pool: Db): Promise<void> {
  const deadline = Date.now() + settleTimeoutMs;
  while (Date.now() < deadline && (await outboxStats(pool)).backlog > 0) {
    await new Promise((resolve) => setTimeout(resolve, settlePollMs));
  }
}

export interface StackRuns {
  readonly expected: ReadonlyMap<string, PaymentExpectation>;
  readonly merchantIds: readonly string[];
  readonly startedAt: Date;
  /** The open-model runs: their errors and drops are judged (capacity runs saturate on purpose). */
  readonly openRuns: readonly LoadRunResult[];
  readonly drainTimeoutMs: number;
}

/** The load command's correctness checks, over everything the bench did to the stack. */
export function verifyBenchStack(
  bench: BenchStack,
  runs: StackRuns,
  print: (line: string) => void,
): Promise<Verdict> {
  const pgsimUrl = bench.stack.pgsimUrl;
  return verifyRun({
    pool: bench.db.pool,
    expected: runs.expected,
    runMerchantIds: runs.merchantIds,
    startedAt: runs.startedAt,
    deadBefore: 0,
    fetchReport: (date) =>
      fetchPgSettlementReport({ baseUrl: pgsimUrl, timeoutMs: reportTimeoutMs }, date),
    drainTimeoutMs: runs.drainTimeoutMs,
    requests: {
      ...requestTotals(runs.openRuns.map((r) => r.overall)),
      errorRateMax: cliDefaults.errorRateMax,
    },
    dropped: runs.openRuns.reduce((sum, r) => sum + r.arrivals.dropped, 0),
    log: (line) => print(`  ${line}`),
  });
}
