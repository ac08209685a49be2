import type { Db } from "@pay/lib/db";
import type { LoadAuth, LoadMerchant } from "../http/auth.ts";
import { createLoadHttpClient, type LoadHttpClient } from "../http/client.ts";
import {
  type Operation,
  type OperationReport,
  Recorder,
  type StageReport,
} from "../metrics/recorder.ts";
import { sustainPlan } from "../plan/profiles.ts";
import { cliDefaults } from "../cli/flags.ts";
import { formatProgress } from "../report/text.ts";
import { type LoadRunResult, runLoad } from "../run/load_run.ts";
import type { PaymentExpectation } from "../scenario/expectation.ts";
import { runIteration, type ScenarioDeps, type ScenarioName } from "../scenario/iteration.ts";
import { runClosedLoop } from "./closed_loop.ts";
import { rawAuthorizeTransaction } from "./raw_transaction.ts";
import type { CapacityResult, FlowResult, RateResult } from "./summary.ts";

/** Sockets of a capacity run's client: one per in-flight request, plus slack for reconnects. */
const capacitySocketsSlack = 16;

export interface Target {
  readonly url: string;
  readonly auth: LoadAuth;
  readonly merchants: readonly LoadMerchant[];
}

function capacityOf(report: OperationReport | undefined, seconds: number): CapacityResult {
  return {
    ok: report?.ok ?? 0,
    errors: report?.errors ?? 0,
    okPerSecond: (report?.ok ?? 0) / seconds,
    p50Ms: report?.p50Ms ?? 0,
    p99Ms: report?.p99Ms ?? 0,
  };
}

/** What one authorize iteration against `target` needs; the payments it makes go into `expected`. */
export function authorizeIterationDeps(
  target: Target,
  client: LoadHttpClient,
  recorder: Recorder,
  runId: string,
  expected: Map<string, PaymentExpectation>,
): ScenarioDeps {
  return {
    options: { scenario: "authorize", refund: false, refundRatio: 0, currency: "KRW" },
    client,
    auth: target.auth,
    merchants: target.merchants,
    recorder,
    runId,
    expected,
    random: Math.random,
  };
}

/**
 * Authorizes in a closed loop at `concurrency` for `seconds`; the payments
 * created are added to `expected` for the final checks.
 */
export async function authorizeCapacity(
  target: Target,
  concurrency: number,
  seconds: number,
  runId: string,
  expected: Map<string, PaymentExpectation>,
): Promise<CapacityResult> {
  const recorder = new Recorder([{ name: "run", durationMs: seconds * 1000 }]);
  const client = createLoadHttpClient({
    baseUrl: target.url,
    timeoutMs: cliDefaults.requestTimeoutMs,
    socketsMax: concurrency + capacitySocketsSlack,
  });
  const deps = authorizeIterationDeps(target, client, recorder, runId, expected);
  try {
    const run = await runClosedLoop(concurrency, seconds * 1000, (i) => runIteration(deps, i, 0));
    return capacityOf(recorder.overall().authorize, run.seconds);
  } finally {
    client.close();
    recorder.close();
  }
}

/** Raw authorize-shaped MariaDB transactions in a closed loop at `concurrency`. */
export async function rawTransactionCapacity(
  pool: Db,
  concurrency: number,
  seconds: number,
  runId: string,
): Promise<CapacityResult> {
  const recorder = new Recorder([{ name: "run", durationMs: seconds * 1000 }]);
  try {
    const run = await runClosedLoop(concurrency, seconds * 1000, async (i) => {
      const startedMs = performance.now();
      try {
        await rawAuthorizeTransaction(pool, "RAW", `raw-${runId}-${i}`);
        recorder.ok("authorize", 0, performance.now() - startedMs);
      } catch (error) {
        recorder.failed("authorize", 0, `raw ${(error as { code?: string }).code ?? "error"}`);
      }
    });
    return capacityOf(recorder.overall().authorize, run.seconds);
  } finally {
    recorder.close();
  }
}

export interface OpenRun {
  readonly result: LoadRunResult;
  readonly plateau: StageReport;
}

/** An open-model run at a rate for some seconds after a linear warm-up; progress goes to `print`. */
export async function openRun(
  target: Target,
  scenario: ScenarioName,
  timing: { rate: number; seconds: number; warmupSeconds: number; gracefulStopSeconds: number },
  runId: string,
  pool: Db,
  print: (line: string) => void,
): Promise<OpenRun> {
  const plan = sustainPlan(timing.rate, timing.seconds * 1000, timing.warmupSeconds * 1000);
  const result = await runLoad({
    plan,
    scenario: { scenario, refund: false, refundRatio: 0, currency: "KRW" },
    targetUrl: target.url,
    maxInFlight: cliDefaults.maxInFlight,
    lateToleranceMs: cliDefaults.lateToleranceMs,
    requestTimeoutMs: cliDefaults.requestTimeoutMs,
    socketsMax: cliDefaults.sockets,
    gracefulStopMs: timing.gracefulStopSeconds * 1000,
    completionTimeoutMs: cliDefaults.completionTimeoutMs,
    silenceAbortMs: cliDefaults.silenceAbortMs,
  }, {
    auth: target.auth,
    merchants: target.merchants,
    runId,
    pool,
    progress: (sample, overall) => print(`  ${formatProgress(sample, overall)}`),
  });
  return { result, plateau: result.stages.at(-1)! };
}

function errorsIn(stage: StageReport): number {
  return Object.values(stage.operations).reduce((sum, r) => sum + (r?.errors ?? 0), 0);
}

function plateauOf(run: OpenRun, rate: number, op: Operation): RateResult {
  const seconds = run.plateau.durationMs / 1000;
  const report = run.plateau.operations[op];
  return {
    rate,
    seconds,
    okPerSecond: (report?.ok ?? 0) / seconds,
    p50Ms: run.plateau.operations.authorize?.p50Ms ?? 0,
    p99Ms: run.plateau.operations.authorize?.p99Ms ?? 0,
    errors: errorsIn(run.plateau),
    dropped: run.plateau.dropped,
  };
}

/** The sustained authorize figures: its plateau stage's authorizes. */
export function sustainedResult(run: OpenRun, rate: number): RateResult {
  return plateauOf(run, rate, "authorize");
}

/** The flow figures: flows whose capture completed, per second of the plateau, and completion latency. */
export function flowResult(run: OpenRun, rate: number): FlowResult {
  const completion = run.plateau.operations.capture_completion;
  return {
    ...plateauOf(run, rate, "capture_completion"),
    completionP50Ms: completion?.p50Ms ?? 0,
    completionP99Ms: completion?.p99Ms ?? 0,
  };
}
