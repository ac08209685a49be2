import type { Bus, BusLogger, BusMessage } from "@pay/lib/bus";
import type { OutboxRelayConfig } from "@pay/lib/config";
import {
  claimDueOutbox,
  type Db,
  markOutboxFailed,
  markOutboxPublished,
  type OutboxRow,
  releaseOutboxLease,
} from "@pay/lib/db";
import type { Registry } from "@pay/lib/metrics";
import {
  backoffDelayMs,
  type Breaker,
  type BreakerOptions,
  createBreaker,
} from "@pay/lib/resilience";
import type { Worker } from "../worker.ts";
import { type BusEpochWatcher, type EpochBus, startBusEpochWatcher } from "./bus_epoch.ts";
import { type RelayMetrics, relayMetrics } from "./metrics.ts";

/** Pause after MariaDB refused a claim (restarting, pool exhausted) before the next try. */
const claimErrorBackoffMs = 1_000;

export const busPublishBreakerName = "bus-publish";

export interface OutboxRelayDeps {
  readonly pool: Db;
  /** With `ensureEpoch` (redis, embedded, memory) the relay also notices a bus that lost its data. */
  readonly bus: Pick<Bus, "publish"> & Partial<EpochBus>;
  readonly config: OutboxRelayConfig;
  readonly registry?: Registry;
  readonly log: BusLogger;
  /** Breaker tuning; tests open it after a few failures. */
  readonly breaker?: Partial<
    Pick<BreakerOptions, "volumeThreshold" | "resetTimeoutMs" | "errorThresholdPercentage">
  >;
}

export interface OutboxRelay extends Worker {
  readonly breaker: Breaker<[readonly BusMessage[]], void>;
  /** Watches the bus's epoch; absent for a bus without one (kafka). */
  readonly epochWatcher: BusEpochWatcher | undefined;
}

/**
 * Starts `config.lanes` relay loops. Each claims a batch of due outbox rows
 * (a lease, see outbox_relay_repo.ts), publishes it through the `bus-publish`
 * breaker, and marks the rows PUBLISHED, or failed with backoff, or DEAD.
 * A full batch is followed at once by the next; an empty one by a short sleep.
 * On a bus with an epoch marker, a watcher re-drives the replay window when
 * the bus lost its data (bus_epoch.ts).
 */
export function startOutboxRelay(deps: OutboxRelayDeps): OutboxRelay {
  const breaker = createBreaker(
    (messages: readonly BusMessage[]) => deps.bus.publish(messages),
    { name: busPublishBreakerName, timeoutMs: deps.config.publishTimeoutMs, ...deps.breaker },
    deps.registry,
  );
  const metrics = relayMetrics(deps.pool, deps.registry);
  const epochBus = deps.bus.ensureEpoch ? deps.bus as EpochBus : undefined;
  const epochWatcher = epochBus && startBusEpochWatcher({
    pool: deps.pool,
    bus: epochBus,
    checkIntervalMs: deps.config.epochCheckIntervalMs,
    replayWindowMs: deps.config.replayWindowMs,
    metrics,
    log: deps.log,
  });
  const lane = new RelayLane(deps, breaker, metrics);
  const lanes = Array.from({ length: deps.config.lanes }, () => lane.run());
  return {
    breaker,
    epochWatcher,
    async stop() {
      await epochWatcher?.stop();
      lane.stop();
      await Promise.all(lanes);
      breaker.shutdown();
    },
  };
}

class RelayLane {
  readonly #stopping = new AbortController();

  constructor(
    private readonly deps: OutboxRelayDeps,
    private readonly breaker: Breaker<[readonly BusMessage[]], void>,
    private readonly metrics: RelayMetrics,
  ) {}

  stop(): void {
    this.#stopping.abort();
  }

  async run(): Promise<void> {
    const { config } = this.deps;
    while (!this.#stopping.signal.aborted) {
      if (this.breaker.opened) {
        // Rows stay NEW and untouched while the bus is down; the breaker's trial reopens the flow.
        await this.#sleep(config.pollIdleMs);
        continue;
      }
      let rows: OutboxRow[];
      try {
        rows = await claimDueOutbox(this.deps.pool, config.batchSize, config.leaseMs);
      } catch (error) {
        this.deps.log("claim_failed", { error: String(error) });
        await this.#sleep(claimErrorBackoffMs);
        continue;
      }
      if (rows.length === 0) {
        await this.#sleep(config.pollIdleMs);
        continue;
      }
      await this.#publish(rows);
    }
  }

  async #publish(rows: OutboxRow[]): Promise<void> {
    const end = this.metrics.batchDuration.startTimer();
    const result = await this.#publishAndMark(rows).catch((error) => {
      // Marking failed (MariaDB gone): the lease expires and the rows come due again.
      this.deps.log("mark_failed", { rows: rows.length, error: String(error) });
      return "failed" as const;
    });
    end({ result });
  }

  async #publishAndMark(rows: OutboxRow[]): Promise<"published" | "failed" | "rejected"> {
    const { pool, config } = this.deps;
    const ids = rows.map((r) => r.id);
    try {
      await this.breaker.fire(rows.map(messageOf));
    } catch (error) {
      if (isBreakerRejection(error)) {
        await releaseOutboxLease(pool, ids);
        this.metrics.published.inc({ result: "rejected" }, rows.length);
        return "rejected";
      }
      const delays = new Map(rows.map((r) => [
        r.id,
        backoffDelayMs(r.attempts, config.backoffBaseMs, config.backoffCapMs),
      ]));
      const dead = await markOutboxFailed(pool, rows, String(error), config.attemptsMax, delays);
      this.metrics.published.inc({ result: "failed" }, rows.length - dead);
      if (dead > 0) {
        this.metrics.published.inc({ result: "dead" }, dead);
        this.deps.log("outbox_dead", { rows: dead, error: String(error) });
      }
      return "failed";
    }
    await markOutboxPublished(pool, ids);
    this.metrics.published.inc({ result: "published" }, rows.length);
    return "published";
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

/** The bus message of an outbox row: key = paymentId, header eventId = the outbox event id. */
export function messageOf(row: OutboxRow): BusMessage {
  return {
    topic: row.topic,
    key: row.aggregateId,
    value: row.payload,
    headers: { eventId: row.eventId },
  };
}

/** The breaker refused the call without trying (open, or shut down). */
function isBreakerRejection(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === "EOPENBREAKER" || code === "ESHUTDOWN";
}
