import assert from "node:assert/strict";
import { Recorder } from "../metrics/recorder.ts";
import type { RatePlan } from "../plan/stages.ts";
import type { LoadRunResult } from "../run/load_run.ts";
import {
  formatCpu,
  formatDuration,
  formatErrors,
  formatMs,
  formatProgress,
  formatRate,
  formatSchedule,
  formatStageTable,
} from "./text.ts";

const plan: RatePlan = {
  startRate: 0,
  stages: [
    { name: "warm-up", durationMs: 10_000, target: 100 },
    { name: "sustain", durationMs: 20_000, target: 100 },
  ],
};

function resultOf(recorder: Recorder): LoadRunResult {
  return {
    runId: "r1",
    startedAt: new Date(0),
    endedAt: new Date(30_000),
    arrivals: { scheduled: 2_500, started: 2_490, dropped: 10, late: 3, maxLatenessMs: 12.5 },
    abandoned: 0,
    stages: recorder.stageReports(),
    overall: recorder.overall(),
    errors: recorder.errors(),
    timeline: recorder.timeline(),
    expected: new Map(),
    cpu: { userS: 3, systemS: 1.5, wallS: 30, corePercent: 15 },
  };
}

Deno.test("milliseconds, rates and durations print with sensible precision", () => {
  assert.deepEqual([0, 0.4123, 4.567, 23.45, 1250.4].map(formatMs), [
    "0",
    "0.412",
    "4.57",
    "23.4",
    "1250",
  ]);
  assert.deepEqual([0, 9.96, 99.94, 3000.4].map(formatRate), ["0.0", "10.0", "99.9", "3000"]);
  assert.deepEqual([250, 45_000, 90_000, 120_000].map(formatDuration), [
    "250ms",
    "45s",
    "1m30s",
    "2m",
  ]);
});

Deno.test("percentiles per stage come from the recorded latencies: 1..100 ms gives p50 50, p95 95, p99 99", () => {
  const recorder = new Recorder(plan.stages);
  for (let ms = 1; ms <= 100; ms++) recorder.ok("authorize", 1, ms);
  recorder.failed("authorize", 1, "authorize 503 upstream_unavailable", 7);
  recorder.failed("authorize", 0, "authorize timeout");
  const sustain = recorder.stageReports()[1]!.operations.authorize!;
  assert.equal(sustain.ok, 100);
  assert.equal(sustain.errors, 1);
  assert.deepEqual(
    [sustain.p50Ms, sustain.p95Ms, sustain.p99Ms, sustain.maxMs].map((v) => Math.round(v)),
    [50, 95, 99, 100],
  );
  assert.equal(
    recorder.stageReports()[0]!.operations.authorize!.count,
    0,
    "a timeout has no latency",
  );
  recorder.close();
});

Deno.test("the stage table has a row per stage and operation, with target ramps and achieved rates", () => {
  const recorder = new Recorder(plan.stages);
  for (let i = 0; i < 500; i++) recorder.started(0, 0, 10);
  for (let i = 0; i < 2_000; i++) recorder.started(1, 0, 10);
  for (let i = 0; i < 2_000; i++) recorder.ok("authorize", 1, 10 + (i % 10));
  for (let i = 0; i < 2_000; i++) recorder.ok("capture_completion", 1, 200);
  const table = formatStageTable(plan, resultOf(recorder)).split("\n");
  recorder.close();
  assert.match(
    table[0]!,
    /^stage\s+duration\s+target\/s\s+started\/s\s+operation\s+ok\s+errors\s+ok\/s\s+p50 ms\s+p95 ms\s+p99 ms\s+max ms$/,
  );
  assert.match(table[1]!, /^warm-up\s+10s\s+0\.0→100\s+50\.0\s+-$/);
  assert.match(
    table[2]!,
    /^sustain\s+20s\s+100\s+100\s+authorize\s+2000\s+0\s+100\s+14\.\d\s+19\.\d\s+19\.\d\s+19\.\d$/,
  );
  assert.match(table[3]!, /^\s+capture→CAPTURED\s+2000\s+0\s+100\s+200\s+200\s+200\s+200$/);
  assert.match(table[4]!, /^all\s+30s\s+83\.0\s+authorize\s+2000\s+0\s+66\.7/);
});

Deno.test("errors are listed by operation, status and code, most frequent first", () => {
  const recorder = new Recorder(plan.stages);
  recorder.failed("capture", 1, "capture 409 invalid_state", 1);
  recorder.failed("authorize", 1, "authorize 429 rate_limited", 1);
  recorder.failed("authorize", 1, "authorize 429 rate_limited", 1);
  assert.equal(
    formatErrors(recorder.errors()),
    "Errors:\n  authorize 429 rate_limited  2\n  capture 409 invalid_state   1",
  );
  assert.equal(formatErrors([]), "Errors: none");
  recorder.close();
});

Deno.test("the progress line shows target, achieved rates, in flight, p99 so far, errors and late starts", () => {
  const recorder = new Recorder(plan.stages);
  for (let i = 0; i < 95; i++) recorder.started(1, i < 2 ? 20 : 0, 10);
  for (let i = 0; i < 94; i++) recorder.ok("authorize", 1, 20);
  recorder.failed("authorize", 1, "authorize timeout");
  const sample = recorder.tick(1, 100, 14);
  const line = formatProgress(sample, recorder.overall());
  recorder.close();
  assert.equal(
    line,
    "[   1s]  target    100/s  started   95.0/s  done   95.0/s  in flight    14  " +
      "p99   20.0 ms (run 20.0)  errors 1  late 2",
  );
});

Deno.test("schedule and generator CPU lines state drops, lateness and cost", () => {
  const recorder = new Recorder(plan.stages);
  const result = resultOf(recorder);
  recorder.close();
  assert.equal(
    formatSchedule(result, 10_000, 10),
    "Schedule: 2500 scheduled, 2490 started, 10 dropped (in-flight limit 10000), 3 late (> 10 ms; max 12.5 ms)",
  );
  assert.equal(
    formatCpu(result),
    "Generator CPU: 15.0% of one core (user 3.0 s, system 1.5 s over 30.0 s)",
  );
});
