import { z } from "zod";
import { type PgsimFaults, pgsimLatencyMsLimit } from "@pay/lib/config";
import type { Prng } from "./prng.ts";

const rate = z.number().min(0).max(1);
const latencyMs = z.number().int().min(0).max(pgsimLatencyMsLimit);

/** Body of POST /admin/faults: any subset of the faults. */
export const faultsPatchSchema = z.strictObject({
  failureRate: rate.optional(),
  declineRate: rate.optional(),
  latencyMsMin: latencyMs.optional(),
  latencyMsMax: latencyMs.optional(),
  outage: z.boolean().optional(),
});

export type FaultsPatch = z.infer<typeof faultsPatchSchema>;

/**
 * The injected faults and the draws made against them. Every draw comes from
 * one seeded PRNG, so the same seed and the same sequence of requests give
 * the same latencies, failures and declines. A fault set to zero draws
 * nothing, so it does not shift the others' sequence between runs alike.
 */
export interface Faults {
  current(): PgsimFaults;
  /** Applies `patch` unless it leaves latencyMsMin above latencyMsMax (returns the message). */
  update(patch: FaultsPatch): PgsimFaults | { readonly error: string };
  /** Back to the start-up faults. */
  reset(): void;
  drawLatencyMs(): number;
  /** True: answer 503 without doing anything. */
  drawFailure(): boolean;
  /** True: decline this approving-card authorization. */
  drawDecline(): boolean;
}

export function createFaults(initial: PgsimFaults, prng: Prng): Faults {
  let faults = initial;
  return {
    current: () => faults,
    update(patch) {
      const next = { ...faults, ...patch };
      if (next.latencyMsMin > next.latencyMsMax) {
        return {
          error:
            `latencyMsMin must not exceed latencyMsMax (${next.latencyMsMax}): ${next.latencyMsMin}`,
        };
      }
      faults = Object.freeze(next);
      return faults;
    },
    reset() {
      faults = initial;
    },
    drawLatencyMs() {
      const { latencyMsMin: min, latencyMsMax: max } = faults;
      return max === min ? min : min + Math.floor(prng.next() * (max - min + 1));
    },
    drawFailure: () => faults.failureRate > 0 && prng.next() < faults.failureRate,
    drawDecline: () => faults.declineRate > 0 && prng.next() < faults.declineRate,
  };
}
