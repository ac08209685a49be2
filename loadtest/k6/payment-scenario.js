// The original project's main k6 scenario: ramping arrival rate from 20/s to
// 400/s over 8 minutes; authorize, with capture and refund toggled by
// ENABLE_CAPTURE / ENABLE_REFUND. `deno task load` (--profile k6) runs the
// same plan without k6.
//
//   k6 run loadtest/k6/payment-scenario.js
//   ENABLE_CAPTURE=true ENABLE_REFUND=true API_KEYS=k1,k2,k3,k4,k5 k6 run loadtest/k6/payment-scenario.js
import { paymentIteration, thresholds } from "./lib.js";

export const options = {
  scenarios: {
    authorize_flow: {
      executor: "ramping-arrival-rate",
      startRate: 20,
      timeUnit: "1s",
      preAllocatedVUs: 800,
      maxVUs: 1600,
      stages: [
        { duration: "30s", target: 100 }, // warm-up
        { duration: "1m", target: 200 }, // ramp-up
        { duration: "2m", target: 300 }, // increase
        { duration: "2m", target: 400 }, // target
        { duration: "2m", target: 400 }, // sustain
        { duration: "30s", target: 0 }, // cool-down
      ],
    },
  },
  thresholds: thresholds(),
  summaryTrendStats: ["avg", "p(90)", "p(95)", "p(99)", "max"],
};

export default function () {
  paymentIteration();
}
