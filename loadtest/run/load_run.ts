import process from "node:process";
import type { Db } from "@pay/lib/db";
import type { LoadAuth, LoadMerchant } from "../http/auth.ts";
import { createLoadHttpClient } from "../http/client.ts";
import {
  type Operation,
  type OperationReport,
  Recorder,
  type SecondSample,
  type StageReport,
} from "../metrics/recorder.ts";
import {
  ArrivalSchedule,
  planDurationMs,
  rateAt,
  type RatePlan,
  stageIndexAt,
} from "../plan/stages.ts";
import { SilenceWatch } from "./silence_watch.ts";
import { startCompletionTracker } from "../scenario/completion_tracker.ts";
import type { PaymentExpectation } from "../scenario/expectation.ts";
import { runIteration, type ScenarioDeps, type ScenarioOptions } from "../scenario/iteration.ts";
import {
  type ArrivalRun,
  type ArrivalStats,
  type Clock,
  realClock,
  runArrivals,
} from "./scheduler.ts";

/** How often the progress line is printed and a timeline sample taken. */
export const progressIntervalMs = 1_000;

export interface LoadRunOptions {
  readonly plan: RatePlan;
  readonly scenario: ScenarioOptions;
  readonly targetUrl: string;
  readonly maxInFlight: number;
  readonly lateToleranceMs: number;
  readonly requestTimeoutMs: number;
  readonly socketsMax: number;
  /** After the last start, how long running iterations may take before they are abandoned. */
  readonly gracefulStopMs: number;
  readonly completionTimeoutMs: number;
  /** Stop early when requests go out and nothing answers for this long (0: never). */
  readonly silenceAbortMs: number;
}

