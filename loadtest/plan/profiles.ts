import type { RatePlan } from "./stages.ts";

/**
 * Named plans. `k6` is the original project's `payment-scenario.js`
 * (ramping arrival rate from 20/s to 400/s over 8 minutes); `k6-200` its
 * earlier peak-load scenario (to 200/s over 6 minutes); `smoke` a short,
 * light run for a first look at a freshly started stack.
 */
export const profiles: Readonly<Record<string, RatePlan>> = {
  "k6": {
    startRate: 20,
    stages: [
      { name: "warm-up", durationMs: 30_000, target: 100 },
      { name: "ramp-up", durationMs: 60_000, target: 200 },
      { name: "increase", durationMs: 120_000, target: 300 },
      { name: "target", durationMs: 120_000, target: 400 },
      { name: "sustain", durationMs: 120_000, target: 400 },
      { name: "cool-down", durationMs: 30_000, target: 0 },
    ],
  },
  "k6-200": {
    startRate: 20,
    stages: [
      { name: "ramp-up", durationMs: 60_000, target: 100 },
      { name: "increase", durationMs: 180_000, target: 200 },
      { name: "sustain", durationMs: 60_000, target: 200 },
      { name: "cool-down", durationMs: 60_000, target: 0 },
    ],
  },
  "smoke": {
    startRate: 0,
    stages: [
      { name: "warm-up", durationMs: 2_000, target: 20 },
      { name: "sustain", durationMs: 5_000, target: 20 },
      { name: "cool-down", durationMs: 1_000, target: 0 },
    ],
  },
};

/**
 * A constant-rate run (`--rate`, `--duration`): a linear warm-up from 0
 * (JIT, connection pools, caches), then `rate` held for `durationMs`. Only
 * the sustain stage is what a target like "3,000/s for 60 s" is judged on.
 */
export function sustainPlan(
  rate: number,
  durationMs: number,
  warmupMs: number,
): RatePlan {
  const stages = [{ name: "sustain", durationMs, target: rate }];
  if (warmupMs > 0) {
    stages.unshift({ name: "warm-up", durationMs: warmupMs, target: rate });
  }
  return { startRate: warmupMs > 0 ? 0 : rate, stages };
}
