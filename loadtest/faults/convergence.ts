/**
 * After a scenario's traffic: reads the state and checks it until nothing is
 * broken, the number of violations has stopped falling for
 * `convergenceStallMs`, or `convergenceWaitMsMax` has passed. Bounded either way.
 */
import { checkState, type StateCheckOptions } from "./check_state.ts";
import type { AckedOp } from "./flows.ts";
import { readScenarioState } from "./read_state.ts";
import type { FaultPlatform } from "./platform.ts";
import { convergencePollMs, convergenceStallMs, convergenceWaitMsMax } from "./settings.ts";
import type { ScenarioState } from "./state.ts";
import type { Violation } from "./violations.ts";

export interface Convergence {
  readonly state: ScenarioState;
  readonly violations: Violation[];
  readonly converged: boolean;
  readonly waitedMs: number;
  /** Read errors while waiting (a dependency still down), for the report. */
  readonly readErrors: number;
}

export interface ConvergenceLimits {
  readonly waitMsMax?: number;
  readonly stallMs?: number;
  /** Only these violations count (the final expiry check looks at abandoned payments only). */
  readonly select?: (violation: Violation) => boolean;
}

export async function awaitConvergence(
  platform: FaultPlatform,
  merchantIds: readonly string[],
  acked: readonly AckedOp[],
  options: StateCheckOptions,
  limits: ConvergenceLimits = {},
): Promise<Convergence> {
  const waitMsMax = limits.waitMsMax ?? convergenceWaitMsMax;
  const stallMs = limits.stallMs ?? convergenceStallMs;
  const select = limits.select ?? (() => true);
  const startMs = Date.now();
  let best = Number.POSITIVE_INFINITY;
  let bestAtMs = startMs;
  let readErrors = 0;
  let lastError: unknown;
  while (true) {
    let read: { state: ScenarioState; violations: Violation[] } | undefined;
    try {
      const state = await readScenarioState(platform.pool, platform.pgsimDataFile, merchantIds);
      read = { state, violations: checkState(state, acked, options).filter(select) };
    } catch (error) {
      readErrors++;
      lastError = error;
    }
    const nowMs = Date.now();
    if (read) {
      if (read.violations.length === 0) {
        return { ...read, converged: true, waitedMs: nowMs - startMs, readErrors };
      }
      if (read.violations.length < best) {
        best = read.violations.length;
        bestAtMs = nowMs;
      }
      const stalled = nowMs - bestAtMs >= stallMs;
      if (stalled || nowMs - startMs >= waitMsMax) {
        return { ...read, converged: false, waitedMs: nowMs - startMs, readErrors };
      }
    } else if (nowMs - startMs >= waitMsMax) {
      throw new Error(`Could not read the state after ${readErrors} tries: ${lastError}`);
    }
    await new Promise((resolve) => setTimeout(resolve, convergencePollMs));
  }
}