export interface LoadRunDeps {
  readonly auth: LoadAuth;
  readonly merchants: readonly LoadMerchant[];
  readonly runId: string;
  /** MariaDB of the system under test; the flow scenario watches completions there. */
  readonly pool?: Db;
  /** Receives one line a second while the run goes. */
  readonly progress?: (
    sample: SecondSample,
    overall: Partial<Record<Operation, OperationReport>>,
  ) => void;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/** What the generator itself cost: its CPU over the run's wall time. */
export interface GeneratorCpu {
  readonly userS: number;
  readonly systemS: number;
  readonly wallS: number;
  /** CPU time / wall time, in % of one core. */
  readonly corePercent: number;
}

export interface LoadRunResult {
  readonly runId: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly arrivals: ArrivalStats;
  /** Iterations still running when the graceful stop ran out. */
  readonly abandoned: number;
  readonly stages: readonly StageReport[];
  readonly overall: Partial<Record<Operation, OperationReport>>;
  readonly errors: ReadonlyArray<{ key: string; count: number }>;
  readonly timeline: readonly SecondSample[];
  readonly expected: ReadonlyMap<string, PaymentExpectation>;
  readonly cpu: GeneratorCpu;
  /** Why the run stopped before its plan ended; undefined when it ran to the end. */
  readonly aborted?: string;
}

/** Runs the plan against the target (open model) and returns every figure. */
export async function runLoad(
  options: LoadRunOptions,
  deps: LoadRunDeps,
): Promise<LoadRunResult> {
  if (options.scenario.scenario === "flow" && !deps.pool) {
    throw new Error(
      "The flow scenario needs MariaDB to watch captures complete",
    );
  }
  if (deps.merchants.length === 0) throw new Error("No merchant to send as");
  const clock = deps.clock ?? realClock;
  const plan = options.plan;
  const recorder = new Recorder(plan.stages);
  const client = createLoadHttpClient({
    baseUrl: options.targetUrl,
    timeoutMs: options.requestTimeoutMs,
    socketsMax: options.socketsMax,
  });
  const tracker = deps.pool && options.scenario.scenario === "flow"
    ? startCompletionTracker(deps.pool, options.completionTimeoutMs)
    : undefined;
  const expected = new Map<string, PaymentExpectation>();
  const scenarioDeps: ScenarioDeps = {
    options: options.scenario,
    client,
    auth: deps.auth,
    merchants: deps.merchants,
    recorder,
    tracker,
    runId: deps.runId,
    expected,
    random: deps.random ?? Math.random,
  };

  const cpuBefore = process.cpuUsage();
  const startedAt = new Date();
  const originMs = clock.now();
  const stop = new AbortController();
  let aborted: string | undefined;
  const run = runArrivals({
    signal: stop.signal,
    schedule: new ArrivalSchedule(plan),
    clock,
    maxInFlight: options.maxInFlight,
    lateToleranceMs: options.lateToleranceMs,
    start: (arrival) => {
      const stage = stageIndexAt(plan, arrival.scheduledMs);
      recorder.started(stage, arrival.latenessMs, options.lateToleranceMs);
      return runIteration(scenarioDeps, arrival.index, stage);
    },
    onDropped: (arrival) => recorder.dropped(stageIndexAt(plan, arrival.scheduledMs)),
  });
  const watch = new SilenceWatch(options.silenceAbortMs);
  const ticker = startProgress(
    recorder,
    plan,
    () => clock.now() - originMs,
    run,
    (sample, overall) => {
      deps.progress?.(sample, overall);
      if (aborted === undefined && watch.observe(sample)) {
        aborted = `No answer from ${options.targetUrl} for ${
          Math.round(watch.silentS(sample.atS))
        } s while requests were out: stopped at ${Math.round(sample.atS)} s of ${
          Math.round(planDurationMs(plan) / 1000)
        } s`;
        stop.abort();
      }
    },
  );

  let abandoned = 0;
  try {
    await run.scheduled;
    // A dead target answers nobody: the graceful stop would only wait for timeouts.
    abandoned = aborted === undefined
      ? await gracefulStop(run, options.gracefulStopMs)
      : run.inFlight();
  } finally {
    clearInterval(ticker);
    tracker?.stop();
    client.close();
  }
  const elapsedMs = clock.now() - originMs;
  recorder.tick(Math.round(elapsedMs) / 1000, 0, run.inFlight());
  const result: LoadRunResult = {
    runId: deps.runId,
    startedAt,
    endedAt: new Date(),
    arrivals: { ...run.stats },
    abandoned,
    stages: recorder.stageReports(),
    overall: recorder.overall(),
    errors: recorder.errors(),
    timeline: [...recorder.timeline()],
    expected,
    cpu: generatorCpu(process.cpuUsage(cpuBefore), elapsedMs / 1000),
    aborted,
  };
  recorder.close();
  return result;
}

/** Every second: closes the recorder's second and hands the sample to `progress`. */
function startProgress(
  recorder: Recorder,
  plan: RatePlan,
  elapsedMs: () => number,
  run: ArrivalRun,
  progress: LoadRunDeps["progress"],
): ReturnType<typeof setInterval> {
  return setInterval(() => {
    const atMs = elapsedMs();
    const target = atMs < planDurationMs(plan) ? rateAt(plan, atMs) : 0;
    const sample = recorder.tick(Math.round(atMs) / 1000, target, run.inFlight());
    progress?.(sample, recorder.overall());
  }, progressIntervalMs);
}

/** Waits up to `graceMs` for running iterations; returns how many were still running then. */
async function gracefulStop(run: ArrivalRun, graceMs: number): Promise<number> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const over = new Promise<"over">((resolve) => {
    timer = setTimeout(() => resolve("over"), graceMs);
  });
  const finished = await Promise.race([run.settled().then(() => "settled" as const), over]);
  clearTimeout(timer);
  return finished === "over" ? run.inFlight() : 0;
}

function generatorCpu(
  cpu: { user: number; system: number },
  wallS: number,
): GeneratorCpu {
  const userS = cpu.user / 1e6;
  const systemS = cpu.system / 1e6;
  return {
    userS,
    systemS,
    wallS,
    corePercent: wallS > 0 ? Math.round((userS + systemS) / wallS * 1000) / 10 : 0,
  };
}
