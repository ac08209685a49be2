import {
  createLatencyHistogram,
  type LatencyHistogram,
  type LatencySummary,
  recordLatencyMs,
  summarize,
} from "./latency.ts";

/**
 * What is timed. Requests are timed from send to the last byte of the answer;
 * completions from the capture (refund) request's send to the moment the
 * payment became CAPTURED (REFUNDED) in MariaDB.
 */
export const operations = [
  "authorize",
  "capture",
  "refund",
  "capture_completion",
  "refund_completion",
] as const;
export type Operation = typeof operations[number];

/** An error's key in the report: `<operation> <status or transport error> [<problem code>]`. */
export function errorKey(
  operation: Operation,
  what: string | number,
  code?: string,
): string {
  return code ? `${operation} ${what} ${code}` : `${operation} ${what}`;
}

interface OperationCounts {
  ok: number;
  errors: number;
  readonly histogram: LatencyHistogram;
}

interface StageCounts {
  started: number;
  dropped: number;
  late: number;
  readonly operations: Map<Operation, OperationCounts>;
}

export interface OperationReport extends LatencySummary {
  readonly ok: number;
  readonly errors: number;
}

export interface StageReport {
  readonly name: string;
  readonly durationMs: number;
  readonly started: number;
  readonly dropped: number;
  readonly late: number;
  readonly operations: Partial<Record<Operation, OperationReport>>;
}

/** One second of the run, for the progress line, the chart and the JSON. */
export interface SecondSample {
  /** Seconds since the start at the end of this sample. */
  readonly atS: number;
  readonly intervalS: number;
  readonly targetRate: number;
  readonly started: number;
  readonly dropped: number;
  readonly late: number;
  /** HTTP answers of any status (a transport error is no answer): the target is alive. */
  readonly answers: number;
  readonly inFlight: number;
  readonly operations: Partial<Record<Operation, OperationReport>>;
}

function newOperation(): OperationCounts {
  return { ok: 0, errors: 0, histogram: createLatencyHistogram() };
}

function report(counts: OperationCounts): OperationReport {
  return {
    ok: counts.ok,
    errors: counts.errors,
    ...summarize(counts.histogram),
  };
}

function reportAll(
  map: Map<Operation, OperationCounts>,
): Partial<Record<Operation, OperationReport>> {
  const out: Partial<Record<Operation, OperationReport>> = {};
  for (const op of operations) {
    const counts = map.get(op);
    if (counts && counts.ok + counts.errors > 0) out[op] = report(counts);
  }
  return out;
}

/**
 * Counts and latencies of a run: per stage (by the stage an iteration was
 * scheduled in), per second (closed by `tick`), and overall. Histograms
 * are HdrHistograms; per-second ones are reset, not reallocated.
 */
export class Recorder {
  readonly #stages: StageCounts[];
  readonly #second: StageCounts = emptyStage();
  readonly #overall = new Map<Operation, OperationCounts>();
  readonly #errors = new Map<string, number>();
  readonly #timeline: SecondSample[] = [];
  #secondAnswers = 0;
  #lastTickS = 0;
  #closed = false;

  constructor(
    readonly stages: readonly { name: string; durationMs: number }[],
  ) {
    this.#stages = stages.map(emptyStage);
  }

  started(stage: number, latenessMs: number, lateToleranceMs: number): void {
    const late = latenessMs > lateToleranceMs ? 1 : 0;
    this.#stageAt(stage).started++;
    this.#stageAt(stage).late += late;
    this.#second.started++;
    this.#second.late += late;
  }

  dropped(stage: number): void {
    this.#stageAt(stage).dropped++;
    this.#second.dropped++;
  }

  /** The target answered a request (any status). */
  answered(): void {
    if (!this.#closed) this.#secondAnswers++;
  }

  /** A timed operation that succeeded. */
  ok(op: Operation, stage: number, latencyMs: number): void {
    this.#record(op, stage, latencyMs, true);
  }

  /** A failed operation; `latencyMs` undefined when there was no answer to time. */
  failed(op: Operation, stage: number, key: string, latencyMs?: number): void {
    this.#record(op, stage, latencyMs, false);
    this.#errors.set(key, (this.#errors.get(key) ?? 0) + 1);
  }

  #record(
    op: Operation,
    stage: number,
    latencyMs: number | undefined,
    ok: boolean,
  ): void {
    if (this.#closed) return; // an iteration abandoned at the end answered late
    for (
      const map of [
        this.#stageAt(stage).operations,
        this.#second.operations,
        this.#overall,
      ]
    ) {
      let counts = map.get(op);
      if (!counts) map.set(op, counts = newOperation());
      if (ok) counts.ok++;
      else counts.errors++;
      if (latencyMs !== undefined) recordLatencyMs(counts.histogram, latencyMs);
    }
  }

  #stageAt(stage: number): StageCounts {
    return this.#stages[Math.min(Math.max(stage, 0), this.#stages.length - 1)]!;
  }

  /** Closes the current second and returns its sample. */
  tick(atS: number, targetRate: number, inFlight: number): SecondSample {
    const sample: SecondSample = {
      atS,
      intervalS: atS - this.#lastTickS,
      targetRate,
      started: this.#second.started,
      dropped: this.#second.dropped,
      late: this.#second.late,
      answers: this.#secondAnswers,
      inFlight,
      operations: reportAll(this.#second.operations),
    };
    this.#lastTickS = atS;
    this.#timeline.push(sample);
    this.#second.started = this.#second.dropped = this.#second.late = 0;
    this.#secondAnswers = 0;
    for (const counts of this.#second.operations.values()) {
      counts.ok = counts.errors = 0;
      counts.histogram.reset();
    }
    return sample;
  }

  /** Everything so far, per operation. */
  overall(): Partial<Record<Operation, OperationReport>> {
    return reportAll(this.#overall);
  }

  stageReports(): StageReport[] {
    return this.#stages.map((counts, i) => ({
      name: this.stages[i]!.name,
      durationMs: this.stages[i]!.durationMs,
      started: counts.started,
      dropped: counts.dropped,
      late: counts.late,
      operations: reportAll(counts.operations),
    }));
  }

  /** Error counts by key, most frequent first. */
  errors(): Array<{ key: string; count: number }> {
    return [...this.#errors].map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  }

  timeline(): readonly SecondSample[] {
    return this.#timeline;
  }

  /** Frees the histograms; later records are ignored. */
  close(): void {
    this.#closed = true;
    const all = [
      this.#overall,
      this.#second.operations,
      ...this.#stages.map((s) => s.operations),
    ];
    for (const map of all) {
      for (const counts of map.values()) counts.histogram.destroy();
    }
  }
}

function emptyStage(): StageCounts {
  return { started: 0, dropped: 0, late: 0, operations: new Map() };
}

/** Operations that are HTTP requests; completions are judged by the payment states instead. */
export const requestOperations = ["authorize", "capture", "refund"] as const;

/** Requests sent and failed, over the request operations of one or more reports. */
export function requestTotals(
  reports: ReadonlyArray<Partial<Record<Operation, OperationReport>>>,
): { total: number; errors: number } {
  let total = 0;
  let errors = 0;
  for (const report of reports) {
    for (const op of requestOperations) {
      total += (report[op]?.ok ?? 0) + (report[op]?.errors ?? 0);
      errors += report[op]?.errors ?? 0;
    }
  }
  return { total, errors };
}
