/**
 * The settlement worker (DESIGN §4, §6): the `settlement` consumer group and
 * the retry scheduler, sharing one PG breaker (`pg-settlement`).
 */
import type { Bus } from "@pay/lib/bus";
import type { SettlementConfig } from "@pay/lib/config";
import type { Db } from "@pay/lib/db";
import { registerPaymentTransitions, type Registry } from "@pay/lib/metrics";
import type { PgClient } from "@pay/lib/pg";
import { type RunningLoop, startIntervalLoop } from "../schedulers/loop.ts";
import { retryDueRequests } from "../schedulers/settlement_retry.ts";
import { startSettlementConsumer } from "./consumer.ts";
import type { WorkerLog } from "./log.ts";
import { settlementMetrics } from "./metrics.ts";
import { createSettlementPg, type SettlementPg } from "./pg_calls.ts";
import { createSettler, type Settler } from "./settler.ts";

export { settlementGroup } from "./dead_letters.ts";
export { settlementTopics } from "./consumer.ts";
export { settlementBreakerName } from "./pg_calls.ts";
export { localErrorCodes } from "./settler.ts";

export interface SettlementWorkerDeps {
  readonly pool: Db;
  readonly bus: Pick<Bus, "publish" | "consume">;
  readonly pg: PgClient;
  readonly config: SettlementConfig;
  readonly registry: Registry;
  readonly log: WorkerLog;
  readonly now?: () => Date;
  readonly random?: () => number;
}

export interface SettlementWorker {
  readonly settler: Settler;
  readonly pg: SettlementPg;
  readonly retry: RunningLoop;
  /** Stops consuming, waits for in-flight settlements and the running retry pass. */
  stop(): Promise<void>;
}

export async function startSettlementWorker(deps: SettlementWorkerDeps): Promise<SettlementWorker> {
  const now = deps.now ?? (() => new Date());
  const metrics = settlementMetrics(deps.registry);
  registerPaymentTransitions(deps.registry);
  const pg = createSettlementPg(deps.pg, deps.config, metrics, deps.registry);
  const settler = createSettler({
    pool: deps.pool,
    pg,
    publish: (messages) => deps.bus.publish(messages),
    config: deps.config,
    registry: deps.registry,
    log: deps.log,
    now,
    random: deps.random,
  });
  const consumer = await startSettlementConsumer({
    pool: deps.pool,
    settler,
    bus: deps.bus,
    concurrency: deps.config.concurrency,
  });
  const retry = startIntervalLoop({
    name: "settlement-retry",
    intervalMs: deps.config.retryIntervalMs,
    registry: deps.registry,
    log: deps.log,
    pass: () =>
      retryDueRequests({ pool: deps.pool, settler, config: deps.config, log: deps.log }, now()),
  });
  return {
    settler,
    pg,
    retry,
    async stop() {
      await consumer.stop();
      await retry.stop();
      pg.breaker.shutdown();
    },
  };
}
