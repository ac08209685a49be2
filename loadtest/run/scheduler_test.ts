import assert from "node:assert/strict";
import { ArrivalSchedule } from "../plan/stages.ts";
import { VirtualClock } from "../testing/virtual_clock.ts";
import { type Arrival, runArrivals } from "./scheduler.ts";

const constant = (rate: number, durationMs: number) =>
  new ArrivalSchedule({ startRate: rate, stages: [{ name: "c", durationMs, target: rate }] });

const never = () => new Promise<void>(() => {});

Deno.test("iterations start on schedule even when no response ever comes back", async () => {
  const clock = new VirtualClock();
  const schedule = constant(100, 1_000);
  const startedAt: number[] = [];
  const run = runArrivals({
    schedule,
    clock,
    maxInFlight: 1_000,
    lateToleranceMs: 1,
    start: () => {
      startedAt.push(clock.now());
      return never();
    },
  });
  await run.scheduled;
  assert.equal(startedAt.length, 100);
  startedAt.forEach((t, i) => assert.equal(t, schedule.timeOf(i)));
  assert.deepEqual({ ...run.stats }, {
    scheduled: 100,
    started: 100,
    dropped: 0,
    late: 0,
    maxLatenessMs: 0,
  });
  assert.equal(run.inFlight(), 100);
});

Deno.test("responses slower than the arrival interval do not slow the starts", async () => {
  const clock = new VirtualClock();
  const schedule = constant(50, 2_000);
  const startedAt: number[] = [];
  const run = runArrivals({
    schedule,
    clock,
    maxInFlight: 1_000,
    lateToleranceMs: 1,
    // Each "response" takes 500 ms of virtual time: 25 iterations overlap.
    start: async () => {
      startedAt.push(clock.now());
      const until = clock.now() + 500;
      while (clock.now() < until) await new Promise<void>((r) => setTimeout(r, 0));
    },
  });
  await run.scheduled;
  assert.equal(startedAt.length, 100);
  assert.deepEqual(startedAt.slice(0, 3), [20, 40, 60]);
  assert.equal(startedAt.at(-1), 2_000);
  clock.nowMs += 500; // lets the last "responses" arrive
  await run.settled();
});

Deno.test("arrivals beyond the in-flight limit are dropped and counted, not queued", async () => {
  const clock = new VirtualClock();
  const dropped: Arrival[] = [];
  const run = runArrivals({
    schedule: constant(100, 500),
    clock,
    maxInFlight: 5,
    lateToleranceMs: 1,
    start: never,
    onDropped: (arrival) => dropped.push(arrival),
  });
  await run.scheduled;
  assert.equal(run.stats.started, 5);
  assert.equal(run.stats.dropped, 45);
  assert.deepEqual(dropped.map((a) => a.index).slice(0, 3), [5, 6, 7]);
});

Deno.test("starts delayed by a late-waking event loop are counted late, and the schedule catches up", async () => {
  const clock = new VirtualClock(25);
  const run = runArrivals({
    schedule: constant(100, 1_000),
    clock,
    maxInFlight: 1_000,
    lateToleranceMs: 10,
    start: () => Promise.resolve(),
  });
  await run.scheduled;
  assert.equal(run.stats.started, 100);
  assert.ok(run.stats.late > 0 && run.stats.late < 100, `late ${run.stats.late}`);
  assert.equal(run.stats.maxLatenessMs, 25);
});

Deno.test("settled waits for every running iteration, and a throwing start does not stop the run", async () => {
  const clock = new VirtualClock();
  const release: Array<() => void> = [];
  const run = runArrivals({
    schedule: constant(10, 1_000),
    clock,
    maxInFlight: 100,
    lateToleranceMs: 1,
    start: (arrival) => {
      if (arrival.index === 3) throw new Error("boom");
      if (arrival.index === 4) return Promise.reject(new Error("async boom"));
      return new Promise<void>((resolve) => release.push(resolve));
    },
  });
  await run.scheduled;
  assert.equal(run.stats.started, 10);
  assert.equal(run.inFlight(), 8);
  let settled = false;
  const done = run.settled().then(() => settled = true);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(settled, false);
  release.forEach((r) => r());
  await done;
  assert.equal(run.inFlight(), 0);
});

Deno.test("an abort stops the starts", async () => {
  const clock = new VirtualClock();
  const controller = new AbortController();
  const run = runArrivals({
    schedule: constant(100, 1_000),
    clock,
    maxInFlight: 1_000,
    lateToleranceMs: 1,
    start: (arrival) => {
      if (arrival.index === 9) controller.abort();
      return Promise.resolve();
    },
    signal: controller.signal,
  });
  await run.scheduled;
  assert.equal(run.stats.started, 10);
});
