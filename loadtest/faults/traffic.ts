/**
 * Open-model traffic: flow n starts at n / rate seconds, whatever the answers
 * do, until `stopped()` says so; then every running flow is awaited (each is
 * bounded by its operations' deadlines and the capture wait).
 */
import { flowRatePerSecond, flowsInFlightMax } from "./settings.ts";

export interface TrafficResult {
  readonly started: number;
  /** Flows not started because `flowsInFlightMax` were running. */
  readonly dropped: number;
  /** Flows that threw (a harness error, not a platform answer). */
  readonly crashed: readonly string[];
}

export async function runTraffic(
  startFlow: (n: number) => Promise<void>,
  stopped: () => boolean,
): Promise<TrafficResult> {
  const running = new Set<Promise<void>>();
  const crashed: string[] = [];
  const intervalMs = 1_000 / flowRatePerSecond;
  const startMs = Date.now();
  let started = 0;
  let dropped = 0;
  for (let n = 0; !stopped(); n++) {
    const dueMs = startMs + n * intervalMs;
    const waitMs = dueMs - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    if (stopped()) break;
    if (running.size >= flowsInFlightMax) {
      dropped++;
      continue;
    }
    started++;
    const flow: Promise<void> = startFlow(n)
      .catch((error) => void crashed.push(`flow ${n}: ${(error as Error).stack ?? error}`))
      .finally(() => running.delete(flow));
    running.add(flow);
  }
  await Promise.all(running);
  return { started, dropped, crashed };
}
