// The original project's full-flow scenario: a constant 350 flows/s for 6
// minutes, each authorize → capture (→ CAPTURED) → refund. `deno task load
// --capture --refund --rate 350 --duration 6m` runs the same without k6.
//
//   API_KEYS=k1,...,k10 k6 run loadtest/k6/full-flow.js
import { paymentIteration, thresholds } from "./lib.js";

export const options = {
  scenarios: {
    full_flow: {
      executor: "constant-arrival-rate",
      rate: 350,
      timeUnit: "1s",
      duration: "6m",
      preAllocatedVUs: 400,
      maxVUs: 800,
    },
  },
  thresholds: thresholds(true, true),
  summaryTrendStats: ["avg", "p(90)", "p(95)", "p(99)", "max"],
};

export default function () {
  paymentIteration(true, true);
}
