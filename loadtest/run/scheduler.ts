import type { ArrivalSchedule } from "../plan/stages.ts";

/** Time source of the scheduler: real in runs, virtual in tests. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.ceil(ms)))),
};

/** One scheduled iteration start. */
export interface Arrival {
  readonly index: number;
  /** When it was due, in ms from the run's start. */
  readonly scheduledMs: number;
  /** How much later than due it started (ms). */
  readonly latenessMs: number;
}

export interface ArrivalStats {
  /** Arrivals the plan scheduled up to the end (or the abort). */
  scheduled: number;
  started: number;
  /** Not started: `maxInFlight` iterations were still running (k6's dropped_iterations). */
  dropped: number;
  /** Started more than `lateToleranceMs` after due: the generator could not keep up. */
  late: number;
  maxLatenessMs: number;
}

export interface ArrivalOptions {
  readonly schedule: ArrivalSchedule;
  readonly clock: Clock;
  /** Iterations running at once, at most; arrivals beyond are dropped, never queued. */
  readonly maxInFlight: number;
  readonly lateToleranceMs: number;
  /** Starts one iteration; never awaited by the scheduler before the next start. */
  readonly start: (arrival: Arrival) => Promise<void>;
  readonly onDropped?: (arrival: Arrival) => void;
  readonly signal?: AbortSignal;
}

export interface ArrivalRun {
  readonly stats: ArrivalStats;
  /** Iterations still running. */
  inFlight(): number;
  /** Resolves when the last arrival has been started (or dropped), or on abort. */
  readonly scheduled: Promise<void>;
  /** Resolves when every started iteration has finished. */
  settled(): Promise<void>;
}

/**
 * The open model: iteration starts follow the schedule, whatever the
 * responses do. A slow system gets more iterations in flight, not fewer
 * starts; when `maxInFlight` are running the arrival is dropped and counted.
 */
export function runArrivals(options: ArrivalOptions): ArrivalRun {
  const { schedule, clock, maxInFlight, lateToleranceMs } = options;
  const stats: ArrivalStats = {
    scheduled: 0,
    started: 0,
    dropped: 0,
    late: 0,
    maxLatenessMs: 0,
  };
  const running = new Set<Promise<void>>();
  const origin = clock.now();

  const launch = (arrival: Arrival) => {
    let started: Promise<void>;
    try {
      started = options.start(arrival);
    } catch {
      return; // an iteration that throws at once ends at once; it is the scenario's to record
    }
    const iteration = started.catch(() => {}).finally(() => running.delete(iteration));
    running.add(iteration);
  };

  const loop = async () => {
    let next = 0;
    while (!options.signal?.aborted) {
      const dueMs = schedule.timeOf(next);
      if (dueMs === undefined) return;
      const nowMs = clock.now() - origin;
      if (dueMs > nowMs) {
        await clock.sleep(dueMs - nowMs);
        continue;
      }
      for (
        let due = dueMs as number | undefined;
        due !== undefined && due <= nowMs;
      ) {
        const arrival = {
          index: next,
          scheduledMs: due,
          latenessMs: nowMs - due,
        };
        stats.scheduled++;
        if (running.size >= maxInFlight) {
          stats.dropped++;
          options.onDropped?.(arrival);
        } else {
          stats.started++;
          if (arrival.latenessMs > lateToleranceMs) stats.late++;
          stats.maxLatenessMs = Math.max(
            stats.maxLatenessMs,
            arrival.latenessMs,
          );
          launch(arrival);
        }
        due = schedule.timeOf(++next);
      }
      // Yield even when behind, so responses are read between bursts of starts.
      await clock.sleep(0);
    }
  };

  return {
    stats,
    inFlight: () => running.size,
    scheduled: loop(),
    settled: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
