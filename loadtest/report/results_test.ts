import assert from "node:assert/strict";
import { Recorder } from "../metrics/recorder.ts";
import type { RatePlan } from "../plan/stages.ts";
import { chartSeries } from "./results.ts";
import { renderChart } from "./svg_chart.ts";

const plan: RatePlan = {
  startRate: 100,
  stages: [{ name: "sustain", durationMs: 3_000, target: 100 }],
};

function series(label: string, list: ReturnType<typeof chartSeries>) {
  const found = list.find((s) => s.label === label);
  assert.ok(found, `no series ${label}`);
  return found;
}

Deno.test("the last, partial second of a run is not charted as a rate spike", () => {
  const recorder = new Recorder(plan.stages);
  for (const atS of [1, 2, 3]) {
    for (let i = 0; i < 100; i++) recorder.ok("authorize", 0, 5);
    recorder.tick(atS, 100, 3);
  }
  // What answered after the last tick: 5 answers in 20 ms would read 250/s.
  for (let i = 0; i < 5; i++) recorder.ok("authorize", 0, 5);
  recorder.tick(3.02, 0, 0);
  const list = chartSeries(plan, recorder.timeline());
  const ok = series("authorize ok/s", list).points;
  assert.deepEqual(ok.map(([, y]) => y), [100, 100, 100]);
  assert.ok(series("authorize p99", list).points.length === 4, "latency of the sliver is kept");
  recorder.close();
});

Deno.test("an all-errors run shows its errors in the chart, with no latency drawn for timeouts", () => {
  const recorder = new Recorder(plan.stages);
  for (const atS of [1, 2, 3]) {
    for (let i = 0; i < 40; i++) recorder.failed("authorize", 0, "authorize ECONNREFUSED");
    recorder.tick(atS, 100, 0);
  }
  const list = chartSeries(plan, recorder.timeline());
  assert.deepEqual(series("errors/s", list).points.map(([, y]) => y), [40, 40, 40]);
  assert.deepEqual(series("authorize ok/s", list).points.map(([, y]) => y), [0, 0, 0]);
  assert.equal(series("authorize p99", list).points.length, 0);
  const svg = renderChart({ title: "dead target", series: list });
  const errors = /points="([^"]+)"><title>errors\/s<\/title>/.exec(svg);
  assert.ok(errors, "errors/s is drawn");
  const plotBottom = 440 - 72;
  for (const pair of errors[1]!.split(" ")) {
    assert.ok(Number(pair.split(",")[1]) < plotBottom, `errors/s drawn on the floor: ${pair}`);
  }
  recorder.close();
});
