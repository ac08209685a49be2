import assert from "node:assert/strict";
import { GradientLimit, type GradientLimitSettings } from "./gradient_limit.ts";

const settings: GradientLimitSettings = {
  limitInitial: 20,
  limitMin: 2,
  limitMax: 200,
  tolerance: 2,
  windowMs: 100,
  windowSamplesMin: 5,
  probeIntervalMs: 10_000,
};

/** A limit on a virtual clock whose first probe measured `noLoadRttMs`. */
function measured(noLoadRttMs = 10, overrides: Partial<GradientLimitSettings> = {}) {
  const clock = { ms: 0 };
  // random 0.5: no jitter, the next probe is exactly probeIntervalMs away.
  const limit = new GradientLimit({ ...settings, ...overrides }, clock.ms, () => 0.5);
  /** One full window of samples at `rttMs`, with `inFlight` requests running. */
  const window = (rttMs: number, inFlight = limit.limit, epoch = limit.epoch) => {
    clock.ms += limit.settings.windowMs;
    for (let i = 0; i < limit.settings.windowSamplesMin; i++) {
      limit.onSample(epoch, rttMs, inFlight, clock.ms);
    }
  };
  window(noLoadRttMs, 1);
  window(noLoadRttMs);
  assert.ok(limit.probing, "the first window using the limit probes");
  window(noLoadRttMs);
  assert.equal(limit.probing, false);
  assert.equal(limit.minRttMs, noLoadRttMs);
  return { limit, clock, window };
}

Deno.test("the limit starts at its initial value; the first window measures the no-load latency", () => {
  const limit = new GradientLimit(settings, 0);
  assert.equal(limit.limit, settings.limitInitial);
  assert.equal(limit.minRttMs, 0);
  for (let i = 0; i < settings.windowSamplesMin; i++) limit.onSample(limit.epoch, 8, 1, 100);
  assert.equal(limit.minRttMs, 8);
  assert.equal(limit.limit, settings.limitInitial);
  assert.equal(limit.probing, false);
});

Deno.test("a limit smaller than the samples a window wants closes its windows after `limit` answers", () => {
  const limit = new GradientLimit({ ...settings, limitInitial: 3 }, 0);
  for (let i = 0; i < 3; i++) limit.onSample(limit.epoch, 8, 1, 100);
  assert.equal(limit.minRttMs, 8);
});

Deno.test("the limit grows while latency stays within the tolerance", () => {
  const { limit, window } = measured(10);
  const before = limit.limit;
  window(15);
  assert.ok(limit.limit > before, `${limit.limit} > ${before}`);
  for (let i = 0; i < 20; i++) window(15);
  assert.equal(limit.limit, settings.limitMax);
});

Deno.test("the limit falls when latency rises above the tolerated multiple, and recovers after", () => {
  const { limit, window } = measured(10);
  const start = limit.limit;
  const seen = [start];
  for (let i = 0; i < 10; i++) {
    window(100);
    seen.push(limit.limit);
  }
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i]! <= seen[i - 1]!, `never rises: ${seen.join(" ")}`);
  }
  assert.ok(seen.at(-1)! <= 5, `falls to a handful: ${seen.join(" ")}`);
  for (let i = 0; i < 8; i++) window(10);
  assert.ok(limit.limit >= start, `recovers to ${start} or more: ${limit.limit}`);
});

Deno.test("a limit held at its minimum re-measures the no-load latency there and grows again", () => {
  const { limit, window } = measured(10, { limitMin: 4 });
  for (let i = 0; i < 10 && limit.limit > 4; i++) window(100);
  assert.equal(limit.limit, 4, "slower everywhere: the limit falls to its minimum");
  window(100);
  assert.equal(limit.minRttMs, 100, "the window at the minimum is the new no-load latency");
  window(100);
  assert.ok(limit.limit > 4, `and the limit grows from it: ${limit.limit}`);
});

Deno.test("a window with a drop backs the limit off by a tenth", () => {
  const { limit, clock, window } = measured(10);
  for (let i = 0; i < 3; i++) window(20);
  const before = limit.limit;
  clock.ms += settings.windowMs;
  limit.onDrop(before, clock.ms);
  assert.ok(
    Math.abs(limit.limit - before * 0.9) <= 1,
    `${before} → ${limit.limit}`,
  );
});

Deno.test("a service using under half its limit keeps it, whatever its latency", () => {
  const { limit, window } = measured(10);
  const start = limit.limit;
  for (let i = 0; i < 5; i++) window(10, 1);
  for (let i = 0; i < 5; i++) window(500, Math.ceil(start / 2) - 1);
  assert.equal(limit.limit, start);
});

Deno.test("a new probe pins the limit to its minimum, ignores older requests and re-measures", () => {
  const { limit, clock, window } = measured(10);
  window(15);
  const before = limit.limit;
  const oldEpoch = limit.epoch;
  clock.ms += settings.probeIntervalMs;
  window(15);
  assert.ok(limit.probing);
  assert.equal(limit.limit, settings.limitMin);
  window(500, settings.limitMin, oldEpoch);
  assert.ok(limit.probing, "samples of requests admitted before the probe do not end it");
  window(30);
  assert.equal(limit.probing, false);
  assert.equal(limit.minRttMs, 30);
  assert.ok(limit.limit >= before);
});

Deno.test("no probe while the limit is not in use", () => {
  const { limit, clock, window } = measured(10);
  clock.ms += settings.probeIntervalMs;
  window(15, 1);
  assert.equal(limit.probing, false);
  window(15);
  assert.ok(limit.probing, "the first window that uses the limit starts the due probe");
});

Deno.test("limits out of order or a tolerance of 1 or less are refused", () => {
  assert.throws(() => new GradientLimit({ ...settings, limitMin: 30 }, 0), /min ≤ initial ≤ max/);
  assert.throws(() => new GradientLimit({ ...settings, tolerance: 1 }, 0), /above 1: 1/);
});
