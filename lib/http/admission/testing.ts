import type { AdmissionSettings } from "./controller.ts";

/** A fixed limit (min = initial = max), so only the queue's behaviour is under test. */
export function fixedAdmission(
  limit: number,
  queueSizeMax: number,
  queueWaitMsMax = 60_000,
): AdmissionSettings {
  return {
    limitInitial: limit,
    limitMin: limit,
    limitMax: limit,
    tolerance: 2,
    windowMs: 100,
    windowSamplesMin: 20,
    probeIntervalMs: 60_000,
    queueSizeMax,
    queueWaitMsMax,
  };
}
