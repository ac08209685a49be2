import { operations, type SecondSample } from "../metrics/recorder.ts";
import type { RatePlan } from "../plan/stages.ts";
import type { LoadRunResult } from "../run/load_run.ts";
import type { Verdict } from "../verify/verdict.ts";
import { type ChartSeries, renderChart } from "./svg_chart.ts";

/** A per-second sample is drawn at the middle of the interval it covers. */
function midS(sample: SecondSample): number {
  return sample.atS - sample.intervalS / 2;
}

/**
 * Shortest interval whose rate is charted. The last sample of a run covers
 * only what was left of its second (often a few ms); a handful of answers in
 * it divided by that sliver draws a spike no second of the run had. Its
 * counts stay in the totals, the stage table and the JSON timeline.
 */
export const rateIntervalSMin = 0.5;

/** Events per second of each sample long enough to say something (see rateIntervalSMin). */
function ratePoints(
  timeline: readonly SecondSample[],
  count: (sample: SecondSample) => number,
): Array<readonly [number, number]> {
  return timeline.filter((s) => s.intervalS >= rateIntervalSMin)
    .map((s) => [midS(s), count(s) / s.intervalS] as const);
}

/** Failed operations of a sample, requests and completions alike (as the progress line counts them). */
function errorsOf(sample: SecondSample): number {
  return operations.reduce((sum, op) => sum + (sample.operations[op]?.errors ?? 0), 0);
}

/**
 * The series of a run's chart: authorize p50/p99/max and capture completion
 * p99 (only seconds with a timed answer: a second of timeouts has no
 * latency to draw), authorize ok/s, started/s, the target and errors/s.
 */
export function chartSeries(plan: RatePlan, timeline: readonly SecondSample[]): ChartSeries[] {
  const latency = (
    op: "authorize" | "capture_completion",
    field: "p50Ms" | "p99Ms" | "maxMs",
  ) =>
    timeline.filter((s) => (s.operations[op]?.count ?? 0) > 0)
      .map((s) => [midS(s), s.operations[op]![field]] as const);
  // Max first, so p99 and p50 are drawn over it where they coincide (few samples in a second).
  const series: ChartSeries[] = [
    {
      label: "authorize max",
      color: "#ff9896",
      axis: "latency",
      points: latency("authorize", "maxMs"),
    },
    {
      label: "authorize p99",
      color: "#d62728",
      axis: "latency",
      points: latency("authorize", "p99Ms"),
    },
    {
      label: "authorize p50",
      color: "#1f77b4",
      axis: "latency",
      points: latency("authorize", "p50Ms"),
    },
  ];
  if (timeline.some((s) => s.operations.capture_completion)) {
    series.push({
      label: "capture→CAPTURED p99",
      color: "#9467bd",
      axis: "latency",
      points: latency("capture_completion", "p99Ms"),
    });
  }
  series.push(
    {
      label: "authorize ok/s",
      color: "#2ca02c",
      axis: "rate",
      points: ratePoints(timeline, (s) => s.operations.authorize?.ok ?? 0),
    },
    {
      label: "started/s",
      color: "#98df8a",
      axis: "rate",
      points: ratePoints(timeline, (s) => s.started),
    },
    { label: "target/s", color: "#7f7f7f", axis: "rate", dashed: true, points: planPoints(plan) },
    // Last, so it is drawn on top: in an all-errors run it lies on started/s.
    {
      label: "errors/s",
      color: "#ff7f0e",
      axis: "rate",
      points: ratePoints(timeline, errorsOf),
    },
  );
  return series;
}

/** The latency-over-time chart of a run. */
export function runChart(
  title: string,
  plan: RatePlan,
  result: LoadRunResult,
): string {
  return renderChart({
    title,
    series: chartSeries(plan, result.timeline),
    markers: stageMarkers(plan),
  });
}

/** The plan's rate through its stage boundaries: exact, as rates are linear in between. */
export function planPoints(plan: RatePlan): Array<readonly [number, number]> {
  const points: Array<readonly [number, number]> = [[0, plan.startRate]];
  let atMs = 0;
  for (const stage of plan.stages) {
    atMs += stage.durationMs;
    points.push([atMs / 1000, stage.target]);
  }
  return points;
}

function stageMarkers(plan: RatePlan): Array<readonly [number, string]> {
  let atMs = 0;
  return plan.stages.map((stage) => {
    const marker = [atMs / 1000, stage.name] as const;
    atMs += stage.durationMs;
    return marker;
  });
}

/** The JSON document of a run (everything but the per-payment map). */
export function resultsDocument(
  meta: Record<string, unknown>,
  plan: RatePlan,
  result: LoadRunResult,
  verdict: Verdict | undefined,
): Record<string, unknown> {
  return {
    ...meta,
    runId: result.runId,
    startedAt: result.startedAt.toISOString(),
    endedAt: result.endedAt.toISOString(),
    plan,
    arrivals: result.arrivals,
    abandoned: result.abandoned,
    aborted: result.aborted ?? null,
    generatorCpu: result.cpu,
    overall: result.overall,
    stages: result.stages,
    errors: result.errors,
    payments: result.expected.size,
    verdict: verdict ?? null,
    timeline: result.timeline,
  };
}

/** Writes `<dir>/<name>.json` and `<dir>/<name>.svg`; returns their paths. */
export async function writeResults(
  dir: string,
  name: string,
  document: Record<string, unknown>,
  svg: string,
): Promise<{ json: string; svg: string }> {
  await Deno.mkdir(dir, { recursive: true });
  const paths = { json: `${dir}/${name}.json`, svg: `${dir}/${name}.svg` };
  await Deno.writeTextFile(
    paths.json,
    JSON.stringify(document, null, 2) + "\n",
  );
  await Deno.writeTextFile(paths.svg, svg + "\n");
  return paths;
}
