import assert from "node:assert/strict";
import { profiles, sustainPlan } from "./profiles.ts";
import {
  ArrivalSchedule,
  peakRate,
  planDurationMs,
  rateAt,
  type RatePlan,
  scalePlan,
  stageIndexAt,
} from "./stages.ts";

const ramp: RatePlan = {
  startRate: 0,
  stages: [
    { name: "up", durationMs: 10_000, target: 100 },
    { name: "hold", durationMs: 5_000, target: 100 },
    { name: "down", durationMs: 5_000, target: 0 },
  ],
};

Deno.test("the rate moves linearly within a stage from the previous target", () => {
  assert.equal(rateAt(ramp, 0), 0);
  assert.equal(rateAt(ramp, 5_000), 50);
  assert.equal(rateAt(ramp, 12_000), 100);
  assert.equal(rateAt(ramp, 17_500), 50);
  assert.equal(rateAt(ramp, 20_000), 0);
  assert.equal(stageIndexAt(ramp, 9_999), 0);
  assert.equal(stageIndexAt(ramp, 10_000), 1);
  assert.equal(stageIndexAt(ramp, 99_000), 2);
});

Deno.test("a constant rate schedules evenly spaced arrivals, the first one interval in", () => {
  const schedule = new ArrivalSchedule({
    startRate: 100,
    stages: [{ name: "c", durationMs: 1_000, target: 100 }],
  });
  assert.equal(schedule.totalArrivals, 100);
  assert.equal(schedule.timeOf(0), 10);
  assert.equal(schedule.timeOf(49), 500);
  assert.equal(schedule.timeOf(99), 1_000);
  assert.equal(schedule.timeOf(100), undefined);
  assert.equal(schedule.timeOf(-1), undefined);
});

Deno.test("arrival counts are the integral of the rate: the original k6 shape sends 136,800", () => {
  assert.equal(new ArrivalSchedule(ramp).totalArrivals, 500 + 500 + 250);
  assert.equal(new ArrivalSchedule(profiles.k6!).totalArrivals, 136_800);
  assert.equal(planDurationMs(profiles.k6!), 480_000);
  assert.equal(peakRate(profiles.k6!), 400);
});

Deno.test("on a ramp, arrival times are increasing and match the integral of the rate", () => {
  const schedule = new ArrivalSchedule(ramp);
  let previous = -1;
  for (let n = 0; n < schedule.totalArrivals; n++) {
    const t = schedule.timeOf(n)!;
    assert.ok(t > previous, `arrival ${n} at ${t} after ${previous}`);
    previous = t;
  }
  // 0 -> 100/s over 10 s is 10t per s, so 5t^2 arrivals by t s: the 20th at 2 s, the 500th at 10 s.
  assert.ok(Math.abs(schedule.timeOf(19)! - 2_000) < 1e-6);
  assert.ok(Math.abs(schedule.timeOf(499)! - 10_000) < 1e-6);
  // The hold stage: 500 before it, then one every 10 ms.
  assert.ok(Math.abs(schedule.timeOf(509)! - 10_100) < 1e-6);
  assert.ok(Math.abs(schedule.timeOf(1_249)! - 20_000) < 1e-3);
});

Deno.test("lookups going backwards give the same times as going forwards", () => {
  const schedule = new ArrivalSchedule(ramp);
  const forward = [10, 600, 1_200].map((n) => schedule.timeOf(n));
  const backward = [1_200, 600, 10].map((n) => schedule.timeOf(n)).reverse();
  assert.deepEqual(backward, forward);
});

Deno.test("a stage of rate zero schedules nothing and the next stage continues", () => {
  const schedule = new ArrivalSchedule({
    startRate: 0,
    stages: [
      { name: "idle", durationMs: 1_000, target: 0 },
      { name: "jump", durationMs: 1_000, target: 0 },
    ],
  });
  assert.equal(schedule.totalArrivals, 0);
  assert.equal(schedule.timeOf(0), undefined);
});

Deno.test("scaling multiplies every rate; a sustain plan warms up linearly first", () => {
  const scaled = scalePlan(profiles.k6!, 7.5);
  assert.equal(peakRate(scaled), 3_000);
  assert.equal(scaled.startRate, 150);
  assert.deepEqual(sustainPlan(3_000, 60_000, 10_000), {
    startRate: 0,
    stages: [
      { name: "warm-up", durationMs: 10_000, target: 3_000 },
      { name: "sustain", durationMs: 60_000, target: 3_000 },
    ],
  });
  assert.deepEqual(sustainPlan(5, 1_000, 0).startRate, 5);
});

Deno.test("a stage with no duration or a negative target is refused", () => {
  assert.throws(
    () => new ArrivalSchedule({ startRate: 0, stages: [{ name: "x", durationMs: 0, target: 1 }] }),
    /Stage duration must be positive: x 0 ms/,
  );
  assert.throws(
    () => new ArrivalSchedule({ startRate: 0, stages: [{ name: "y", durationMs: 1, target: -1 }] }),
    /Stage target must be a rate >= 0: y -1/,
  );
});
