// The original project's earlier peak-load scenario: ramping arrival rate
// from 20/s to 200/s, held, then down (6 minutes). `deno task load --profile
// k6-200` runs the same plan without k6. Toggles as in payment-scenario.js.
//
//   k6 run loadtest/k6/peak-load.js
import { paymentIteration, thresholds } from "./lib.js";

export const options = {
  scenarios: {
    peak_load: {
      executor: "ramping-arrival-rate",
      startRate: 20,
      timeUnit: "1s",
      preAllocatedVUs: 400,
      maxVUs: 800,
      stages: [
        { duration: "1m", target: 100 },
        { duration: "3m", target: 200 },
        { duration: "1m", target: 200 },
        { duration: "1m", target: 0 },
      ],
    },
  },
  thresholds: thresholds(),
  summaryTrendStats: ["avg", "p(90)", "p(95)", "p(99)", "max"],
};

export default function () {
  paymentIteration();
}
