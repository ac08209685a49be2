import type { BusLogger } from "@pay/lib/bus";
import { type BusEpochOutcome, checkBusEpoch, type Db } from "@pay/lib/db";
import type { RelayMetrics } from "./metrics.ts";

/** A bus that keeps an epoch marker with its data (redis, embedded: its meta table, memory). */
export interface EpochBus {
  ensureEpoch(): Promise<string>;
}

/** The `bus_epoch` row of the deployment's bus: one bus per deployment. */
export const busEpochName = "default";

export interface BusEpochWatcherDeps {
  readonly pool: Db;
  readonly bus: EpochBus;
  readonly checkIntervalMs: number;
  readonly replayWindowMs: number;
  readonly metrics: RelayMetrics;
  readonly log: BusLogger;
}

export interface BusEpochWatcher {
  /** Checks now (tests, start-up); resolves with what the check did. */
  check(): Promise<BusEpochOutcome>;
  stop(): Promise<void>;
}

/**
 * Notices a bus that lost its data and re-drives the outbox window it may
 * not have delivered. The relay marks a row PUBLISHED once the bus accepted
 * it; a Redis restarted without its data (no AOF, or a crash within its
 * fsync interval) has then lost what consumers had not read yet. The epoch
 * marker lives with the streams, so a new epoch means such a loss: the rows
 * published within BUS_REPLAY_WINDOW_MS go back to NEW (see checkBusEpoch)
 * and the relay lanes publish them again; consumers absorb what they had
 * already handled. Checks at start and every BUS_EPOCH_CHECK_INTERVAL_MS; a
 * failed check (bus or MariaDB down) is logged and retried next interval.
 */
export function startBusEpochWatcher(deps: BusEpochWatcherDeps): BusEpochWatcher {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running: Promise<BusEpochOutcome> | undefined;

  async function checkOnce(): Promise<BusEpochOutcome> {
    const epoch = await deps.bus.ensureEpoch();
    const outcome = await checkBusEpoch(deps.pool, {
      bus: busEpochName,
      epoch,
      replayWindowMs: deps.replayWindowMs,
    });
    if (outcome.kind === "replayed") {
      deps.metrics.busEpochChanges.inc();
      if (outcome.rows > 0) deps.metrics.replayed.inc(outcome.rows);
      deps.log("bus_data_lost", {
        previousEpoch: outcome.previousEpoch,
        epoch,
        replayedRows: outcome.rows,
        replayWindowMs: deps.replayWindowMs,
      });
    }
    return outcome;
  }

  function check(): Promise<BusEpochOutcome> {
    running ??= checkOnce().finally(() => running = undefined);
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      check().catch((error) => deps.log("bus_epoch_check_failed", { error: String(error) }))
        .finally(schedule);
    }, deps.checkIntervalMs);
  }

  check().catch((error) => deps.log("bus_epoch_check_failed", { error: String(error) }))
    .finally(schedule);
  return {
    check,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
