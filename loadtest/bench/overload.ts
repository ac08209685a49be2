import { cliDefaults } from "../cli/flags.ts";
import { createLoadHttpClient } from "../http/client.ts";
import {
  createLatencyHistogram,
  type LatencySummary,
  recordLatencyMs,
  summarize,
} from "../metrics/latency.ts";
import { errorKey, type Operation, Recorder } from "../metrics/recorder.ts";
import { sustainPlan } from "../plan/profiles.ts";
import { ArrivalSchedule, stageIndexAt } from "../plan/stages.ts";
import { type ArrivalRun, realClock, runArrivals } from "../run/scheduler.ts";
import type { PaymentExpectation } from "../scenario/expectation.ts";
import { runIteration } from "../scenario/iteration.ts";
import { authorizeIterationDeps, type Target } from "./phases.ts";

/** (h) Authorize through the gateway at a multiple of its measured closed-loop capacity. */
export interface OverloadResult {
  /** Offered authorizes per second (open model). */
  readonly rate: number;
  readonly seconds: number;
  /** The closed-loop capacity through the gateway the rate is a multiple of. */
  readonly capacityPerSecond: number;
  /** Authorizes answered 201 per second. */
  readonly goodputPerSecond: number;
  /** Latency of the accepted (201) answers only. */
  readonly acceptedP50Ms: number;
  readonly acceptedP99Ms: number;
  /** Answers 503 `overloaded`: refused by admission control. */
  readonly shed: number;
  readonly shedP50Ms: number;
  readonly shedP99Ms: number;
  /** Anything else: other statuses, timeouts, resets, and starts the generator dropped. */
  readonly errors: number;
  /** The failures by kind (`authorize 503 overloaded`, `authorize timeout`, ...), for the JSON. */
  readonly errorKinds: ReadonlyArray<{ key: string; count: number }>;
}

const shedKey = errorKey("authorize", 503, "overloaded");

/**
 * The generator's recorder, with shed answers timed apart: the authorize
 * histogram holds accepted answers only, so its p99 is the accepted p99.
 */
class OverloadRecorder extends Recorder {
  readonly shedLatency = createLatencyHistogram();
  shed = 0;

  constructor(stages: readonly { name: string; durationMs: number }[]) {
    super(stages);
  }

  override failed(op: Operation, stage: number, key: string, latencyMs?: number): void {
    super.failed(op, stage, key);
    if (key !== shedKey || latencyMs === undefined) return;
    this.shed++;
    recordLatencyMs(this.shedLatency, latencyMs);
  }
}

/**
 * Offers `rate` authorizes/s through the gateway for `seconds` at once (no
 * warm-up: overload arrives as a step), then waits up to `gracefulStopSeconds`
 * for the answers. Payments created are added to `expected`.
 */
export async function overloadRun(
  target: Target,
  timing: { rate: number; seconds: number; gracefulStopSeconds: number },
  capacityPerSecond: number,
  runId: string,
  expected: Map<string, PaymentExpectation>,
): Promise<OverloadResult> {
  const plan = sustainPlan(timing.rate, timing.seconds * 1000, 0);
  const recorder = new OverloadRecorder(plan.stages);
  const client = createLoadHttpClient({
    baseUrl: target.url,
    timeoutMs: cliDefaults.requestTimeoutMs,
    socketsMax: cliDefaults.sockets,
  });
  const deps = authorizeIterationDeps(target, client, recorder, runId, expected);
  try {
    const run = runArrivals({
      schedule: new ArrivalSchedule(plan),
      clock: realClock,
      maxInFlight: cliDefaults.maxInFlight,
      lateToleranceMs: cliDefaults.lateToleranceMs,
      start: (arrival) => {
        const stage = stageIndexAt(plan, arrival.scheduledMs);
        recorder.started(stage, arrival.latenessMs, cliDefaults.lateToleranceMs);
        return runIteration(deps, arrival.index, stage);
      },
      onDropped: (arrival) => recorder.dropped(stageIndexAt(plan, arrival.scheduledMs)),
    });
    await run.scheduled;
    await settledWithin(run, timing.gracefulStopSeconds * 1000);
    const stage = recorder.stageReports()[0]!;
    const accepted = stage.operations.authorize;
    const shed: LatencySummary = summarize(recorder.shedLatency);
    return {
      rate: timing.rate,
      seconds: timing.seconds,
      capacityPerSecond,
      goodputPerSecond: (accepted?.ok ?? 0) / timing.seconds,
      acceptedP50Ms: accepted?.p50Ms ?? 0,
      acceptedP99Ms: accepted?.p99Ms ?? 0,
      shed: recorder.shed,
      shedP50Ms: shed.p50Ms,
      shedP99Ms: shed.p99Ms,
      errors: (accepted?.errors ?? 0) - recorder.shed + stage.dropped,
      errorKinds: recorder.errors(),
    };
  } finally {
    client.close();
    recorder.close();
  }
}

async function settledWithin(run: ArrivalRun, graceMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const over = new Promise<void>((resolve) => timer = setTimeout(resolve, graceMs));
  await Promise.race([run.settled(), over]);
  clearTimeout(timer);
}
