/**
 * Arrival-rate plans, as k6's `ramping-arrival-rate` executor reads them: the
 * rate starts at `startRate` and, in each stage, moves linearly to the
 * stage's `target` over its duration. Rates are iterations per second.
 */
export interface Stage {
  readonly name: string;
  readonly durationMs: number;
  /** Rate reached at the end of the stage (iterations/s). */
  readonly target: number;
}

export interface RatePlan {
  readonly startRate: number;
  readonly stages: readonly Stage[];
}

/** One stage placed on the time line, with the arrivals before and within it. */
interface Segment {
  readonly startMs: number;
  readonly durationMs: number;
  readonly fromRate: number;
  readonly toRate: number;
  readonly arrivalsBefore: number;
  /** Arrivals of this stage; fractional: the plan's total is rounded down once. */
  readonly arrivals: number;
}

export function planDurationMs(plan: RatePlan): number {
  return plan.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
}

/** The highest rate the plan reaches (iterations/s). */
export function peakRate(plan: RatePlan): number {
  return Math.max(plan.startRate, ...plan.stages.map((s) => s.target));
}

/** The plan with every rate multiplied by `factor`. */
export function scalePlan(plan: RatePlan, factor: number): RatePlan {
  return {
    startRate: plan.startRate * factor,
    stages: plan.stages.map((s) => ({ ...s, target: s.target * factor })),
  };
}

/** Index of the stage running at `elapsedMs` (the last one at or past the end). */
export function stageIndexAt(plan: RatePlan, elapsedMs: number): number {
  let endMs = 0;
  for (let i = 0; i < plan.stages.length; i++) {
    endMs += plan.stages[i]!.durationMs;
    if (elapsedMs < endMs) return i;
  }
  return Math.max(0, plan.stages.length - 1);
}

/** The target rate at `elapsedMs` (iterations/s); 0 past the end. */
export function rateAt(plan: RatePlan, elapsedMs: number): number {
  let startMs = 0;
  let from = plan.startRate;
  for (const stage of plan.stages) {
    if (elapsedMs < startMs + stage.durationMs) {
      return from +
        (stage.target - from) * (elapsedMs - startMs) / stage.durationMs;
    }
    startMs += stage.durationMs;
    from = stage.target;
  }
  return 0;
}

/**
 * When each arrival is due. Arrival `n` (from 0) is due when the integral of
 * the rate reaches n + 1, so a constant 100/s starts at 10 ms, 20 ms, ...
 * Lookups are O(1) amortised for increasing `n`.
 */
export class ArrivalSchedule {
  readonly #segments: Segment[] = [];
  readonly totalArrivals: number;
  #cursor = 0;

  constructor(readonly plan: RatePlan) {
    let startMs = 0;
    let from = plan.startRate;
    let before = 0;
    for (const stage of plan.stages) {
      assertStage(stage);
      const arrivals = (from + stage.target) / 2 * stage.durationMs / 1000;
      this.#segments.push({
        startMs,
        durationMs: stage.durationMs,
        fromRate: from,
        toRate: stage.target,
        arrivalsBefore: before,
        arrivals,
      });
      startMs += stage.durationMs;
      from = stage.target;
      before += arrivals;
    }
    // A tiny tolerance keeps 0.1 * 30 = 2.9999999 from losing an arrival.
    this.totalArrivals = Math.floor(before + 1e-9);
  }

  /** Milliseconds from the run's start at which arrival `n` is due; undefined past the plan. */
  timeOf(n: number): number | undefined {
    if (n < 0 || n >= this.totalArrivals) return undefined;
    const k = n + 1;
    if (this.#segments[this.#cursor]!.arrivalsBefore > k) this.#cursor = 0;
    while (this.#cursor < this.#segments.length - 1) {
      const s = this.#segments[this.#cursor]!;
      if (k <= s.arrivalsBefore + s.arrivals + 1e-9) break;
      this.#cursor++;
    }
    const s = this.#segments[this.#cursor]!;
    return s.startMs +
      Math.min(s.durationMs, offsetWithin(s, k - s.arrivalsBefore));
  }
}

/**
 * Time into a linear segment at which `k` of its arrivals have come:
 * solves from*t + (to-from)*t^2/(2d) = k, per millisecond, in the form that
 * stays exact when the rate does not change.
 */
function offsetWithin(s: Segment, k: number): number {
  const b = s.fromRate / 1000;
  const a = (s.toRate - s.fromRate) / 1000 / (2 * s.durationMs);
  const discriminant = Math.max(0, b * b + 4 * a * k);
  const denominator = b + Math.sqrt(discriminant);
  return denominator > 0 ? 2 * k / denominator : s.durationMs;
}

function assertStage(stage: Stage): void {
  if (!(stage.durationMs > 0) || !Number.isFinite(stage.durationMs)) {
    throw new Error(
      `Stage duration must be positive: ${stage.name} ${stage.durationMs} ms`,
    );
  }
  if (!(stage.target >= 0) || !Number.isFinite(stage.target)) {
    throw new Error(
      `Stage target must be a rate >= 0: ${stage.name} ${stage.target}`,
    );
  }
}
