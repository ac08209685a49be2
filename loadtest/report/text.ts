import type { Operation, OperationReport, SecondSample } from "../metrics/recorder.ts";
import { operations } from "../metrics/recorder.ts";
import type { RatePlan } from "../plan/stages.ts";
import type { LoadRunResult } from "../run/load_run.ts";

/** How an operation is named in tables. */
export const operationLabels: Record<Operation, string> = {
  authorize: "authorize",
  capture: "capture",
  refund: "refund",
  capture_completion: "capture→CAPTURED",
  refund_completion: "refund→REFUNDED",
};

/** Milliseconds with 3 significant digits at most, e.g. `0.412`, `23.4`, `1250`. */
export function formatMs(ms: number): string {
  if (ms === 0) return "0";
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** A rate per second: integers from 100 up, one decimal below. */
export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

/** `1m30s`, `45s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
}

/** The line printed every second while a run goes. */
export function formatProgress(
  sample: SecondSample,
  overall: Partial<Record<Operation, OperationReport>>,
): string {
  const per = (n: number) => formatRate(sample.intervalS > 0 ? n / sample.intervalS : 0);
  const authorize = sample.operations.authorize;
  const answered = authorize ? authorize.ok + authorize.errors : 0;
  const errors = operations.reduce(
    (sum, op) => sum + (sample.operations[op]?.errors ?? 0),
    0,
  );
  const parts = [
    `[${sample.atS.toFixed(0).padStart(4)}s]`,
    `target ${formatRate(sample.targetRate).padStart(6)}/s`,
    `started ${per(sample.started).padStart(6)}/s`,
    `done ${per(answered).padStart(6)}/s`,
    `in flight ${String(sample.inFlight).padStart(5)}`,
    `p99 ${formatMs(authorize?.p99Ms ?? 0).padStart(6)} ms (run ${
      formatMs(overall.authorize?.p99Ms ?? 0)
    })`,
  ];
  const completion = sample.operations.capture_completion;
  if (completion) {
    parts.push(`capture→CAPTURED p99 ${formatMs(completion.p99Ms)} ms`);
  }
  parts.push(`errors ${errors}`);
  if (sample.late > 0) parts.push(`late ${sample.late}`);
  if (sample.dropped > 0) parts.push(`dropped ${sample.dropped}`);
  return parts.join("  ");
}

const columns = [
  ["stage", 12],
  ["duration", 8],
  ["target/s", 11],
  ["started/s", 9],
  ["operation", 17],
  ["ok", 8],
  ["errors", 7],
  ["ok/s", 7],
  ["p50 ms", 8],
  ["p95 ms", 8],
  ["p99 ms", 8],
  ["max ms", 8],
] as const;

function row(cells: readonly string[]): string {
  return cells.map((cell, i) => {
    const [, width] = columns[i]!;
    return i < 5 ? cell.padEnd(width) : cell.padStart(width);
  }).join(" ").trimEnd();
}

function operationRows(
  lead: readonly string[],
  ops: Partial<Record<Operation, OperationReport>>,
  durationS: number,
): string[] {
  const present = operations.filter((op) => ops[op]);
  if (present.length === 0) return [row([...lead, "-"])];
  return present.map((op, i) => {
    const r = ops[op]!;
    const cells = i === 0 ? lead : lead.map(() => "");
    return row([
      ...cells,
      operationLabels[op],
      String(r.ok),
      String(r.errors),
      formatRate(durationS > 0 ? r.ok / durationS : 0),
      formatMs(r.p50Ms),
      formatMs(r.p95Ms),
      formatMs(r.p99Ms),
      formatMs(r.maxMs),
    ]);
  });
}

/** The per-stage table: achieved rates and p50/p95/p99/max of every operation. */
export function formatStageTable(
  plan: RatePlan,
  result: LoadRunResult,
): string {
  const lines = [row(columns.map(([name]) => name))];
  let from = plan.startRate;
  for (const [i, stage] of result.stages.entries()) {
    const to = plan.stages[i]?.target ?? 0;
    const durationS = stage.durationMs / 1000;
    const target = from === to ? formatRate(to) : `${formatRate(from)}→${formatRate(to)}`;
    lines.push(...operationRows(
      [
        stage.name,
        formatDuration(stage.durationMs),
        target,
        formatRate(stage.started / durationS),
      ],
      stage.operations,
      durationS,
    ));
    from = to;
  }
  const totalS = (result.endedAt.getTime() - result.startedAt.getTime()) / 1000;
  lines.push(...operationRows(
    [
      "all",
      formatDuration(totalS * 1000),
      "",
      formatRate(result.arrivals.started / totalS),
    ],
    result.overall,
    totalS,
  ));
  return lines.join("\n");
}

/** Errors by operation, status or transport error, and problem code. */
export function formatErrors(errors: LoadRunResult["errors"]): string {
  if (errors.length === 0) return "Errors: none";
  const width = Math.max(...errors.map((e) => e.key.length));
  return [
    "Errors:",
    ...errors.map((e) => `  ${e.key.padEnd(width)}  ${e.count}`),
  ].join("\n");
}

export function formatSchedule(
  result: LoadRunResult,
  maxInFlight: number,
  lateToleranceMs: number,
): string {
  const a = result.arrivals;
  return `Schedule: ${a.scheduled} scheduled, ${a.started} started, ${a.dropped} dropped ` +
    `(in-flight limit ${maxInFlight}), ${a.late} late (> ${lateToleranceMs} ms; max ` +
    `${formatMs(a.maxLatenessMs)} ms)` +
    (result.abandoned ? `, ${result.abandoned} abandoned at the end` : "");
}

export function formatCpu(result: LoadRunResult): string {
  const c = result.cpu;
  return `Generator CPU: ${c.corePercent.toFixed(1)}% of one core (user ${c.userS.toFixed(1)} s, ` +
    `system ${c.systemS.toFixed(1)} s over ${c.wallS.toFixed(1)} s)`;
}
